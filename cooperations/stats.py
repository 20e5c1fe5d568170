"""How many published fiches each region, department, sector, form, level and structure has.

The figures of the home, territory, structure, form and statistics pages, each in one query. They live
with the fiches: the reference tables they count by (territories, sectors, structures) know nothing of
the fiches that use them.
"""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from structures.models import Sector, Structure
from territories.models import Department, Region

from .models import Cooperation, CooperationForm, Level, Participation, reach

PUBLISHED = Cooperation.Status.PUBLISHED


# Each function below annotates its counts on a queryset of the model it names. Like any GROUP BY query,
# the annotated queryset leaves Meta.ordering aside: order it where it is used.


def _reach_count(kind):
    column = f'"{reach.TERRITORIES[kind]}"."code"'
    return RawSQL(reach.published_count(kind, column), (), output_field=models.IntegerField())


def regions_with_counts(regions=None):
    """Annotate `reach_count`: the published fiches that belong to each region (models/reach.py), as
    many as its filter gives in the list."""
    regions = Region.objects.all() if regions is None else regions
    return regions.annotate(reach_count=_reach_count(reach.REGION))


def departments_with_counts(departments=None, *, reach_count=False):
    """Annotate `placed_count`: the published fiches placed in each department, its own (linked to it,
    models/reach.OWN), what its maps shade; and with `reach_count`, all those that belong to it (also
    the fiches of regional scope in its region and the national ones), as many as its filter gives in
    the list."""
    departments = Department.objects.all() if departments is None else departments
    departments = departments.annotate(
        placed_count=Count("cooperations", filter=Q(cooperations__status=PUBLISHED))
    )
    if reach_count:
        departments = departments.annotate(reach_count=_reach_count(reach.DEPARTMENT))
    return departments


def sectors_with_counts(sectors=None):
    sectors = Sector.objects.all() if sectors is None else sectors
    return sectors.annotate(cooperation_count=Count("cooperations", filter=Q(cooperations__status=PUBLISHED)))


def forms_with_counts(forms=None):
    forms = CooperationForm.objects.all() if forms is None else forms
    return forms.annotate(cooperation_count=Count("cooperations", filter=Q(cooperations__status=PUBLISHED)))


def structures_with_counts(structures=None):
    """The published fiches each structure takes part in."""
    structures = Structure.objects.all() if structures is None else structures
    published = Q(participations__cooperation__status=PUBLISHED)
    return structures.annotate(cooperation_count=Count("participations", filter=published))


def public_structures(structures=None):
    """The structures the public may see: those named in a published fiche, and those named in no fiche
    at all (the directory's own). Not those named only in drafts: they would tell of fiches still being
    written, or proposed and not yet read."""
    structures = Structure.objects.all() if structures is None else structures
    participations = Participation.objects.filter(structure=OuterRef("pk"))
    return structures.filter(
        Exists(participations.filter(cooperation__status=PUBLISHED)) | ~Exists(participations)
    )


def structures_taking_part(structures=None):
    """Structures named in at least one published fiche."""
    structures = Structure.objects.all() if structures is None else structures
    return structures.filter(participations__cooperation__status=PUBLISHED).distinct()


def with_published_participations(structures):
    """Prefetch `published_participations` on each structure: its roles in published fiches, latest
    first, with what a fiche card shows (three more queries, see Cooperation.objects.for_cards)."""
    participations = (
        Participation.objects.filter(cooperation__status=PUBLISHED)
        .order_by("-cooperation__published_at", "cooperation__title")
        .prefetch_related(models.Prefetch("cooperation", queryset=Cooperation.objects.for_cards()))
    )
    return structures.prefetch_related(
        models.Prefetch("participations", queryset=participations, to_attr="published_participations")
    )


def level_counts(cooperations):
    """[(Level, count)] of these fiches in the order of the typology, levels without fiches included."""
    counts = dict(cooperations.order_by().values_list("level").annotate(count=Count("pk")))
    return [(level, counts.get(level.value, 0)) for level in Level]


def structure_kind_counts(cooperations):
    """[(kind, label, count)]: how many of these fiches have a participant of each kind, most first.

    A fiche with two structures of the same kind counts once for that kind.
    """
    labels = dict(Structure.Kind.choices)
    rows = (
        Participation.objects.filter(cooperation__in=cooperations.order_by().values("pk"))
        .order_by()
        .values_list("structure__kind")
        .annotate(count=Count("cooperation", distinct=True))
    )
    return sorted(
        ((kind, str(labels.get(kind, kind)), count) for kind, count in rows),
        key=lambda row: (-row[2], row[1]),
    )
