"""The cooperation fiche and the ways it is read: published, by place, form, sector, kind of structure."""

import html

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from lib.history import HistoricalRecords
from lib.markdown import render_markdown
from lib.text import unique_slug
from territories.models import Commune, Department

from .participation import OutcomeFigure, Participation
from .reference import CooperationForm, Level, Source


class ConcurrentEditError(Exception):
    """Saving would overwrite a version of the fiche that was saved after this copy was read."""


# The many-to-many relations a fiche is compared by in similar_to().
LINKS = ("forms", "sectors", "regions", "departments")


class CooperationQuerySet(models.QuerySet):
    # Filters on related rows go through subqueries rather than joins, so that a fiche never appears
    # twice and no DISTINCT is needed (DISTINCT would constrain the orderings by rank or title).
    def published(self):
        return self.filter(status=Cooperation.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=Cooperation.Status.DRAFT)

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
        direct = Cooperation.regions.through.objects.filter(region_id=region_code)
        via_department = Cooperation.departments.through.objects.filter(department__region_id=region_code)
        ids = direct.values("cooperation_id").union(via_department.values("cooperation_id"))
        return self.filter(pk__in=ids)

    def in_department(self, department_code):
        """Fiches of the department as a director means it: placed in it, of regional scope in its
        region (linked to the region, or regional and linked to one of its departments), or national."""
        return self.filter(
            Q(pk__in=self._department_reach_ids(department_code)) | Q(scope=Cooperation.Scope.NATIONAL)
        )

    def _department_reach_ids(self, department_code, local=True, regional=True):
        departments = Cooperation.departments.through.objects
        parts = []
        if local:
            parts.append(departments.filter(department_id=department_code).values("cooperation_id"))
        if regional:
            region = Department.objects.filter(code=department_code).values("region_id")
            parts.append(
                Cooperation.regions.through.objects.filter(region_id__in=region).values("cooperation_id")
            )
            parts.append(
                departments.filter(
                    department__region_id__in=region, cooperation__scope=Cooperation.Scope.REGIONAL
                ).values("cooperation_id")
            )
        return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]

    def by_reach_in_department(self, department_code):
        """Annotate `reach`: 0 for a fiche placed in the department, 1 for one of regional scope in its
        region, 2 for a national one; for showing them apart."""
        local = Exists(
            Cooperation.departments.through.objects.filter(
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
        links = Cooperation.forms.through.objects.filter(cooperationform__code__in=codes)
        return self.filter(Exists(links.filter(cooperation=OuterRef("pk"))))

    def in_any_sector(self, slugs):
        through = Cooperation.sectors.through.objects
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
        table = {name: getattr(Cooperation, name).through._meta.db_table for name in LINKS}

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
        table = Cooperation._meta.db_table
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
        return self.prefetch_related(*Cooperation.CARD_RELATIONS)


class Cooperation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")

    class Scope(models.TextChoices):
        LOCAL = "local", _("Locale")
        DEPARTMENTAL = "departmental", _("Départementale")
        REGIONAL = "regional", _("Régionale")
        NATIONAL = "national", _("Nationale")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(
        _("adresse courte"),
        max_length=90,
        unique=True,
        help_text=_(
            "La fin de l'adresse de la fiche. Vide : tirée du titre. Changée : l'ancienne adresse mène "
            "toujours à la fiche."
        ),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices, db_index=True)
    forms = models.ManyToManyField(
        CooperationForm, blank=True, related_name="cooperations", verbose_name=_("formes de coopération")
    )
    structures = models.ManyToManyField(
        "structures.Structure",
        through="Participation",
        related_name="cooperations",
        verbose_name=_("structures"),
    )

    # Territories.
    scope = models.CharField(_("échelle"), max_length=12, choices=Scope.choices, default=Scope.LOCAL)
    regions = models.ManyToManyField(
        "territories.Region",
        blank=True,
        related_name="cooperations",
        verbose_name=_("régions"),
        help_text=_("Pour une coopération régionale sans département précis."),
    )
    departments = models.ManyToManyField(
        "territories.Department", blank=True, related_name="cooperations", verbose_name=_("départements")
    )
    communes = models.ManyToManyField(
        "territories.Commune", blank=True, related_name="cooperations", verbose_name=_("communes")
    )
    sectors = models.ManyToManyField(
        "structures.Sector", blank=True, related_name="cooperations", verbose_name=_("secteurs d'activité")
    )
    start_year = models.PositiveSmallIntegerField(
        _("année de démarrage"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )

    # Outcomes: the two figures every network asks for, then anything else stated.
    jobs_created = models.PositiveIntegerField(_("emplois créés"), null=True, blank=True)
    people_supported = models.PositiveIntegerField(_("personnes accompagnées"), null=True, blank=True)
    figures_text = models.TextField(_("autres chiffres clés"), blank=True, help_text=_("Markdown."))

    # Sections of the fiche template, in Markdown.
    summary = models.TextField(_("résumé"), blank=True, help_text=_("Deux ou trois phrases : quoi, qui, où."))
    context = models.TextField(_("contexte et éléments déclencheurs"), blank=True)
    objectives = models.TextField(_("objectifs"), blank=True)
    implementation = models.TextField(
        _("mise en œuvre"),
        blank=True,
        help_text=_("Étapes, moyens humains, financiers et techniques."),
    )
    results = models.TextField(_("résultats"), blank=True)
    success_factors = models.TextField(_("facteurs de réussite"), blank=True)
    difficulties = models.TextField(_("difficultés et solutions"), blank=True)
    indicators = models.TextField(_("indicateurs d'évaluation"), blank=True)
    replicability = models.TextField(_("reproductibilité et recommandations"), blank=True)

    sources = models.ManyToManyField(
        Source, blank=True, related_name="cooperations", verbose_name=_("sources")
    )
    # For the team only: never shown on a public page, exported or indexed for search.
    internal_note = models.TextField(
        _("note interne"),
        blank=True,
        help_text=_(
            "Pour l'équipe seulement, jamais publiée : provenance, points à vérifier, choix de saisie."
        ),
    )

    # Search data, rewritten in SQL by cooperations.search whenever the fiche or its participants change:
    # a weighted tsvector on PostgreSQL, folded words on SQLite (each backend leaves the other empty).
    search_vector = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(blank=True, default="", editable=False)

    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publiée par"),
    )
    # Optimistic locking: incremented by every save, which is refused if the row moved on meanwhile.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = CooperationQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=["forms", "regions", "departments", "communes", "sectors", "sources"],
        # Derived search columns: rebuilt from the fiche, not worth a copy in every version.
        excluded_fields=["search_vector", "search_text"],
        verbose_name=_("version de fiche"),
        verbose_name_plural=_("versions de fiches"),
    )

    # What a fiche card shows besides the fiche's own fields (cooperations/includes/card.html).
    CARD_RELATIONS = ("forms", "departments", "regions")

    SECTION_FIELDS = (
        "context",
        "objectives",
        "implementation",
        "results",
        "success_factors",
        "difficulties",
        "indicators",
        "replicability",
    )

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("coopération")
        verbose_name_plural = _("coopérations")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="coop_status_published_idx"),
            # The ids of the published fiches, read by every count and facet of the list without
            # touching the table's wide rows (an index-only scan on PostgreSQL).
            models.Index(
                fields=["status", "id"],
                include=["level", "start_year", "published_at"],
                name="coop_status_id_idx",
            ),
            models.Index(fields=["start_year"], name="coop_start_year_idx"),
            # The national fiches belong to every department (in_department, the department counts).
            models.Index(fields=["scope"], name="coop_scope_idx"),
        ]
        permissions = [
            ("publish_cooperation", _("Peut publier et dépublier une coopération")),
            ("import_cooperation", _("Peut importer des coopérations")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            # Claim the version this copy was read at; nothing matches if someone saved in between.
            claimed = Cooperation.objects.filter(pk=self.pk, version=self.version).update(
                version=F("version") + 1
            )
            if not claimed:
                raise ConcurrentEditError(self.pk)
            self.version += 1
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cooperations:detail", args=[self.slug])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def summary_text(self):
        """The summary as plain text, for cards and page descriptions."""
        return " ".join(html.unescape(strip_tags(render_markdown(self.summary))).split())

    def place_label(self):
        """Its departments, else its regions, else its scope: from the places for_cards() prefetches."""
        for places in (self.departments.all(), self.regions.all()):
            names = [place.name for place in places]
            if len(names) > 3:
                return _("%(names)s et %(count)s autres") % {
                    "names": ", ".join(names[:2]),
                    "count": len(names) - 2,
                }
            if names:
                return ", ".join(names)
        return _("Échelle %(scope)s") % {"scope": self.get_scope_display().lower()}

    def contacts(self):
        """Who to contact about the fiche, from the prefetched participations: its leads then its
        partners, split between those whose structure has contact details and the others."""
        people = [p for p in self.participations.all() if p.role in Participation.CONTACT_ROLES]
        known = [p for p in people if p.structure.has_contact]
        unknown = [p for p in people if not p.structure.has_contact]
        return {"known": known, "unknown": unknown, "incomplete": bool(unknown) or not known}

    def sections(self):
        """(label, text) of the filled sections, in the order of the fiche template."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.SECTION_FIELDS
            if getattr(self, name)
        ]
