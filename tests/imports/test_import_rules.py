"""Which fiche and which structures a row designates, what it may change, and who may publish."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperations.models import Cooperation
from spreadsheets.formats import SpreadsheetImportFormat
from structures.models import Structure
from structures.resources import StructureResource

from .conftest import HEADER, csv_file, run_import, staff_user

pytestmark = pytest.mark.django_db


def test_a_row_with_an_identifier_updates_that_fiche_and_keeps_its_address(reference):
    fiche = Cooperation.objects.create(title="Ancien titre", slug="atelier-velo", level="simple")
    report = run_import(
        csv_file([["identifiant", "titre", "niveau"], ["atelier-velo", "Nouveau titre", "Renforcée"]])
    )
    assert report.rows[0].changes == [
        ("titre", "« Ancien titre » → « Nouveau titre »"),
        ("niveau", "« simple » → « renforcée »"),
    ]
    fiche.refresh_from_db()
    assert (fiche.slug, fiche.title, fiche.level) == ("atelier-velo", "Nouveau titre", "reinforced")


def test_a_row_without_identifier_updates_the_fiche_with_the_same_title_or_creates_one(reference):
    Cooperation.objects.create(title="Atelier vélo du Pévèle", slug="atelier-velo", level="simple")
    Cooperation.objects.create(title="Cantine", slug="cantine", level="simple")
    rows = [["titre", "niveau"], ["ATELIER VELO DU PEVELE", "stratégique"], ["Cantine solidaire", "simple"]]
    report = run_import(csv_file(rows))
    assert [row.status for row in report.rows] == ["update", "new"]
    assert Cooperation.objects.get(slug="atelier-velo").level == "strategic"
    assert Cooperation.objects.get(title="Cantine solidaire").slug == "cantine-solidaire"


def test_a_new_fiche_gets_a_free_address_from_its_title(reference):
    Cooperation.objects.create(title="Autre chose", slug="cantine-solidaire", level="simple")
    Cooperation.objects.create(title="Encore autre chose", slug="cantine-solidaire-2", level="simple")
    run_import(csv_file([["titre", "niveau"], ["Cantine solidaire !", "simple"], ["Épicerie", "simple"]]))
    assert Cooperation.objects.get(title="Cantine solidaire !").slug == "cantine-solidaire-3"
    assert Cooperation.objects.get(title="Épicerie").slug == "epicerie"


def test_two_fiches_with_the_same_title_need_an_identifier(reference):
    Cooperation.objects.create(title="Cantine", slug="cantine", level="simple")
    Cooperation.objects.create(title="Cantine", slug="cantine-2", level="simple")
    report = run_import(csv_file([["titre", "niveau"], ["Cantine", "renforcée"]]))
    assert report.messages() == [
        "Ligne 2, colonne titre : Plusieurs fiches portent ce titre ; indiquez l'identifiant de la bonne : "
        "cantine, cantine-2."
    ]


def test_codes_and_labels_are_accepted_ignoring_case_and_accents(reference):
    header = [
        "titre",
        "niveau",
        "échelle",
        "formes",
        "secteurs",
        "régions",
        "départements",
        "communes",
        "sources",
    ]
    rows = [
        header,
        [
            "A",
            "STRATEGIQUE",
            "Régionale",
            "gme; Mutualisation de moyens et de fonctions",
            "reemploi-recyclage",
            "hauts de france",
            "2a; nord",
            "villeneuve d'ascq",
            "Les coopérations des SIAE",
        ],
        [
            "B",
            "strategic",
            "regional",
            "groupement momentane d'entreprises",
            "REEMPLOI, RECYCLAGE ET DECHETS",
            "32",
            "2A; 59",
            "59009",
            "avise-cooperations-siae",
        ],
    ]
    report = run_import(csv_file(rows))
    assert not report.has_errors, report.messages()

    def described(title):
        fiche = Cooperation.objects.get(title=title)
        return (
            fiche.level,
            fiche.scope,
            sorted(fiche.forms.values_list("code", flat=True)),
            list(fiche.sectors.values_list("slug", flat=True)),
            list(fiche.regions.values_list("code", flat=True)),
            sorted(fiche.departments.values_list("code", flat=True)),
            list(fiche.communes.values_list("code", flat=True)),
            list(fiche.sources.values_list("key", flat=True)),
        )

    assert described("A") == (
        "strategic",
        "regional",
        ["gme", "mutualisation"],
        ["reemploi-recyclage"],
        ["32"],
        ["2A", "59"],
        ["59009"],
        ["avise-cooperations-siae"],
    )
    assert described("B")[1:] == ("regional", ["gme"], *described("A")[3:])


def test_participants_are_matched_by_siret_then_by_name_and_type_and_created_when_missing(reference):
    by_siret = Structure.objects.create(name="Ressourcerie (ancien nom)", kind="ACI", siret="73282932000074")
    by_name = Structure.objects.create(name="Interm'Aide Emploi", kind="AI")
    homonym = Structure.objects.create(name="Interm'Aide Emploi", kind="EI")
    participants = (
        "Ressourcerie du Pévèle (ACI, porteur, 732 829 320 00074); INTERM AIDE EMPLOI (Association "
        "intermédiaire, client / donneur d'ordre); Vélo Cité (association, financeur); Mairie (acteur public)"
    )
    report = run_import(csv_file([HEADER, ["Atelier", "simple", "59", participants]]))
    assert report.rows[0].changes == [
        ("participants", "+ Vélo Cité (association, financeur) (nouvelle structure)"),
        ("participants", "+ Mairie (acteur public, partenaire) (nouvelle structure)"),
    ]
    fiche = Cooperation.objects.get()
    roles = {p.structure_id: p.role for p in fiche.participations.all()}
    velo, mairie = Structure.objects.get(name="Vélo Cité"), Structure.objects.get(name="Mairie")
    assert roles == {by_siret.pk: "lead", by_name.pk: "client", velo.pk: "funder", mairie.pk: "partner"}
    assert homonym.pk not in roles
    assert (velo.kind, velo.slug, velo.search_name, mairie.kind) == (
        "association",
        "velo-cite",
        "velo cite",
        "public_body",
    )


def test_a_name_alone_designates_a_known_structure_and_brackets_may_belong_to_the_name(reference):
    tremplin = Structure.objects.create(name="Tremplin (Ain)", kind="other")
    report = run_import(
        csv_file(
            [
                HEADER,
                ["A", "simple", "01", "Tremplin (Ain)"],
                ["B", "simple", "01", "Tremplin (Ain) (autre, porteur)"],
            ]
        )
    )
    assert not report.has_errors, report.messages()
    assert list(Cooperation.objects.get(title="A").participations.values_list("structure", "role")) == [
        (tremplin.pk, "partner")
    ]
    assert list(Cooperation.objects.get(title="B").participations.values_list("structure", "role")) == [
        (tremplin.pk, "lead")
    ]


def test_a_structure_created_by_the_import_is_created_once_and_gets_its_siret(reference):
    rows = [
        HEADER,
        ["A", "simple", "59", "Vélo Cité (association, porteur)"],
        ["B", "simple", "59", "Velo cite (porteur, association, 73282932000074)"],
        ["C", "simple", "59", "Vélo Cité"],
    ]
    report = run_import(csv_file(rows))
    assert not report.has_errors, report.messages()
    velo = Structure.objects.get()
    assert (velo.name, velo.siret, velo.participations.count()) == ("Vélo Cité", "73282932000074", 3)


def test_a_siret_given_for_a_known_structure_without_one_is_recorded(reference):
    known = Structure.objects.create(name="Vélo Cité", kind="association")
    fiche = Cooperation.objects.create(title="A", level="simple")
    fiche.participations.create(structure=known, role="lead")
    report = run_import(
        csv_file([["titre", "participants"], ["A", "Vélo Cité (association, porteur, 73282932000074)"]])
    )
    assert report.rows[0].changes == [("participants", "SIRET de « Vélo Cité » : 73282932000074")]
    known.refresh_from_db()
    assert known.siret == "73282932000074"


def test_conflicting_sirets_are_refused(reference):
    Structure.objects.create(name="Vélo Cité", kind="association", siret="73282932000074")
    Structure.objects.create(name="Cantine", kind="EI", siret="35600000000048")
    rows = [
        ["titre", "niveau", "participants"],
        ["A", "simple", "Vélo Cité (association, porteur, 443 061 841 00013)"],
        ["B", "simple", "Autre nom (ACI, porteur, 73282932000074)"],
    ]
    assert run_import(csv_file(rows)).messages() == [
        "Ligne 2, colonne participants : « Vélo Cité » (association) a déjà le SIRET 73282932000074, pas "
        "44306184100013.",
        "Ligne 3, colonne participants : Le SIRET 73282932000074 est celui de « Vélo Cité » (association), "
        "pas d'une structure ACI.",
    ]


def test_participants_of_a_fiche_are_replaced_by_those_of_the_file(reference):
    fiche = Cooperation.objects.create(title="A", level="simple")
    kept = fiche.participations.create(
        structure=Structure.objects.create(name="Gardée", kind="EI"), role="lead"
    )
    fiche.participations.create(structure=Structure.objects.create(name="Retirée", kind="EI"), role="partner")
    report = run_import(csv_file([["titre", "participants"], ["A", "Gardée (EI, financeur); Nouvelle (EI)"]]))
    assert report.rows[0].changes == [
        ("participants", "Gardée : porteur → financeur"),
        ("participants", "+ Nouvelle (EI, partenaire) (nouvelle structure)"),
        ("participants", "− Retirée (EI, partenaire)"),
    ]
    assert dict(fiche.participations.values_list("structure__name", "role")) == {
        "Gardée": "funder",
        "Nouvelle": "partner",
    }
    assert fiche.participations.get(structure__name="Gardée").pk == kept.pk
    assert Structure.objects.filter(name="Retirée").exists()  # the structure stays, only the link goes


def test_an_empty_cell_clears_the_field_and_an_absent_column_leaves_it(reference):
    fiche = Cooperation.objects.create(
        title="A", level="simple", start_year=2015, summary="Résumé", jobs_created=3
    )
    fiche.departments.add("59")
    run_import(csv_file([["titre", "année de démarrage", "résumé", "départements"], ["A", "", "", ""]]))
    fiche.refresh_from_db()
    assert (fiche.start_year, fiche.summary, fiche.jobs_created, fiche.level) == (None, "", 3, "simple")
    assert not fiche.departments.exists()


def test_imported_fiches_are_drafts_unless_published_by_someone_allowed_to(reference, django_user_model):
    editor = staff_user(django_user_model, "importer", "import_cooperation")
    publisher = staff_user(django_user_model, "publisher", "import_cooperation", "publish_cooperation")
    rows = [["titre", "niveau", "statut"], ["A", "simple", "publiée"], ["B", "simple", ""]]

    report = run_import(csv_file(rows), user=editor)
    assert report.rows[0].warnings == [
        "Vous n'avez pas le droit de publier ou de dépublier : la fiche reste en brouillon."
    ]
    assert set(Cooperation.objects.values_list("status", flat=True)) == {"draft"}
    assert Cooperation.objects.get(title="A").created_by == editor

    report = run_import(csv_file(rows), user=publisher)
    assert [row.status for row in report.rows] == ["update", "unchanged"]
    published = Cooperation.objects.get(title="A")
    assert (published.status, published.published_by, published.updated_by) == (
        "published",
        publisher,
        publisher,
    )
    assert published.published_at is not None
    assert Cooperation.objects.get(title="B").status == "draft"


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(reference):
    def queries_for(count):
        rows = [
            [
                f"Fiche {count}-{i}",
                "simple",
                "59; 62",
                f"Structure {count}-{i} (EI, porteur); Mairie (acteur public, financeur)",
            ]
            for i in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            report = run_import(csv_file([HEADER, *rows]))
        assert report.counts["new"] == count
        return len(queries)

    # Reference data (3), fiches (1), structures by name (1), their slugs (1), then bulk inserts:
    # structures, fiches, department links, participations, and their history versions, 60 rows as
    # few as 5.
    assert queries_for(60) == queries_for(5)


def test_a_commune_is_looked_for_in_the_rows_departments(reference):
    rows = [
        ["titre", "niveau", "départements", "communes"],
        ["Atelier audomarois", "simple", "62", "Saint-Omer"],
    ]
    report = run_import(csv_file(rows))
    assert report.messages() == []
    assert list(Cooperation.objects.get().communes.values_list("code", flat=True)) == ["62765"]


def test_a_structures_commune_is_looked_for_in_its_department(db):
    rows = [["nom", "type", "commune", "département"], ["Audomarois Services", "EI", "Saint-Omer", "62"]]
    dataset = SpreadsheetImportFormat().create_dataset(csv_file(rows))
    report = StructureResource().import_data(dataset, dry_run=False, use_transactions=True).report
    assert report.messages() == []
    assert Structure.objects.get().commune_id == "62765"
