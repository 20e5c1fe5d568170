"""The django-import-export resource of cooperation fiches: one row per fiche (cooperations.columns),
imported in batch (cooperations.imports), used by the admin, the command line and the public export."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from spreadsheets.resources import BatchResource, build_template

from .columns import COLUMNS
from .imports import CooperationImporter
from .models import Cooperation, Participation

TEMPLATE_EXAMPLE = {
    "summary": "Une association intermédiaire et un atelier et chantier d'insertion du Pévèle partagent "
    "l'accompagnement de leurs salariés pour construire des parcours sans rupture.",
}


class CooperationResource(BatchResource):
    importer_class = CooperationImporter
    columns = COLUMNS

    class Meta(BatchResource.Meta):
        model = Cooperation

    def export_queryset(self, queryset):
        participations = Prefetch("participations", Participation.objects.select_related("structure"))
        return queryset.select_related("organisation").prefetch_related(
            "forms", "regions", "departments", "communes", "sectors", "sources", participations
        )


def template_file():
    """The XLSX template to fill in, with its explanation sheet, built from the columns."""
    notes = [
        _("Une ligne par fiche coopération ; la première ligne donne les titres des colonnes."),
        _(
            "Remplacez la ligne d'exemple par vos fiches. Les colonnes inutiles peuvent être supprimées : "
            "une colonne absente ne modifie rien."
        ),
        _(
            "Dans une liste, séparez les éléments par des points-virgules ; un participant s'écrit "
            "« Nom (type, rôle, SIRET) », par exemple « Interm'Aide Emploi (AI, porteur) »."
        ),
        _("Majuscules et accents sont ignorés ; un code ou un libellé conviennent."),
        _(
            "Un aperçu montre chaque ligne (nouvelle, modifiée, inchangée, erreur) avant tout "
            "enregistrement ; un fichier qui contient une erreur n'enregistre rien."
        ),
    ]
    return build_template(COLUMNS, sheet_title=_("Coopérations"), example=TEMPLATE_EXAMPLE, notes=notes)
