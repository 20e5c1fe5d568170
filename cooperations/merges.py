"""Two structures made one, and the merge undone.

The editor picks, field by field, which structure's value survives. Every participation of the absorbed
structure moves to the survivor; where both took part in the same fiche, the two participations become
one with the stronger role (porteur before partenaire, client, financeur, autre). The absorbed structure
is then deleted: its versions stay, and its old address answers with a permanent redirect to the
survivor (Structure.successor_pk). What the merge changed is kept in a StructureMerge, from which
structure_merge_undo() brings everything back, as new versions of each object.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.history import one_version, restore_m2m
from lib.locking import ConcurrentEditError
from lib.text import fold, unique_slug
from structures.models import Structure, StructureMerge

from .models import Participation

# The fields an editor chooses between, in the order of the structure's page.
MERGED_FIELDS = (
    "name",
    "kind",
    "siret",
    "address",
    "postal_code",
    "commune",
    "department",
    "website",
    "email",
    "phone",
    "description",
    "internal_note",
)
M2M_FIELDS = ("sectors", "networks")
ROLE_STRENGTH = [role for role, _label in Participation.Role.choices]  # strongest first


def stronger(role, other):
    return min(role, other, key=ROLE_STRENGTH.index)


def _stored(structure, field):
    model_field = Structure._meta.get_field(field)
    if model_field.many_to_many:
        return sorted(getattr(structure, field).values_list("pk", flat=True))
    value = getattr(structure, model_field.attname)
    return str(value) if value is not None and field == "phone" else value


def _set(structure, field, value):
    model_field = Structure._meta.get_field(field)
    if model_field.many_to_many:
        getattr(structure, field).set(value)
    else:
        setattr(structure, model_field.attname, value)


@transaction.atomic
def structure_merge(*, survivor, absorbed, taken, user, versions=None) -> StructureMerge:
    """Merge `absorbed` into `survivor`.

    `taken`: the fields whose value comes from `absorbed` (the others keep the survivor's); for a
    many-to-many field, "both" in `taken[field]` unites the two. `versions`: {pk: version} the editor saw;
    a structure saved since raises ConcurrentEditError.
    """
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("Une structure ne peut pas être fusionnée avec elle-même."))
    locked = Structure.objects.select_for_update().in_bulk([survivor.pk, absorbed.pk])
    survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
    for structure in (survivor, absorbed):
        if versions and versions.get(structure.pk) not in (None, structure.version):
            raise ConcurrentEditError(structure.pk)
    before = {field: _stored(survivor, field) for field in (*MERGED_FIELDS, *M2M_FIELDS)}
    moved = _move_participations(absorbed, survivor, user)
    # The absorbed structure goes first: its SIRET, its name and type become free for the survivor.
    values = {field: _stored(absorbed, field) for field in (*MERGED_FIELDS, *M2M_FIELDS)}
    absorbed_name, absorbed_slug, absorbed_id = absorbed.name, absorbed.slug, absorbed.pk
    absorbed.suggestions.filter(status="pending").update(structure=survivor)
    absorbed._history_user = user
    absorbed._change_reason = _("Fusionnée dans « %(name)s » (n° %(id)s)") % {
        "name": survivor.name,
        "id": survivor.pk,
    }
    absorbed.delete()

    _check_name_is_free(survivor, absorbed, values, taken)
    survivor._history_user = user
    survivor._change_reason = _("Fusion avec « %(name)s » (n° %(id)s)") % {
        "name": absorbed_name,
        "id": absorbed_id,
    }
    survivor.updated_by = user
    changes = {}
    with one_version(survivor):
        for field in MERGED_FIELDS:
            if field in taken and values[field] != before[field]:
                _set(survivor, field, values[field])
        if survivor.commune_id and "commune" in taken:
            survivor.department_id = survivor.commune.department_id
        survivor.full_clean(exclude=["slug", "search_name"])
        survivor.save()
        for field in M2M_FIELDS:
            wanted = values[field] if taken.get(field) == "absorbed" else before[field]
            if taken.get(field) == "both":
                wanted = sorted(set(before[field]) | set(values[field]))
            if wanted != before[field]:
                _set(survivor, field, wanted)
        for field in (*MERGED_FIELDS, *M2M_FIELDS):
            after = _stored(survivor, field)
            if after != before[field]:
                changes[field] = [before[field], after]
    return StructureMerge.objects.create(
        survivor=survivor,
        absorbed_id=absorbed_id,
        absorbed_name=absorbed_name,
        absorbed_slug=absorbed_slug,
        survivor_changes=changes,
        participations=moved,
        merged_by=user,
        survivor_history_id=survivor.history.values_list("history_id", flat=True).first(),
    )


def _check_name_is_free(survivor, absorbed, values, taken):
    name = values["name"] if "name" in taken else survivor.name
    kind = values["kind"] if "kind" in taken else survivor.kind
    other = Structure.objects.filter(search_name=fold(name), kind=kind).exclude(
        pk__in=[survivor.pk, absorbed.pk]
    )
    if other.exists():
        raise ValidationError(
            _(
                "Une autre structure de ce type s'appelle déjà « %(name)s » : choisissez l'autre nom ou "
                "l'autre type."
            )
            % {"name": name}
        )


def _move_participations(absorbed, survivor, user):
    """Move each participation of `absorbed` to `survivor`, collapsing those in a fiche they share."""
    reason = _("Fusion de « %(absorbed)s » dans « %(survivor)s »") % {
        "absorbed": absorbed.name,
        "survivor": survivor.name,
    }
    theirs = {p.cooperation_id: p for p in Participation.objects.filter(structure=survivor)}
    moved = []
    for participation in Participation.objects.filter(structure=absorbed).order_by("pk"):
        existing = theirs.get(participation.cooperation_id)
        entry = {
            "id": participation.pk,
            "cooperation": participation.cooperation_id,
            "role": participation.role,
        }
        _mark(participation, user, reason)
        if existing is None:
            participation.structure = survivor
            participation.save()
            entry["action"] = "moved"
        else:
            entry |= {"action": "collapsed", "into": existing.pk, "into_role": existing.role}
            participation.delete()
            role = stronger(existing.role, participation.role)
            if role != existing.role:
                existing.role = role
                _mark(existing, user, reason).save()
        moved.append(entry)
    return moved


@transaction.atomic
def structure_merge_undo(*, merge, user) -> list[str]:
    """Bring the absorbed structure back with its participations, and the survivor's fields as they were
    before the merge where nobody changed them since. Returns what could not be brought back."""
    merge = StructureMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.is_undone:
        raise ValidationError(_("Cette fusion a déjà été annulée."))
    survivor = Structure.objects.select_for_update().filter(pk=merge.survivor_id).first()
    if survivor is None:
        raise ValidationError(
            _("La structure gardée a été fusionnée depuis dans une autre : annulez d'abord cette fusion-là.")
        )
    reason = _("Fusion avec « %(name)s » annulée") % {"name": merge.absorbed_name}
    kept = _restore_survivor(survivor, merge, user, reason)
    absorbed, missing = _bring_back(merge, survivor, user)
    missing += _move_back(merge, survivor, absorbed, user, reason)
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by"])
    return kept + missing


def _restore_survivor(survivor, merge, user, reason):
    """The survivor's fields back to their value before the merge, unless changed since."""
    kept = []
    survivor._history_user = user
    survivor._change_reason = reason
    survivor.updated_by = user
    with one_version(survivor):
        for field, (before, after) in merge.survivor_changes.items():
            if _stored(survivor, field) == after:
                _set(survivor, field, before)
            else:
                label = Structure._meta.get_field(field).verbose_name
                kept.append(
                    _("%(field)s de « %(name)s », modifié depuis la fusion")
                    % {"field": label, "name": survivor.name}
                )
        survivor.save()
    return kept


def _bring_back(merge, survivor, user):
    """The absorbed structure, as it was when the merge deleted it, with its number and versions."""
    deletion = (
        Structure.history.filter(id=merge.absorbed_id, history_type="-").order_by("-history_date").first()
    )
    if deletion is None:
        raise ValidationError(_("Les versions de la structure absorbée sont introuvables."))
    absorbed = deletion.instance
    if Structure.objects.filter(slug=absorbed.slug).exists():
        absorbed.slug = unique_slug(absorbed, absorbed.name)
    absorbed.version = 1
    absorbed._history_user = user
    absorbed._change_reason = _("Rétablie : fusion dans « %(name)s » annulée") % {"name": survivor.name}
    previous = deletion.prev_record  # the deletion record has no many-to-many values left
    with one_version(absorbed, history_type="+"):
        absorbed.full_clean(exclude=["slug", "search_name"])
        absorbed.save(force_insert=True)
        missing = restore_m2m(absorbed, previous) if previous else []
    return absorbed, missing


def _move_back(merge, survivor, absorbed, user, reason):
    missing = []
    for entry in merge.participations:
        if entry["action"] == "moved":
            participation = Participation.objects.filter(pk=entry["id"], structure=survivor).first()
            if participation is None:
                missing.append(
                    _("une participation retirée depuis de la fiche n° %(id)s") % {"id": entry["cooperation"]}
                )
                continue
            participation.structure = absorbed
            _mark(participation, user, reason).save()
            continue
        into = Participation.objects.filter(pk=entry["into"], structure=survivor).first()
        if into is None:
            missing.append(
                _("une participation retirée depuis de la fiche n° %(id)s") % {"id": entry["cooperation"]}
            )
            continue
        if into.role != entry["into_role"]:
            into.role = entry["into_role"]
            _mark(into, user, reason).save()
        _mark(
            Participation(cooperation_id=entry["cooperation"], structure=absorbed, role=entry["role"]),
            user,
            reason,
        ).save()
    return missing


def _mark(instance, user, reason):
    instance._history_user = user
    instance._change_reason = reason
    return instance
