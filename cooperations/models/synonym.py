"""The field's vocabulary for the search: groups of equivalent expressions, kept by the administrators."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.text import fold

SEPARATOR = ";"

# The field's equivalences, as the administrators find them in the admin the first time (data migration).
FIELD_EQUIVALENCES = [
    # Forms of cooperation.
    "GES ; groupe économique solidaire ; ensemblier ; ensemblier d'insertion ; groupe d'insertion",
    "ressourcerie ; recyclerie",
    "JVS ; joint-venture sociale ; joint venture sociale ; coentreprise sociale",
    "TZCLD ; territoire zéro chômeur de longue durée ; territoire zéro chômeur ; zéro chômeur ; EBE ; "
    "entreprise à but d'emploi",
    "PTCE ; pôle territorial de coopération économique",
    "GME ; groupement momentané d'entreprises ; cotraitance",
    "RQ ; régie de quartier ; régie de territoire",
    "PAT ; projet alimentaire territorial",
    "GE ; groupement d'employeurs",
    "SCIC ; société coopérative d'intérêt collectif",
    "SCOP ; société coopérative et participative ; société coopérative ouvrière de production",
    "GIE ; groupement d'intérêt économique",
    "clause sociale ; clauses d'insertion ; clause d'insertion",
    "QPV ; quartier prioritaire ; quartier prioritaire de la politique de la ville ; "
    "quartier politique de la ville",
    "ESS ; économie sociale et solidaire",
    "IAE ; insertion par l'activité économique",
    "DEEE ; déchets d'équipements électriques et électroniques",
    "RSE ; responsabilité sociétale des entreprises ; responsabilité sociale des entreprises",
    "DREETS ; direction régionale de l'économie, de l'emploi, du travail et des solidarités",
    "France Travail ; Pôle emploi",
    # The kinds of structure of the insertion and disability sectors, by code and by label.
    "ACI ; atelier et chantier d'insertion ; atelier chantier d'insertion ; chantier d'insertion",
    "AI ; association intermédiaire",
    "EI ; entreprise d'insertion",
    "ETTI ; entreprise de travail temporaire d'insertion ; intérim d'insertion",
    "EITI ; entreprise d'insertion par le travail indépendant",
    "GEIQ ; groupement d'employeurs pour l'insertion et la qualification",
    "SIAE ; structure d'insertion par l'activité économique ; structure d'insertion",
    "EA ; entreprise adaptée",
    "EATT ; entreprise adaptée de travail temporaire",
    "ESAT ; établissement et service d'accompagnement par le travail ; établissement et service d'aide "
    "par le travail ; CAT ; centre d'aide par le travail",
]


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


def seed_field_equivalences(model=Synonym):
    """Add the lines of FIELD_EQUIVALENCES that are missing; `model` may be a migration's."""
    for terms in FIELD_EQUIVALENCES:
        model.objects.get_or_create(terms=terms)
