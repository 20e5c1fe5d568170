"""The ways fiches are read: published, by place, form, sector, kind of structure, for cards and pages."""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber

from territories.models import Commune, Department

from . import reach
from .participation import OutcomeFigure, Participation
from .reference import Source

# The many-to-many relations a fiche is compared by in similar_to(), besides its regions.
LINKS = ("forms", "sectors")


class CooperationQuerySet(models.QuerySet):
    # Filters on related rows go through subqueries rather than joins, so that a fiche never appears
    # twice and no DISTINCT is needed (DISTINCT would constrain the orderings by rank or title).
    def published(self):
        return self.filter(status=self.model.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=self.model.Status.DRAFT)

    def with_gaps(self):
        """Annotate what the fiche lacks for a reader: `lacks_contact` (no lead or partner whose
        structure can be reached), `lacks_results` (no result written, no figure), `participant_count`
        and `lacks_start_year`. Subqueries, no GROUP BY: the rows stay the fiches themselves."""
        contacts = (
            Participation.objects.filter(cooperation=OuterRef("pk"), role__in=Participation.CONTACT_ROLES)
            # A structure can be reached when any one of its contact details is filled in.
            .exclude(structure__website="", structure__email="", structure__phone="", structure__address="")
        )
        figures = OutcomeFigure.objects.filter(cooperation=OuterRef("pk"))
        participants = (
            Participation.objects.filter(cooperation=OuterRef("pk"))
            .order_by()
            .values("cooperation")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            lacks_contact=~Exists(contacts),
            lacks_results=models.Q(results="", figures_text="", jobs_created=None, people_supported=None)
            & ~Exists(figures),
            participant_count=Coalesce(models.Subquery(participants), 0),
            lacks_start_year=models.Q(start_year=None),
        )

    def incomplete(self):
        """Fiches missing a contact, results, a second participant or their start year."""
        return self.with_gaps().filter(
            models.Q(lacks_contact=True)
            | models.Q(lacks_results=True)
            | models.Q(participant_count__lt=2)
            | models.Q(start_year=None)
        )

    def in_region(self, region_code):
        """Fiches that belong to the region: linked to it or to one of its departments (reach.py)."""
        return self.filter(pk__in=reach.fiches_in(reach.REGION, region_code))

    def in_department(self, department_code):
        """Fiches that belong to the department as a director means it: placed in it, of regional scope
        in its region, or national (reach.py)."""
        return self.filter(pk__in=reach.fiches_in(reach.DEPARTMENT, department_code))

    def by_reach_in_department(self, department_code):
        """Annotate `reach` on fiches of the department: reach.OWN, REGIONAL or NATIONAL, for showing
        them apart. Two sets of ids each read once, rather than a subquery run for each fiche."""
        ways = [
            When(pk__in=reach.fiches_in(reach.DEPARTMENT, department_code, way), then=Value(way))
            for way in (reach.OWN, reach.REGIONAL)
        ]
        return self.annotate(reach=Case(*ways, default=Value(reach.NATIONAL)))

    def latest_by_reach_in_department(self, department_code, limit):
        """The latest `limit` of these fiches of the department for each reach, in that order, with
        `reach` and `reach_total` (how many fiches of that reach there are): a department page's
        sections and their counts in one query."""
        by_reach = {"partition_by": F("reach")}
        latest_first = (F("published_at").desc(), F("pk"))
        return (
            self.by_reach_in_department(department_code)
            .annotate(
                position=Window(RowNumber(), order_by=latest_first, **by_reach),
                reach_total=Window(models.Count("pk"), **by_reach),
            )
            .filter(position__lte=limit)
            .order_by("reach", "position")
        )

    def with_every_structure_kind(self, kinds):
        """Fiches involving a structure of each of the kinds: « coopérations entre » them."""
        queryset = self
        for kind in kinds:
            participations = Participation.objects.filter(cooperation=OuterRef("pk"), structure__kind=kind)
            queryset = queryset.filter(Exists(participations))
        return queryset

    def with_any_form(self, codes):
        links = self.model.forms.through.objects.filter(cooperationform__code__in=codes)
        return self.filter(Exists(links.filter(cooperation=OuterRef("pk"))))

    def in_any_sector(self, slugs):
        through = self.model.sectors.through.objects
        return self.filter(Exists(through.filter(cooperation=OuterRef("pk"), sector__slug__in=slugs)))

    def with_any_structure_kind(self, kinds):
        participations = Participation.objects.filter(cooperation=OuterRef("pk"), structure__kind__in=kinds)
        return self.filter(Exists(participations))

    def with_participants(self):
        """Participations with their structures, leads first: one more query, for the list's cards."""
        return self.prefetch_related(
            models.Prefetch(
                "participations",
                queryset=Participation.objects.select_related("structure").in_role_order(),
            )
        )

    def for_detail(self):
        """Everything the fiche page shows, one query per relation."""
        return self.select_related("organisation").prefetch_related(
            "forms",
            "sectors",
            "regions",
            models.Prefetch("departments", queryset=Department.objects.select_related("region")),
            models.Prefetch("communes", queryset=Commune.objects.select_related("department")),
            models.Prefetch(
                "participations",
                queryset=Participation.objects.select_related("structure__commune").in_role_order(),
            ),
            "figures",
            models.Prefetch("sources", queryset=Source.objects.order_by("-published_on", "-published_year")),
        )

    def similar_to(self, cooperation, limit):
        """The `limit` fiches among these that share most with this one, the latest first among equals:
        a point for each shared form and sector, and one for belonging to one of its regions (reach.py).

        One query; the cooperation's forms, sectors, regions and departments must be prefetched. The
        points are counted from the link tables' indexes and grouped, so that only the fiches sharing
        something are read, instead of scoring every fiche of the directory.
        """
        form_ids = [form.pk for form in cooperation.forms.all()]
        sector_ids = [sector.pk for sector in cooperation.sectors.all()]
        region_codes = {region.pk for region in cooperation.regions.all()}
        region_codes |= {department.region_id for department in cooperation.departments.all()}
        table = {name: getattr(self.model, name).through._meta.db_table for name in LINKS}

        def marks(values):
            return ", ".join(["%s"] * len(values))

        points, params = [], []
        for relation, column, values in (
            ("forms", "cooperationform_id", form_ids),
            ("sectors", "sector_id", sector_ids),
        ):
            if values:
                points.append(
                    f"SELECT cooperation_id FROM {table[relation]} WHERE {column} IN ({marks(values)})"
                )
                params += values
        if region_codes:
            codes = sorted(region_codes)
            # DISTINCT: a fiche in two departments of a region scores one region point.
            points.append(
                f"SELECT DISTINCT r.cooperation_id FROM ({reach.pairs(reach.REGION)}) AS r"
                f" WHERE r.code IN ({marks(codes)})"
            )
            params += codes
        if not points:
            return self.none()
        try:
            candidates, candidate_params = (
                self.exclude(pk=cooperation.pk).order_by().values("pk").query.sql_with_params()
            )
        except EmptyResultSet:  # `self` is known to be empty without asking the database
            return self.none()
        # The best `limit` are chosen from the ids and dates alone (an index-only scan), and only
        # their rows are read; a tie on the date, which a timestamp makes unlikely, goes to the id.
        table = self.model._meta.db_table
        return self.raw(
            f"SELECT c.* FROM {table} AS c JOIN ("
            f" SELECT p.id, s.score, p.published_at FROM {table} AS p JOIN ("
            f"  SELECT cooperation_id, COUNT(*) AS score FROM ({' UNION ALL '.join(points)}) AS points"
            "  GROUP BY cooperation_id) AS s ON s.cooperation_id = p.id"
            f" WHERE p.id IN ({candidates})"
            " ORDER BY s.score DESC, p.published_at DESC, p.id LIMIT %s"
            ") AS best ON best.id = c.id ORDER BY best.score DESC, best.published_at DESC, c.id",
            [*params, *candidate_params, limit],
        )

    def for_cards(self):
        """What a fiche card shows besides its own fields: forms and place, three queries in all."""
        return self.prefetch_related(*self.model.CARD_RELATIONS)
