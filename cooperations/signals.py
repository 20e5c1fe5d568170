"""Keep each fiche's search data in step with what it is searched by (see search.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from lib.cache import directory_changed
from structures.models import DuplicateDismissal, Network, Sector, Structure
from territories.models import Department, Region

from .models import Cooperation, CooperationForm, LevelSheet, OutcomeFigure, Participation, Source, Synonym
from .search import refresh_search_index


@receiver(post_save, sender=Cooperation)
def cooperation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_index(cooperation_ids=[instance.pk])


@receiver(post_save, sender=Participation)
@receiver(post_delete, sender=Participation)
def participation_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_search_index(cooperation_ids=[instance.cooperation_id])


@receiver(post_save, sender=Structure)
def structure_saved(sender, instance, raw=False, created=False, **kwargs):
    # A new structure takes part in nothing yet.
    if not raw and not created:
        refresh_search_index(structure_id=instance.pk)


@receiver(post_save, sender=CooperationForm)
@receiver(post_save, sender=Sector)
def searched_name_saved(sender, instance, raw=False, created=False, **kwargs):
    # The names of its forms and sectors are part of what a fiche is found by.
    if not raw and not created:
        refresh_search_index(cooperation_ids=list(instance.cooperations.values_list("pk", flat=True)))


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


# Cached counts (see cache.py): anything that a count of the directory reads; and what the fiche
# page's cached layout shows (figures, sources, level sheets, communes).
# Network: the list's choice of organisation, and the name a fiche shows for its own.
CACHED_MODELS = (
    Cooperation,
    Participation,
    Structure,
    Network,
    CooperationForm,
    Sector,
    Region,
    Department,
    Synonym,
)
# DuplicateDismissal: the likely duplicates of the structures' workspace (structures/duplicates.py).
for model in (*CACHED_MODELS, OutcomeFigure, Source, LevelSheet, DuplicateDismissal):
    post_save.connect(
        directory_changed, sender=model, dispatch_uid=f"directory_changed_save_{model.__name__}"
    )
    post_delete.connect(
        directory_changed, sender=model, dispatch_uid=f"directory_changed_del_{model.__name__}"
    )
for relation in (
    Cooperation.forms,
    Cooperation.sectors,
    Cooperation.regions,
    Cooperation.departments,
    Cooperation.communes,
    Cooperation.sources,
):
    m2m_changed.connect(
        directory_changed, sender=relation.through, dispatch_uid=f"directory_changed_{relation.field.name}"
    )
