"""Writes that change the state of a fiche: publication, and restoring an earlier version."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.history import one_version, restore_m2m, restore_version
from lib.text import unique_slug
from structures.models import Structure

from .models import Cooperation, OutcomeFigure, Participation, rights

PUBLISH_PERMISSION = rights.PUBLISH

# Restoring a version brings back the content of the fiche, not its bookkeeping: the address stays
# the same, publishing remains a separate act (with its own permission), and so does the organisation
# that follows it (on which the rights depend).
NOT_RESTORED = {
    "slug",
    "organisation",
    "status",
    "published_at",
    "published_by",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "version",
}


def _check_can_publish(user, cooperation):
    if not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied(_("Vous n'avez pas le droit de publier ou de dépublier des fiches."))
    if not rights.can_publish(user, cooperation):
        raise PermissionDenied(
            _("Cette fiche est suivie par %(name)s : seuls ses éditeurs la publient ou la dépublient.")
            % {"name": cooperation.organisation.label}
        )


def cooperation_publish(*, cooperation: Cooperation, user) -> Cooperation:
    """Make a draft visible to everyone, recording who published it and when."""
    _check_can_publish(user, cooperation)
    if cooperation.is_published:
        raise ValidationError(_("« %(title)s » est déjà publiée."), params={"title": cooperation.title})
    cooperation.status = Cooperation.Status.PUBLISHED
    cooperation.published_at = timezone.now()
    cooperation.published_by = user
    cooperation.updated_by = user
    _mark(cooperation, user, _("Publication"))
    cooperation.save()
    return cooperation


def cooperation_unpublish(*, cooperation: Cooperation, user) -> Cooperation:
    """Take a fiche back to draft: it leaves the public pages, its publication date is kept."""
    _check_can_publish(user, cooperation)
    if not cooperation.is_published:
        raise ValidationError(_("« %(title)s » n'est pas publiée."), params={"title": cooperation.title})
    cooperation.status = Cooperation.Status.DRAFT
    cooperation.updated_by = user
    _mark(cooperation, user, _("Dépublication"))
    cooperation.save()
    return cooperation


def cooperation_restore(*, record, user, expected_version=None) -> list[str]:
    """Bring a fiche back to the historical `record`, participations and figures included.

    The restore is itself a new version. Returns what could not be brought back (objects deleted
    since), for the person to check. With `expected_version` (the version the person saw when they
    confirmed), a fiche saved since raises ConcurrentEditError instead of being overwritten.
    """
    return restore_version(
        Cooperation,
        record,
        user=user,
        expected_version=expected_version,
        exclude=NOT_RESTORED,
        children=lambda cooperation, record, user, reason: _restore_children(
            cooperation, record.history_date, user, reason
        ),
    )


@transaction.atomic
def cooperation_restore_deleted(*, record, user) -> tuple[Cooperation, list[str]]:
    """Bring back a deleted fiche from its deletion `record`, as a draft.

    It comes back as a draft whatever it was: it is checked again before being published.
    """
    if Cooperation.objects.filter(pk=record.id).exists():
        raise ValidationError(_("Cette fiche a déjà été rétablie."))
    cooperation = record.instance
    if Cooperation.objects.filter(slug=cooperation.slug).exists():
        cooperation.slug = unique_slug(cooperation, cooperation.title)
    cooperation.status = Cooperation.Status.DRAFT
    cooperation.updated_by = user
    reason = _("Fiche supprimée puis rétablie")
    _mark(cooperation, user, reason)
    # The deletion record has no many-to-many values left (they go first): take the version before.
    previous = record.prev_record
    with one_version(cooperation, history_type="+"):
        cooperation.save(force_insert=True)
        missing = restore_m2m(cooperation, previous) if previous else []
        missing += _restore_children(cooperation, record.history_date, user, reason)
    return cooperation, missing


def _restore_children(cooperation, as_of, user, reason):
    """Put the participations and the figures of `cooperation` back as they were at `as_of`."""
    missing = []
    wanted = {
        p.structure_id: p for p in Participation.history.as_of(as_of).filter(cooperation_id=cooperation.pk)
    }
    existing_structures = set(Structure.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    for structure_id in sorted(set(wanted) - existing_structures):
        missing.append(_("Participation d'une structure supprimée depuis (n° %(id)s)") % {"id": structure_id})
    for participation in Participation.objects.filter(cooperation=cooperation):
        old = wanted.pop(participation.structure_id, None)
        if old is None:
            _mark(participation, user, reason).delete()
        elif participation.role != old.role:
            participation.role = old.role
            _mark(participation, user, reason).save()
    for structure_id, old in wanted.items():
        if structure_id in existing_structures:
            _mark(
                Participation(cooperation=cooperation, structure_id=structure_id, role=old.role), user, reason
            ).save()

    wanted_figures = {
        f.pk: f for f in OutcomeFigure.history.as_of(as_of).filter(cooperation_id=cooperation.pk)
    }
    for figure in OutcomeFigure.objects.filter(cooperation=cooperation):
        old = wanted_figures.pop(figure.pk, None)
        if old is None:
            _mark(figure, user, reason).delete()
        elif (figure.value, figure.unit, figure.label, figure.position) != (
            old.value,
            old.unit,
            old.label,
            old.position,
        ):
            figure.value, figure.unit, figure.label, figure.position = (
                old.value,
                old.unit,
                old.label,
                old.position,
            )
            _mark(figure, user, reason).save()
    for old in wanted_figures.values():
        # Same primary key as before, so that the figure's own history continues.
        old.cooperation = cooperation
        _mark(old, user, reason).save(force_insert=True)
    return missing


def _mark(instance, user, reason=None):
    """Attribute the history record of the coming save or delete."""
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    return instance
