"""The accessibility statement's facts (RGAA 4.1): what was checked, how, and with what result.

Two kinds of checks, both run on every public page at 1280 and 390 px wide:
- automated: axe-core (tests/browser/test_pages_accessibility.py, test_cooperation_list.py… run it on
  each page at both widths, and fail on any violation);
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
    criteria=[
        Criterion(
            "1.1",
            _("Images porteuses d'information : alternative textuelle"),
            CONFORM,
            _(
                "Les cartes sont des groupes titrés par leur légende ; leurs chiffres sont repris dans la "
                "liste à côté."
            ),
        ),
        Criterion(
            "1.2",
            _("Images de décoration ignorées"),
            CONFORM,
            _(
                "Barres des graphiques et pastilles de légende masquées (aria-hidden), les nombres étant "
                "écrits."
            ),
        ),
        Criterion("1.3", _("Alternatives textuelles pertinentes"), CONFORM),
        Criterion("1.8", _("Images texte"), NOT_APPLICABLE, _("Aucune image ne contient de texte.")),
        Criterion("2.1", _("Cadres titrés"), NOT_APPLICABLE, _("Aucun cadre sur les pages publiques.")),
        Criterion(
            "3.1",
            _("Information pas donnée par la seule couleur"),
            CONFORM,
            _("Sur les cartes, chaque teinte a aussi un motif, et chaque nombre est écrit."),
        ),
        Criterion(
            "3.2",
            _("Contraste du texte"),
            CONFORM,
            _(
                "Mesuré par axe-core ; vérifié à la main là où il ne peut conclure (champs à icône, "
                "étiquettes "
                "des cartes, écrites avec un liseré blanc)."
            ),
        ),
        Criterion(
            "3.3",
            _("Contraste des composants d'interface"),
            CONFORM,
            _(
                "Bordure des champs et des cases à 3,7:1 (corrigée : elle était à 1,4:1), contour du focus "
                "à plus de 3:1."
            ),
        ),
        Criterion("4.1", _("Médias temporels"), NOT_APPLICABLE, _("Ni vidéo, ni son, ni animation.")),
        Criterion(
            "5.4", _("Titre des tableaux de données"), CONFORM, _("Chaque tableau a sa légende (caption).")
        ),
        Criterion("5.6", _("En-têtes des tableaux de données"), CONFORM),
        Criterion(
            "5.7",
            _("Cellules associées à leurs en-têtes"),
            CONFORM,
            _("En-têtes de ligne et de colonne (scope)."),
        ),
        Criterion(
            "6.1",
            _("Liens explicites"),
            CONFORM,
            _(
                "Les liens de même intitulé mènent au même endroit, hors « passer la carte », explicite par "
                "son contexte."
            ),
        ),
        Criterion(
            "7.1",
            _("Scripts compatibles avec les technologies d'assistance"),
            CONFORM,
            _(
                "Filtres de la liste et bouton « Copier l'adresse » annoncés par des zones de statut ; les "
                "pages "
                "publiques marchent sans script."
            ),
        ),
        Criterion("7.3", _("Scripts utilisables au clavier"), CONFORM),
        Criterion(
            "7.5",
            _("Messages de statut"),
            CONFORM,
            _("Nombre de résultats, message après une action, adresse copiée : role=status."),
        ),
        Criterion("8.5", _("Titre de page présent"), CONFORM),
        Criterion(
            "8.6",
            _("Titre de page pertinent"),
            CONFORM,
            _("Chaque titre nomme la page puis le site ; celui d'une recherche reprend ce qui est cherché."),
        ),
        Criterion(
            "8.7",
            _("Changements de langue indiqués"),
            CONFORM,
            _(
                "Les seuls mots étrangers sont des noms propres (Open Licence, Swagger UI), qui en sont "
                "dispensés."
            ),
        ),
        Criterion(
            "9.1",
            _("Titres hiérarchisés"),
            CONFORM,
            _("Un seul titre de niveau 1 par page, sans saut de niveau."),
        ),
        Criterion(
            "9.2",
            _("Structure du document"),
            CONFORM,
            _("En-tête, navigations nommées, contenu principal, pied de page."),
        ),
        Criterion("9.3", _("Listes structurées"), CONFORM),
        Criterion("10.4", _("Texte lisible à 200 %"), CONFORM),
        Criterion("10.6", _("Liens visibles dans le texte"), CONFORM, _("Soulignés.")),
        Criterion(
            "10.7",
            _("Focus visible"),
            CONFORM,
            _(
                "Contour plein de 3 pixels sur chacun des 25 premiers éléments atteints à la touche Tab de "
                "chaque page."
            ),
        ),
        Criterion(
            "10.11",
            _("Pas de défilement horizontal à 320 pixels"),
            CONFORM,
            _(
                "Chaque page mesurée à 320 pixels ; les graphiques des statistiques débordaient de 3 pixels "
                "(corrigé)."
            ),
        ),
        Criterion(
            "10.12",
            _("Espacement du texte augmenté sans perte"),
            CONFORM,
            _(
                "Interlignage 1,5, espacement des lettres 0,12 em, des mots 0,16 em, des paragraphes 2 em : "
                "rien "
                "n'est coupé."
            ),
        ),
        Criterion(
            "10.13", _("Contenus additionnels au survol ou au focus"), NOT_APPLICABLE, _("Aucune infobulle.")
        ),
        Criterion("11.1", _("Champs étiquetés"), CONFORM),
        Criterion("11.2", _("Étiquettes pertinentes"), CONFORM),
        Criterion(
            "11.5",
            _("Champs de même nature regroupés"),
            CONFORM,
            _("Boutons radio et cases dans des fieldset."),
        ),
        Criterion("11.6", _("Regroupements légendés"), CONFORM),
        Criterion("11.9", _("Intitulés des boutons pertinents"), CONFORM),
        Criterion(
            "11.10",
            _("Contrôle de saisie"),
            CONFORM,
            _(
                "Champs obligatoires marqués (required), champs facultatifs dits « facultatif » ; chaque "
                "erreur "
                "est écrite sous son champ."
            ),
        ),
        Criterion(
            "11.11",
            _("Suggestions de correction"),
            CONFORM,
            _("Par exemple : « vouliez-vous dire 93 Seine-Saint-Denis ? »."),
        ),
        Criterion(
            "11.13",
            _("Finalité des champs sur l'utilisateur"),
            CONFORM,
            _(
                "Nom et adresse e-mail des formulaires publics : autocomplete=name et email (ajoutés lors de "
                "cette vérification)."
            ),
        ),
        Criterion("12.1", _("Deux systèmes de navigation"), CONFORM, _("Menu, plan du site et recherche.")),
        Criterion("12.3", _("Plan du site pertinent"), CONFORM),
        Criterion("12.6", _("Zones de regroupement identifiables"), CONFORM),
        Criterion(
            "12.7",
            _("Lien d'évitement vers le contenu"),
            CONFORM,
            _(
                "« Aller au contenu », premier élément atteint au clavier (la page de connexion place le "
                "focus dans "
                "son premier champ)."
            ),
        ),
        Criterion("12.8", _("Ordre de tabulation cohérent"), CONFORM),
        Criterion("12.9", _("Pas de piège au clavier"), CONFORM),
        Criterion(
            "13.1",
            _("Limites de temps contrôlables"),
            CONFORM,
            _(
                "Un formulaire public reste valable 24 heures ; au-delà, il est renvoyé avec les réponses "
                "gardées."
            ),
        ),
        Criterion("13.2", _("Pas de nouvelle fenêtre sans action"), CONFORM),
        Criterion(
            "13.3",
            _("Documents téléchargeables accessibles"),
            NOT_APPLICABLE,
            _("Les seuls fichiers sont des données (CSV, JSON), décrites sur la page Données ouvertes."),
        ),
        Criterion("13.8", _("Contenus en mouvement"), NOT_APPLICABLE, _("Aucun.")),
        Criterion("13.9", _("Consultable dans toutes les orientations"), CONFORM),
    ],
)
