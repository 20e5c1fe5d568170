"""Optimistic locking for the objects edited as a whole (a fiche, a structure): a save made from a copy
read before someone else's save is refused, so that nobody overwrites a colleague without knowing it."""

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """Saving would overwrite a version of the object that was saved after this copy was read."""


class VersionedModel(models.Model):
    """Adds `version`, incremented by every save, which is refused when the row moved on meanwhile."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            # Claim the version this copy was read at; nothing matches if someone saved in between.
            claimed = (
                type(self)
                ._default_manager.filter(pk=self.pk, version=self.version)
                .update(version=F("version") + 1)
            )
            if not claimed:
                raise ConcurrentEditError(self.pk)
            self.version += 1
            super().save(*args, **kwargs)
