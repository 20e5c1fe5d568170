"""Who takes part in a fiche, and the figures it states."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords as ChildHistoricalRecords

from lib.text import fold


class ParticipationQuerySet(models.QuerySet):
    def in_role_order(self):
        """Leads first, then partners, clients, funders and others; by name within a role."""
        roles = [role for role, _label in Participation.Role.choices]
        rank = models.Case(*[models.When(role=role, then=i) for i, role in enumerate(roles)])
        return self.order_by(rank, "structure__name")


class Participation(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Porteur")
        PARTNER = "partner", _("Partenaire")
        CLIENT = "client", _("Client / donneur d'ordre")
        FUNDER = "funder", _("Financeur")
        OTHER = "other", _("Autre")

    # The structures a fiche's « Contacter » card lists: those who run the cooperation.
    CONTACT_ROLES = (Role.LEAD, Role.PARTNER)

    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("coopération"),
    )
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("structure"),
    )
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.PARTNER)

    objects = ParticipationQuerySet.as_manager()
    history = ChildHistoricalRecords(verbose_name=_("version de participation"))

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
        "cooperations.Cooperation",
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("coopération"),
    )
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=60, blank=True)
    label = models.CharField(_("libellé"), max_length=200)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    history = ChildHistoricalRecords(verbose_name=_("version de chiffre clé"))

    class Meta:
        ordering = ["cooperation", "position", "pk"]
        verbose_name = _("chiffre clé")
        verbose_name_plural = _("chiffres clés")

    def __str__(self):
        return f"{self.value.normalize():f} {self.unit} {self.label}".replace("  ", " ")

    @property
    def unit_beside_value(self):
        """The unit, unless the label already starts with it ("5" + "boulangeries prévues en 2016")."""
        if self.unit and fold(self.label).startswith(fold(self.unit)):
            return ""
        return self.unit
