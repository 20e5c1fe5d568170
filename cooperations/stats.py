"""How many published fiches each region, department, sector, form, level and structure has.

The figures of the home, territory, structure, form and statistics pages, each in one query. They live
with the fiches: the reference tables they count by (territories, sectors, structures) know nothing of
the fiches that use them.
"""

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery

from structures.models import Sector, Structure
from territories.models import Department, Region

from .models import Cooperation, CooperationForm, Level, Participation

PUBLISHED = Cooperation.Status.PUBLISHED


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery: the subquery's rows must already be distinct."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = models.IntegerField()


# Each function below annotates `cooperation_count` on a queryset of the model it names. Like any
# GROUP BY query, the annotated queryset leaves Meta.ordering aside: order it where it is used.


def regions_with_counts(regions=None):
    """Published fiches linked to each region or to one of its departments.

    The same rule as Cooperation.objects.in_region(), counted in one query (a correlated subquery,
    because a fiche on two departments of a region must count once).
    """
    regions = Region.objects.all() if regions is None else regions
    in_region = Q(regions=OuterRef("pk")) | Q(departments__region=OuterRef("pk"))
    cooperations = Cooperation.objects.published().filter(in_region).order_by().values("pk").distinct()
    return regions.annotate(cooperation_count=SubqueryCount(cooperations))


def departments_with_counts(departments=None):
    departments = Department.objects.all() if departments is None else departments
    return departments.annotate(
        cooperation_count=Count("cooperations", filter=Q(cooperations__status=PUBLISHED))
    )


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
