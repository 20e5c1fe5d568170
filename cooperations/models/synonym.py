"""The field's vocabulary for the search: groups of equivalent expressions, kept by the administrators."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.text import fold

SEPARATOR = ";"


def split_terms(text):
    """The expressions of a group as typed, in order, without blanks or repeats (folded)."""
    terms, seen = [], set()
    for term in (part.strip() for part in (text or "").split(SEPARATOR)):
        if term and fold(term) and fold(term) not in seen:
            seen.add(fold(term))
            terms.append(term)
    return terms


class Synonym(models.Model):
    """Expressions a director uses for the same thing: « GES ; groupe économique solidaire ; ensemblier ».

    A query that contains one of them also finds the fiches that use any other.
    """

    terms = models.CharField(
        _("expressions équivalentes"),
        max_length=500,
        unique=True,
        help_text=_(
            "Au moins deux expressions, séparées par des points-virgules : "
            "« ressourcerie ; recyclerie ». Majuscules et accents ne comptent pas."
        ),
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonymes de la recherche")
        verbose_name_plural = _("synonymes de la recherche")

    def __str__(self):
        return " ; ".join(split_terms(self.terms))

    def clean(self):
        terms = split_terms(self.terms)
        if len(terms) < 2:
            raise ValidationError(
                {
                    "terms": _(
                        "Indiquez au moins deux expressions différentes, séparées par des points-virgules."
                    )
                }
            )
        self.terms = " ; ".join(terms)
