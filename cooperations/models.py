"""The cooperation fiche and its reference tables (forms, sources)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.text import unique_slug


class Level(models.TextChoices):
    """The Avise typology: how far the partners go together."""

    SIMPLE = "simple", _("Coopération simple")
    STRATEGIC = "strategic", _("Coopération stratégique")
    REINFORCED = "reinforced", _("Coopération renforcée")


class LevelSheet(models.Model):
    """The resource sheet of one level of the Avise typology."""

    code = models.CharField(_("niveau"), max_length=12, choices=Level.choices, unique=True)
    summary = models.CharField(_("en une phrase"), max_length=400, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("fiche de niveau")
        verbose_name_plural = _("fiches de niveau")

    def __str__(self):
        return self.get_code_display()


class CooperationForm(models.Model):
    """A legal or organisational form of cooperation, with its resource sheet."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=150, unique=True)
    short_name = models.CharField(_("sigle"), max_length=40, blank=True)
    summary = models.CharField(_("en une phrase"), max_length=400, blank=True)
    definition = models.TextField(_("définition"), blank=True, help_text=_("Markdown."))
    objectives = models.TextField(_("à quoi sert-elle"), blank=True, help_text=_("Markdown."))
    legal_frame = models.TextField(_("cadre juridique"), blank=True, help_text=_("Markdown."))
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forme de coopération")
        verbose_name_plural = _("formes de coopération")

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("cooperations:form", args=[self.code])


class Source(models.Model):
    """A document a fiche is drawn from."""

    key = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    published_year = models.PositiveSmallIntegerField(
        _("année de publication"),
        null=True,
        blank=True,
        help_text=_("Quand seule l'année est connue."),
    )
    url = models.URLField(_("adresse"), max_length=500, blank=True)

    class Meta:
        ordering = ["publisher", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return f"{self.title} ({self.publisher})" if self.publisher else self.title

    @property
    def year(self):
        return self.published_on.year if self.published_on else self.published_year


class CooperationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Cooperation.Status.PUBLISHED)

    def in_region(self, region_code):
        return self.filter(Q(regions__code=region_code) | Q(departments__region__code=region_code)).distinct()

    def in_department(self, department_code):
        return self.filter(departments__code=department_code)


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
        help_text=_("Fixée à la création pour que les liens restent stables."),
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

    objects = CooperationQuerySet.as_manager()

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
        indexes = [models.Index(fields=["status", "-published_at"], name="coop_status_published_idx")]
        permissions = [
            ("publish_cooperation", _("Peut publier et dépublier une coopération")),
            ("import_cooperation", _("Peut importer des coopérations")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cooperations:detail", args=[self.slug])

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def sections(self):
        """(label, text) of the filled sections, in the order of the fiche template."""
        return [
            (self._meta.get_field(name).verbose_name, getattr(self, name))
            for name in self.SECTION_FIELDS
            if getattr(self, name)
        ]


class Participation(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Porteur")
        PARTNER = "partner", _("Partenaire")
        CLIENT = "client", _("Client / donneur d'ordre")
        FUNDER = "funder", _("Financeur")
        OTHER = "other", _("Autre")

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="participations", verbose_name=_("coopération")
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("structure"),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.PARTNER)

    class Meta:
        ordering = ["cooperation", "role", "structure__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["cooperation", "structure"],
                name="participation_unique_structure",
                violation_error_message=_("Cette structure participe déjà à cette coopération."),
            )
        ]

    def __str__(self):
        return f"{self.structure} ({self.get_role_display()})"


class OutcomeFigure(models.Model):
    """A stated numeric outcome other than jobs and people: tonnes, hectares, households..."""

    cooperation = models.ForeignKey(
        Cooperation, on_delete=models.CASCADE, related_name="figures", verbose_name=_("coopération")
    )
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=60, blank=True)
    label = models.CharField(_("libellé"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["cooperation", "position", "pk"]
        verbose_name = _("chiffre clé")
        verbose_name_plural = _("chiffres clés")

    def __str__(self):
        return f"{self.value.normalize():f} {self.unit} {self.label}".replace("  ", " ")
