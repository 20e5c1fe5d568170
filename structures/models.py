"""Structures: the SIAE, disability-sector enterprises and partners that take part in cooperations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

from lib.history import HistoricalRecords
from lib.text import fold, unique_slug


def validate_siret(value):
    try:
        siret.validate(value)
    except StdnumError as error:
        raise ValidationError(
            _("« %(value)s » n'est pas un numéro SIRET valide (14 chiffres, clé de contrôle correcte)."),
            params={"value": value},
            code="invalid_siret",
        ) from error


class Sector(models.Model):
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("secteur d'activité")
        verbose_name_plural = _("secteurs d'activité")

    def __str__(self):
        return self.name


class Network(models.Model):
    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)


class StructureQuerySet(models.QuerySet):
    def with_place(self):
        return self.select_related("commune", "department__region")

    def search(self, text):
        """Structures whose name or commune contains every word of `text`, accents and case folded."""
        queryset = self
        for word in fold(text).split():
            queryset = queryset.filter(Q(search_name__contains=word) | Q(commune__search_name__contains=word))
        return queryset


class Structure(models.Model):
    class Kind(models.TextChoices):
        # IAE kinds, with the codes used by the IAE's public platforms.
        ACI = "ACI", _("Atelier et chantier d'insertion (ACI)")
        AI = "AI", _("Association intermédiaire (AI)")
        EI = "EI", _("Entreprise d'insertion (EI)")
        ETTI = "ETTI", _("Entreprise de travail temporaire d'insertion (ETTI)")
        EITI = "EITI", _("Entreprise d'insertion par le travail indépendant (EITI)")
        GEIQ = "GEIQ", _("Groupement d'employeurs pour l'insertion et la qualification (GEIQ)")
        # Disability sector.
        EA = "EA", _("Entreprise adaptée (EA)")
        EATT = "EATT", _("Entreprise adaptée de travail temporaire (EATT)")
        ESAT = "ESAT", _("Établissement et service d'accompagnement par le travail (ESAT)")
        # Partners.
        COMPANY = "company", _("Entreprise")
        PUBLIC_BODY = "public_body", _("Acteur public")
        ASSOCIATION = "association", _("Association")
        NETWORK = "network", _("Réseau / fédération")
        RESEARCH_TRAINING = "research_training", _("Recherche / formation")
        OTHER = "other", _("Autre")

    IAE_KINDS = ("ACI", "AI", "EI", "ETTI", "EITI", "GEIQ")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(
        _("adresse courte"),
        max_length=90,
        unique=True,
        help_text=_(
            "La fin de l'adresse de la structure. Vide : tirée du nom. Changée : l'ancienne adresse mène "
            "toujours à la structure."
        ),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, db_index=True)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_siret],
        help_text=_("14 chiffres, sans espaces. Facultatif, unique s'il est renseigné."),
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name=_("commune"),
    )
    department = models.ForeignKey(
        "territories.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="structures",
        verbose_name=_("département"),
        help_text=_("Déduit de la commune quand elle est renseignée."),
    )
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="structures", verbose_name=_("secteurs d'activité")
    )
    networks = models.ManyToManyField(
        Network, blank=True, related_name="structures", verbose_name=_("réseaux")
    )
    # Folded name, the key of de-duplication together with the kind.
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = StructureQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=["sectors", "networks"],
        verbose_name=_("version de structure"),
        verbose_name_plural=_("versions de structures"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        permissions = [("import_structure", _("Peut importer des structures"))]
        constraints = [
            models.UniqueConstraint(
                fields=["search_name", "kind"],
                name="structure_unique_name_kind",
                violation_error_message=_("Une structure de ce type porte déjà ce nom."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        if self.siret == "":
            self.siret = None
        if self.commune_id and not self.department_id:
            self.department_id = self.commune.department_id
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("structures:detail", args=[self.slug])

    def clean(self):
        if self.siret:
            self.siret = self.siret.replace(" ", "")
        if self.commune_id and self.department_id and self.commune.department_id != self.department_id:
            raise ValidationError(
                {"department": _("Le département ne correspond pas à celui de la commune.")}
            )
