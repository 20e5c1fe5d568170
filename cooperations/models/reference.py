"""The reference tables of the fiches: the levels of the Avise typology, the forms of cooperation with
their resource sheets, and the documents fiches are drawn from."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lib.text import slug_for


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
        return reverse("forms:detail", args=[self.code])

    @property
    def full_name(self):
        """The name with its acronym, « Groupement momentané d'entreprises (GME) », for choosing one.

        A short name that is not an acronym only repeats the name (« Convention de partenariat »,
        « Partenariat »): it is left out.
        """
        short = self.short_name
        return f"{self.name} ({short})" if short and short.isupper() and " " not in short else self.name


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

    def save(self, *args, **kwargs):
        if not self.key:
            # The identifier seed files cite a source by; made from the title for the others.
            base = slug_for(self.title, max_length=70) or "source"
            key, n = base, 2
            while Source.objects.filter(key=key).exclude(pk=self.pk).exists():
                key, n = f"{base}-{n}", n + 1
            self.key = key
        super().save(*args, **kwargs)

    @property
    def year(self):
        return self.published_on.year if self.published_on else self.published_year
