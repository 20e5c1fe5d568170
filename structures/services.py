"""Writes that change a structure as a whole: saving it from the workspace, restoring a version."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.history import one_version, restore_fields, restore_version
from lib.history_changes import BOOKKEEPING, annotate_changes

from .models import Structure, StructureSuggestion

# Restoring a version brings back the structure's content, not its address nor its bookkeeping.
NOT_RESTORED = {"slug", "search_name", "created_at", "updated_at", "updated_by", "version"}
# Derived from the name: never worth a line of its own in the history.
NOT_COMPARED = (*BOOKKEEPING, "search_name")


@transaction.atomic
def structure_save(*, form, user, reason=None) -> Structure:
    """Save the workspace editor's `form`, many-to-many fields included, as one version.

    Raises lib.locking.ConcurrentEditError when someone saved the structure since it was read.
    """
    structure = form.save(commit=False)
    adding = structure.pk is None
    structure.updated_by = user
    structure._history_user = user
    if reason:
        structure._change_reason = reason
    with one_version(structure, "+" if adding else "~"):
        structure.save()
        form.save_m2m()
    return structure


def structure_restore(*, record, user, expected_version=None) -> list[str]:
    """Bring a structure back to the historical `record` as a new version; what could not come back."""
    return restore_version(
        Structure, record, user=user, expected_version=expected_version, exclude=NOT_RESTORED
    )


def annotate_structure_changes(records, excluded=NOT_COMPARED):
    """`history_delta_changes` on each of `records` (newest first) but the last."""
    if records:
        annotate_changes(Structure, records, excluded)


def structure_restore_changes(current, record):
    """What restoring `record` would change in the structure whose latest version is `current`."""
    if current.pk == record.pk:
        return []
    annotate_structure_changes([record, current], excluded=(*NOT_COMPARED, *NOT_RESTORED))
    return record.history_delta_changes


def structure_restored(structure, record):
    """`structure` as restoring `record` would make it, unsaved, for the preview."""

    restored = Structure.objects.with_place().get(pk=structure.pk)
    restore_fields(restored, record, exclude=NOT_RESTORED)
    return restored


@transaction.atomic
def suggestion_review(*, suggestion, accepted, user) -> Structure:
    """Write the `accepted` fields of a registry's suggestion into its structure, as one version, and
    leave the others; the suggestion records each decision, so that a later file does not propose a
    dismissed value again. ValidationError when the structure would not be valid (a SIRET taken)."""
    suggestion = StructureSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not suggestion.is_pending:
        raise ValidationError(_("Ce complément a déjà été examiné."))
    structure = Structure.objects.select_for_update().get(pk=suggestion.structure_id)
    accepted = [name for name in accepted if name in suggestion.values]
    for name in accepted:
        setattr(structure, Structure._meta.get_field(name).attname, suggestion.values[name])
    if "commune" in accepted:
        structure.department_id = structure.commune.department_id
    if accepted:
        structure.full_clean(exclude=["slug", "search_name"])
        structure.updated_by = user
        structure._history_user = user
        structure._change_reason = _("Complétée depuis %(registry)s (%(source)s)") % {
            "registry": suggestion.registry,
            "source": suggestion.record_source or suggestion.record_id,
        }
        with one_version(structure):
            structure.save()
    suggestion.decisions = {
        name: "accepted" if name in accepted else "dismissed" for name in suggestion.values
    }
    suggestion.status = StructureSuggestion.Status.REVIEWED
    suggestion.reviewed_by = user
    suggestion.reviewed_at = timezone.now()
    suggestion.save()
    return structure
