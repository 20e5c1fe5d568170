"""Structures: the SIAE, disability-sector enterprises and partners that take part in cooperations."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret

from lib.history import HistoricalRecords
from lib.locking import VersionedModel
from lib.text import fold, save_with_unique_slug

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
        if self.slug:
            return super().save(*args, **kwargs)
        return save_with_unique_slug(self, self.name, lambda: super(Network, self).save(*args, **kwargs))


class StructureQuerySet(models.QuerySet):
    def with_place(self):
        return self.select_related("commune", "department__region")

    def search(self, text):
        """Structures whose name or commune contains every word of `text`, accents and case folded."""
        queryset = self
        for word in fold(text).split():
            queryset = queryset.filter(Q(search_name__contains=word) | Q(commune__search_name__contains=word))
        return queryset


class Structure(VersionedModel):
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
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("modifiée par"),
    )
    # `version` (VersionedModel): a save from a copy read before someone else's save is refused.

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
        permissions = [
            ("import_structure", _("Peut importer des structures")),
            ("merge_structure", _("Peut fusionner deux structures (et annuler la fusion)")),
        ]
        indexes = [
            # Close names, for the likely duplicates (structures.duplicates): pg_trgm's % operator.
            GinIndex(fields=["search_name"], opclasses=["gin_trgm_ops"], name="structure_name_trgm_idx"),
        ]
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
        if self.slug:
            return super().save(*args, **kwargs)
        return save_with_unique_slug(self, self.name, lambda: super(Structure, self).save(*args, **kwargs))

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

    @classmethod
    def successor_pk(cls, pk):
        """The structure that now holds what structure `pk` was: itself, or the one it was merged into
        (following later merges too). lib.history.renamed() follows it for old addresses."""
        seen = set()
        while pk not in seen:
            seen.add(pk)
            merge = StructureMerge.objects.active().filter(absorbed_id=pk).order_by("-merged_at").first()
            if merge is None:
                return pk
            pk = merge.survivor_id
        return pk


class StructureMergeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(undone_at__isnull=True)


class StructureMerge(models.Model):
    """Two structures made one: the absorbed one is deleted (its versions stay), its participations
    moved to the survivor. What the merge changed is kept here, so that it can be undone."""

    # Kept when the survivor is itself merged later into a third one (no database constraint): undoing
    # that later merge brings it back under the same number.
    survivor = models.ForeignKey(
        Structure,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="merges",
        verbose_name=_("structure gardée"),
    )
    # The absorbed structure no longer exists: its number, name and address, and its versions.
    absorbed_id = models.PositiveBigIntegerField(_("n° de la structure absorbée"), db_index=True)
    absorbed_name = models.CharField(_("structure absorbée"), max_length=200)
    absorbed_slug = models.SlugField(_("adresse de la structure absorbée"), max_length=90)
    # {field: [value before the merge, value after]} of the survivor's fields the merge changed, as
    # stored (many-to-many fields as lists of ids); and the participations moved or collapsed.
    survivor_changes = models.JSONField(_("champs repris"), default=dict, blank=True)
    participations = models.JSONField(_("participations déplacées"), default=list, blank=True)
    merged_at = models.DateTimeField(_("fusionnées le"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("fusionnées par"),
    )
    # The survivor's version recorded by the merge, where its history offers to undo it.
    survivor_history_id = models.PositiveBigIntegerField(null=True, blank=True)
    undone_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("annulée par"),
    )

    objects = StructureMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("fusion de structures")
        verbose_name_plural = _("fusions de structures")

    def __str__(self):
        return _("« %(absorbed)s » fusionnée dans « %(survivor)s »") % {
            "absorbed": self.absorbed_name,
            "survivor": self.survivor,
        }

    @property
    def is_undone(self):
        return self.undone_at is not None


class DuplicateDismissal(models.Model):
    """Two structures an editor said are not duplicates: no longer listed as likely ones."""

    first = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(auto_now_add=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("faux doublon")
        verbose_name_plural = _("faux doublons")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_dismissal_unique_pair"),
            # One row per pair, the lower number first.
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="dismissal_ordered"
            ),
        ]

    def __str__(self):
        return f"{self.first} ≠ {self.second}"


class StructureSuggestionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=StructureSuggestion.Status.PENDING)


class StructureSuggestion(models.Model):
    """What a public registry knows of a structure that we do not (manage.py enrich_structures): an
    editor takes or leaves each field in the review queue; nothing is written without that."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À examiner")
        REVIEWED = "reviewed", _("Examinée")

    class Match(models.TextChoices):
        SIRET = "siret", _("même SIRET")
        NAME = "name", _("nom et lieu proches")

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="suggestions", verbose_name=_("structure")
    )
    registry = models.CharField(_("registre"), max_length=60, help_text=_("« data·inclusion »."))
    record_source = models.CharField(_("producteur"), max_length=100, blank=True)
    record_id = models.CharField(_("identifiant dans le registre"), max_length=200)
    record_name = models.CharField(_("nom dans le registre"), max_length=200)
    record_url = models.URLField(_("adresse dans le registre"), max_length=500, blank=True)
    match = models.CharField(_("rapprochée par"), max_length=10, choices=Match.choices)
    score = models.PositiveSmallIntegerField(_("ressemblance"), help_text=_("De 0 à 100."))
    # {field: value as the structure would store it}: only what differs from the structure.
    values = models.JSONField(_("valeurs proposées"), default=dict)
    # {field: "accepted" | "dismissed"}, once reviewed.
    decisions = models.JSONField(_("décisions"), default=dict, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("examinée par"),
    )

    objects = StructureSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("complément proposé pour une structure")
        verbose_name_plural = _("compléments proposés pour des structures")

    def __str__(self):
        return _("%(registry)s pour « %(name)s »") % {"registry": self.registry, "name": self.structure}

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def value_labels(self):
        """The names of the proposed fields, as the editor reads them."""
        return [str(Structure._meta.get_field(name).verbose_name) for name in self.values]
