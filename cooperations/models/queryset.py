"""The ways fiches are read: published, by place, form, sector, kind of structure, for cards and pages."""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce

from territories.models import Commune, Department

from .participation import OutcomeFigure, Participation
from .reference import Source

# The many-to-many relations a fiche is compared by in similar_to().
LINKS = ("forms", "sectors", "regions", "departments")


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
        """Fiches placed in the region directly or through one of its departments.

        One IN over the union of both ways: an OR of two EXISTS would be checked fiche by fiche.
        """
        direct = self.model.regions.through.objects.filter(region_id=region_code)
        via_department = self.model.departments.through.objects.filter(department__region_id=region_code)
        ids = direct.values("cooperation_id").union(via_department.values("cooperation_id"))
        return self.filter(pk__in=ids)

    def in_department(self, department_code):
        """Fiches of the department as a director means it: placed in it, of regional scope in its
        region (linked to the region, or regional and linked to one of its departments), or national."""
        return self.filter(
            Q(pk__in=self._department_reach_ids(department_code)) | Q(scope=self.model.Scope.NATIONAL)
        )

    def _department_reach_ids(self, department_code, local=True, regional=True):
        departments = self.model.departments.through.objects
        parts = []
        if local:
            parts.append(departments.filter(department_id=department_code).values("cooperation_id"))
        if regional:
            region = Department.objects.filter(code=department_code).values("region_id")
            parts.append(
                self.model.regions.through.objects.filter(region_id__in=region).values("cooperation_id")
            )
            parts.append(
                departments.filter(
                    department__region_id__in=region, cooperation__scope=self.model.Scope.REGIONAL
                ).values("cooperation_id")
            )
        return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]

    def by_reach_in_department(self, department_code):
        """Annotate `reach`: 0 for a fiche placed in the department, 1 for one of regional scope in its
        region, 2 for a national one; for showing them apart."""
        local = Exists(
            self.model.departments.through.objects.filter(
                cooperation=OuterRef("pk"), department_id=department_code
            )
        )
        regional = Q(pk__in=self._department_reach_ids(department_code, local=False))
        return self.annotate(
            reach=Case(When(local, then=Value(0)), When(regional, then=Value(1)), default=Value(2))
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
        return self.prefetch_related(
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
        a point for each shared form and sector, and one for being in one of its regions.

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
            # UNION, not UNION ALL: a fiche in two departments of a region scores one region point.
            points.append(
                f"SELECT cooperation_id FROM (SELECT cooperation_id FROM {table['regions']}"
                f" WHERE region_id IN ({marks(codes)}) UNION SELECT l.cooperation_id"
                f" FROM {table['departments']} AS l JOIN {Department._meta.db_table} AS d"
                f" ON d.code = l.department_id WHERE d.region_id IN ({marks(codes)})) AS places"
            )
            params += codes + codes
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
