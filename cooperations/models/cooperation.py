"""The cooperation fiche (its ways of being read are in queryset.py)."""

import html

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from lib.history import HistoricalRecords
from lib.locking import VersionedModel
from lib.markdown import render_markdown
from lib.text import normalize_text, save_with_unique_slug

from .participation import Participation
from .queryset import CooperationQuerySet
from .reference import CooperationForm, Level, Source


class Cooperation(VersionedModel):
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
    # No index of their own on status and level: the Meta indexes below start with status and hold level,
    # and each indexed text column also got a pattern-matching twin that no query used, four indexes for
    # every fiche written.
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    level = models.CharField(_("niveau"), max_length=12, choices=Level.choices)
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

    # Search data, a weighted tsvector rewritten in SQL by cooperations.search_index whenever the fiche or
    # what it is searched by changes.
    search_vector = SearchVectorField(null=True, editable=False)

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
    # `version` (VersionedModel): incremented by every save, refused if the row moved on meanwhile.

    # Derived search columns (wide, never shown): left out of history, and of reads that do not search.
    SEARCH_DATA_FIELDS = ("search_vector",)
    objects = CooperationQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=["forms", "regions", "departments", "communes", "sectors", "sources"],
        # Rebuilt from the fiche, not worth a copy in every version.
        excluded_fields=list(SEARCH_DATA_FIELDS),
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
    # Kept as people see them (lib.text.normalize_text): a text typed in a browser ("\r\n") and the same
    # text read back from an export are equal, and a re-import finds nothing changed.
    TEXT_FIELDS = ("summary", *SECTION_FIELDS, "figures_text", "internal_note")

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("coopération")
        verbose_name_plural = _("coopérations")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="coop_status_published_idx"),
            # The ids of the published fiches, read by every count and facet of the list without
            # touching the table's wide rows (an index-only scan).
            models.Index(
                fields=["status", "id"],
                include=["level", "start_year", "published_at"],
                name="coop_status_id_idx",
            ),
            models.Index(fields=["start_year"], name="coop_start_year_idx"),
            # The national fiches belong to every department (models/reach.py).
            models.Index(fields=["scope"], name="coop_scope_idx"),
        ]
        permissions = [
            ("publish_cooperation", _("Peut publier et dépublier une coopération")),
            ("import_cooperation", _("Peut importer des coopérations")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        for name in self.TEXT_FIELDS:
            setattr(self, name, normalize_text(getattr(self, name)))
        if self.slug:
            return super().save(*args, **kwargs)
        return save_with_unique_slug(self, self.title, lambda: super(Cooperation, self).save(*args, **kwargs))

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
