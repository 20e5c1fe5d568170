"""Official French territories, keyed by their INSEE codes (Code officiel géographique 2026)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.text import fold


class Territory(models.Model):
    code = models.CharField(_("code INSEE"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    # Folded name ("seine saint denis") used by the look-ups; filled on save and by the loader.
    search_name = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class Region(Territory):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)

    class Meta(Territory.Meta):
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def get_absolute_url(self):
        return reverse("territories:region", args=[self.slug])


class Department(Territory):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("région")
    )

    class Meta(Territory.Meta):
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def get_absolute_url(self):
        return reverse("territories:department", args=[self.slug])


class EPCI(Territory):
    class Kind(models.TextChoices):
        CC = "CC", _("Communauté de communes")
        CA = "CA", _("Communauté d'agglomération")
        CU = "CU", _("Communauté urbaine")
        METRO = "METRO", _("Métropole")
        MET69 = "MET69", _("Métropole de Lyon")

    kind = models.CharField(_("nature"), max_length=5, choices=Kind.choices)

    class Meta(Territory.Meta):
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")


class Commune(Territory):
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name=_("département")
    )
    epci = models.ForeignKey(
        EPCI,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("EPCI"),
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta(Territory.Meta):
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return f"{self.name} ({self.department_id})"
