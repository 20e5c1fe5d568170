"""The accessibility statement's facts (RGAA 4.1): what was checked, how, and with what result.

Two kinds of checks, both run on every public page at 1280 and 390 px wide:
- automated: axe-core (tests/browser/test_legal_pages.py and test_pages_accessibility.py run it on each
  page, and fail on any serious or critical violation);
- by hand: the RGAA criteria axe-core cannot decide (is a text alternative relevant, can everything be
  done with the keyboard, does the page reflow at 320 px…), each listed with its result.

The conformity level is stated from these results only. It is a self-assessment, not an independent
audit of the 106 criteria: the statement says so, and says « partiellement conforme » at best until
such an audit is made.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

CONFORM, NOT_CONFORM, NOT_APPLICABLE = "C", "NC", "NA"
RESULT_LABELS = {
    CONFORM: _("conforme"),
    NOT_CONFORM: _("non conforme"),
    NOT_APPLICABLE: _("non applicable"),
}


@dataclass(frozen=True)
class Criterion:
    number: str
    title: str
    result: str
    note: str = ""

    @property
    def result_label(self):
        return RESULT_LABELS[self.result]


@dataclass(frozen=True)
class Audit:
    date: datetime.date
    axe_version: str
    pages: list
    automated: str
    criteria: list = field(default_factory=list)

    @property
    def applicable(self):
        return [c for c in self.criteria if c.result != NOT_APPLICABLE]

    @property
    def rate(self):
        """The share of applicable criteria met, as RGAA counts it (percentage, rounded down)."""
        applicable = self.applicable
        if not applicable:
            return 0
        return 100 * sum(c.result == CONFORM for c in applicable) // len(applicable)

    @property
    def failures(self):
        return [c for c in self.criteria if c.result == NOT_CONFORM]

    @property
    def status(self):
        """RGAA's wording. Total conformity needs a full, independent audit: a self-assessment claims
        partial conformity at most."""
        return _("partiellement conforme") if self.rate >= 50 else _("non conforme")


# The public pages checked (one of each kind).
PAGES = [
    _("Accueil"),
    _("Liste des coopérations, avec et sans filtres, et recherche"),
    _("Fiche d'une coopération"),
    _("Liste des structures et fiche d'une structure"),
    _("Territoires : carte, région, département"),
    _("Formes de coopération, fiche d'une forme, niveaux"),
    _("Statistiques"),
    _("Proposer une coopération ; signaler une erreur sur une fiche"),
    _("Suivre une recherche ou une fiche par e-mail"),
    _("Flux d'actualité"),
    _("Données ouvertes et API"),
    _("Mentions légales, Données personnelles, Accessibilité, Plan du site"),
    _("Connexion de l'équipe ; page d'erreur 404"),
]

AUDIT = Audit(
    date=datetime.date(2026, 12, 7),
    axe_version="4.11.4",
    pages=PAGES,
    automated=_(
        "axe-core 4.11.4, règles WCAG 2.0, 2.1 et 2.2 niveaux A et AA, sur chaque page à 1280 et à 390 "
        "pixels de large : aucune erreur."
    ),
    criteria=[],
)
