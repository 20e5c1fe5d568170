"""Structures: the SIAE, disability-sector enterprises and partners that take part in cooperations."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

from lib.history import HistoricalRecords
from lib.text import fold, unique_slug

from .contact import ANNUAIRE_URL, PHONE_REGION, phone_text, validate_postal_code, website_label


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
        # An SIAE whose agreement (conventionnement) is not known, and groups of SIAE.
        SIAE = "SIAE", _("Structure d'insertion au conventionnement non précisé (SIAE)")
        GES = "GES", _("Groupe économique solidaire ou ensemblier (GES)")
        # Disability sector.
        EA = "EA", _("Entreprise adaptée (EA)")
        EATT = "EATT", _("Entreprise adaptée de travail temporaire (EATT)")
        ESAT = "ESAT", _("Établissement et service d'accompagnement par le travail (ESAT)")
        # Partners. The public ones are told apart because SIAE deal with each differently: the
        # State (DREETS, justice), local authorities, the public employment service, social landlords.
        COMPANY = "company", _("Entreprise")
        SOCIAL_LANDLORD = "social_landlord", _("Bailleur social")
        LOCAL_AUTHORITY = "local_authority", _("Collectivité territoriale")
        STATE_SERVICE = "state_service", _("Service de l'État")
        EMPLOYMENT_SERVICE = "employment_service", _("Service public de l'emploi")
        PUBLIC_BODY = "public_body", _("Acteur public")
        ASSOCIATION = "association", _("Association")
        MANAGING_ASSOCIATION = "managing_association", _("Association gestionnaire")
        FOUNDATION = "foundation", _("Fondation")
        NETWORK = "network", _("Réseau / fédération")
        RESEARCH_TRAINING = "research_training", _("Recherche / formation")
        OTHER = "other", _("Autre")

    IAE_KINDS = ("ACI", "AI", "EI", "ETTI", "EITI", "GEIQ", "SIAE", "GES")
    # The kinds of the insertion and disability sectors: every fiche has a participant of one of them.
    INCLUSIVE_KINDS = (*IAE_KINDS, "EA", "EATT", "ESAT")

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
    # Public contact details, shown on the structure's page and on its fiches' « Contacter » card.
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(
        _("adresse e-mail"),
        blank=True,
        help_text=_(
            "Une adresse de fonction (contact@…, accueil@…), jamais celle d'une personne : elle est publiée."
        ),
    )
    phone = PhoneNumberField(
        _("téléphone"),
        region=PHONE_REGION,
        max_length=32,
        blank=True,
        help_text=_("Le standard de la structure : 03 84 27 49 37, ou +32 2 555 12 12 à l'étranger."),
    )
    address = models.CharField(
        _("adresse postale"),
        max_length=200,
        blank=True,
        help_text=_("Numéro, voie et complément ; la commune est choisie dans le champ « commune »."),
    )
    postal_code = models.CharField(
        _("code postal"), max_length=5, blank=True, validators=[validate_postal_code]
    )
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="structures", verbose_name=_("secteurs d'activité")
    )
    networks = models.ManyToManyField(
        Network, blank=True, related_name="structures", verbose_name=_("réseaux")
    )
    internal_note = models.TextField(
        _("note interne"),
        blank=True,
        help_text=_(
            "Pour l'équipe seulement, jamais publiée : provenance, points à vérifier, choix de saisie."
        ),
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

    @property
    def phone_display(self):
        return phone_text(self.phone)

    @property
    def website_label(self):
        return website_label(self.website)

    @property
    def annuaire_url(self):
        """The establishment's page in the public directory of French companies, from its SIRET."""
        return ANNUAIRE_URL.format(siret=self.siret) if self.siret else ""

    @property
    def has_contact(self):
        return bool(self.website or self.email or self.phone or self.address)
