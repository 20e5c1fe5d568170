"""Signals of the reference data, for the apps above it that copy territory names."""

from django.dispatch import Signal

# Sent by `load_territories` (whose upserts send no post_save) with `sender` the model and `codes` the
# territories whose row it rewrote, inside its transaction.
territories_updated = Signal()
