"""The field's equivalences, as the administrators find them in the admin the first time; they may
change or add to them afterwards (a second run adds only the missing lines)."""

from django.db import migrations

EQUIVALENCES = [
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
    "QPV ; quartier prioritaire ; quartier prioritaire de la politique de la ville ; quartier politique de la ville",
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


def seed(apps, schema_editor):
    Synonym = apps.get_model("cooperations", "Synonym")
    for terms in EQUIVALENCES:
        Synonym.objects.get_or_create(terms=terms)


def unseed(apps, schema_editor):
    apps.get_model("cooperations", "Synonym").objects.filter(terms__in=EQUIVALENCES).delete()


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0009_search_synonyms")]

    operations = [migrations.RunPython(seed, unseed)]
