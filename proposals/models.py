"""Cooperations proposed by the public, waiting for network staff to review them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.dates import months_before
from structures.resources import kind_label

# The name and address of whoever proposed a fiche or suggested a correction serve to answer them: they
# are erased this many months after the review (pages « Données personnelles », erase_personal_data).
CONTACT_KEPT_MONTHS = 6


class ContactQuerySet(models.QuerySet):
    """Proposals and suggestions alike: `contact_fields` names where the person's details are kept."""

    contact_fields = ()

    def pending(self):
        return self.filter(status="pending")

    def contact_to_erase(self, now):
        """Reviewed more than CONTACT_KEPT_MONTHS ago, with a name or an address still kept."""
        kept = models.Q()
        for name in self.contact_fields:
            kept |= ~models.Q(**{name: ""})
        cutoff = months_before(now, CONTACT_KEPT_MONTHS)
        return self.exclude(status="pending").filter(kept, reviewed_at__lt=cutoff)


class ProposalQuerySet(ContactQuerySet):
    contact_fields = ("contact_name", "contact_email")


class Proposal(models.Model):
    """Who proposed a draft fiche and what they said about the structures, kept apart from the fiche."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À examiner")
        ACCEPTED = "accepted", _("Retenue")
        DECLINED = "declined", _("Écartée")

    cooperation = models.OneToOneField(
        "cooperations.Cooperation",
        on_delete=models.CASCADE,
        related_name="proposal",
        verbose_name=_("fiche brouillon"),
    )
    structures_text = models.TextField(
        _("structures impliquées"),
        blank=True,
        help_text=_(
            "Telles que saisies : une structure par ligne (propositions envoyées avant les lignes de "
            "participants)."
        ),
    )
    # [{"name": …, "kind": a Structure.Kind or "", "role": a Participation.Role}], as typed.
    participants = models.JSONField(_("participants"), default=list, blank=True)
    source_title = models.CharField(_("source indiquée"), max_length=300, blank=True)
    source_url = models.URLField(_("adresse de la source"), max_length=500, blank=True)
    # Blank once erased, some months after the review (CONTACT_KEPT_MONTHS).
    contact_name = models.CharField(_("nom du contact"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail du contact"), blank=True)
    submitted_at = models.DateTimeField(_("proposée le"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    dismissal_reason = models.TextField(
        _("raison"), blank=True, help_text=_("Pourquoi la proposition est écartée ; envoyée à la personne.")
    )
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("examinée par"),
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")

    def __str__(self):
        return str(self.cooperation)

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    def structure_lines(self):
        """The structures as (name, kind) pairs, the kind as people read it; for proposals sent as text,
        the kind is what follows a « ; » on the line."""
        if self.participants:
            return [
                (row["name"], kind_label(row["kind"]) if row.get("kind") else "") for row in self.participants
            ]
        lines = []
        for line in self.structures_text.splitlines():
            name, _sep, kind = line.partition(";")
            if name.strip():
                lines.append((name.strip(), kind.strip()))
        return lines


class CorrectionQuerySet(ContactQuerySet):
    contact_fields = ("name", "email")


class Correction(models.Model):
    """An error reported on a published fiche, or something to add to it, sent by anyone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("À examiner")
        ACCEPTED = "accepted", _("Retenue")
        DISMISSED = "dismissed", _("Écartée")

    cooperation = models.ForeignKey(
        "cooperations.Cooperation",
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("fiche"),
    )
    message = models.TextField(_("suggestion"))
    name = models.CharField(_("nom"), max_length=120, blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Pour dire à la personne ce qu'il advient de sa suggestion.")
    )
    submitted_at = models.DateTimeField(_("envoyée le"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    dismissal_reason = models.TextField(
        _("raison"), blank=True, help_text=_("Pourquoi la suggestion est écartée ; envoyée à la personne.")
    )
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("examinée par"),
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("suggestion de correction")
        verbose_name_plural = _("suggestions de correction")

    def __str__(self):
        return _("Sur « %(title)s »") % {"title": self.cooperation.title}

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
