"""Keep each fiche's search data in step with what it is searched by (search_index.py, dependencies.py)."""

from django.db import connection
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from lib.cache import directory_changed, fiches_changed
from territories.models import Commune, Department, Region
from territories.signals import territories_updated

from . import dependencies, facet_counts
from .models import Cooperation, Participation
from .search import refresh_search_index


@receiver(post_save, sender=Cooperation)
def cooperation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_index(cooperation_ids=[instance.pk])


@receiver(post_delete, sender=Cooperation)
def cooperation_deleted(sender, instance, **kwargs):
    facet_counts.refresh([instance.pk], removed=True)


@receiver(post_save, sender=Participation)
@receiver(post_delete, sender=Participation)
def participation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_index(cooperation_ids=[instance.cooperation_id])


def copied_row_before_save(sender, instance, raw=False, **kwargs):
    """Note, when a copied field changes (dependencies.COPIED), the fiches that copy the row before the
    change; a new row is copied by nothing yet."""
    instance._copied_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    before = sender._base_manager.filter(pk=instance.pk).values_list(*dependencies.COPIED[sender]).first()
    if before is not None and tuple(before) != dependencies.copied_values(instance):
        instance._copied_before = _copying(sender, [instance.pk])


def copied_row_saved(sender, instance, raw=False, **kwargs):
    before = instance.__dict__.pop("_copied_before", None)
    if not raw and before is not None:
        refresh_search_index(cooperation_ids=before | _copying(sender, [instance.pk]))


def _copying(model, pks):
    """The ids of the fiches whose search data or facet keys copy these rows of `model`."""
    return _copying_sql(dependencies.FICHES[model], pks)


def territories_upserted(sender, codes, **kwargs):
    """load_territories rewrote these rows (a new name, a department moved to another region)."""
    refresh_search_index(linked=(dependencies.FICHES[sender], {"ids": list(codes)}))


for model in dependencies.COPIED:
    name = model.__name__
    pre_save.connect(copied_row_before_save, sender=model, dispatch_uid=f"search_copied_before_{name}")
    post_save.connect(copied_row_saved, sender=model, dispatch_uid=f"search_copied_saved_{name}")
    if model in (Region, Department, Commune):
        territories_updated.connect(territories_upserted, sender=model, dispatch_uid=f"search_upsert_{name}")


@receiver(m2m_changed, sender=Cooperation.forms.through)
@receiver(m2m_changed, sender=Cooperation.sectors.through)
@receiver(m2m_changed, sender=Cooperation.regions.through)
@receiver(m2m_changed, sender=Cooperation.departments.through)
@receiver(m2m_changed, sender=Cooperation.communes.through)
def places_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            refresh_search_index(cooperation_ids=[instance.pk])
    elif action == "pre_clear":
        # From the territory's side, post_clear no longer says which fiches were linked.
        instance._cleared_cooperation_ids = list(instance.cooperations.values_list("pk", flat=True))
    elif action == "post_clear":
        refresh_search_index(cooperation_ids=instance.__dict__.pop("_cleared_cooperation_ids", []))
    elif action in {"post_add", "post_remove"}:
        refresh_search_index(cooperation_ids=pk_set)


# Caches (lib/cache.py), from the declarations of dependencies.py.
def shown_row_changed(sender, instance, raw=False, **kwargs):
    shown_by = dependencies.SHOWN_BY[sender]
    ids = shown_by(instance) if callable(shown_by) else _copying_sql(shown_by, [instance.pk])
    fiches_changed(ids)


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in {"post_add", "post_remove", "pre_clear"}:
        fiches_changed([instance.pk] if not reverse else (pk_set or _reverse_linked(sender, instance)))


def _reverse_linked(through, instance):
    """Before a clear from the other side (a source's fiches cleared): the fiches linked to it."""
    source = next(field for field in through._meta.fields if field.related_model is type(instance))
    return list(through.objects.filter(**{source.name: instance}).values_list("cooperation_id", flat=True))


def _copying_sql(sql, pks):
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": list(pks)})
        return {pk for (pk,) in cursor.fetchall()}


for model in dependencies.SHOWN_BY:
    post_save.connect(shown_row_changed, sender=model, dispatch_uid=f"cache_shown_save_{model.__name__}")
    post_delete.connect(shown_row_changed, sender=model, dispatch_uid=f"cache_shown_del_{model.__name__}")
for model in dependencies.REFERENCE:
    post_save.connect(directory_changed, sender=model, dispatch_uid=f"cache_ref_save_{model.__name__}")
    post_delete.connect(directory_changed, sender=model, dispatch_uid=f"cache_ref_del_{model.__name__}")
for through in dependencies.LINKS:
    m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"cache_links_{through.__name__}")
