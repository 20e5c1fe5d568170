"""The admin import: for administrators only, a preview of every row, then a confirm step."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django.asserts import assertInHTML

from cooperations.columns import COLUMNS
from cooperations.models import Cooperation
from structures.models import Structure

from .conftest import HEADER, csv_file, staff_user

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:cooperations_cooperation_import")
CONFIRM = reverse("admin:cooperations_cooperation_process_import")
TEMPLATE = reverse("admin:cooperations_cooperation_import_template")
CHANGELIST = reverse("admin:cooperations_cooperation_changelist")
EDITING = ["view_cooperation", "add_cooperation", "change_cooperation", "view_structure"]


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(staff_user(django_user_model, "editrice", *EDITING, "publish_cooperation"))
    return client


@pytest.fixture
def administrator(client, django_user_model):
    client.force_login(
        staff_user(django_user_model, "admin", *EDITING, "import_cooperation", "publish_cooperation")
    )
    return client


def upload(client, data, name="fiches.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(IMPORT, {"resource": "0", "format": "0", "import_file": file})


def test_an_editor_without_the_import_permission_cannot_reach_the_import(editor):
    assert editor.get(IMPORT).status_code == 403
    assert editor.get(TEMPLATE).status_code == 403
    assert upload(editor, csv_file([HEADER, ["A", "simple", "59", ""]])).status_code == 403
    changelist = editor.get(CHANGELIST).content.decode()
    assert IMPORT not in changelist
    assert not Cooperation.objects.exists()


def test_an_administrator_sees_the_import_form_with_the_template_link(administrator):
    assert IMPORT in administrator.get(CHANGELIST).content.decode()
    page = administrator.get(IMPORT).content.decode()
    assert TEMPLATE in page
    assert "CSV, XLSX, XLS, ODS ou JSON (reconnu à son contenu)" in page


def test_a_file_with_an_error_shows_every_row_and_the_message_and_cannot_be_confirmed(
    administrator, reference
):
    rows = [
        HEADER,
        ["Ressourcerie", "simple", "59", "Interm'Aide Emploi (AI, porteur)"],
        ["Atelier", "simple", "Seine St Denis", ""],
    ]
    response = upload(administrator, csv_file(rows))
    page = response.content.decode()
    assert (
        "Ligne 3, colonne départements : « Seine St Denis » est inconnu ; vouliez-vous dire 93 "
        "Seine-Saint-Denis ?" in page
    )
    assert "rien ne sera enregistré" in page
    assert "nouvelles : 1 ; modifiées : 0 ; inchangées : 0 ; en erreur : 1" in page
    assert 'name="confirm"' not in page
    assert not Cooperation.objects.exists()


def test_a_correct_file_is_previewed_then_written_when_confirmed(administrator, reference):
    Cooperation.objects.create(title="Ressourcerie", slug="ressourcerie", level="simple")
    rows = [
        HEADER,
        ["Ressourcerie", "renforcée", "59", "Interm'Aide Emploi (AI, porteur)"],
        ["Atelier", "simple", "Seine-Saint-Denis", "Vélo Cité (association, partenaire)"],
    ]
    response = upload(administrator, csv_file(rows))
    page = response.content.decode()
    assert "nouvelles : 1 ; modifiées : 1 ; inchangées : 0 ; en erreur : 0" in page
    assert "« simple » → « renforcée »" in page
    assert "+ Interm&#x27;Aide Emploi (AI, porteur) (nouvelle structure)" in page
    assert 'name="confirm"' in page
    assert Cooperation.objects.count() == 1 and not Structure.objects.exists()  # the preview wrote nothing

    response = administrator.post(CONFIRM, response.context["confirm_form"].initial, follow=True)
    assert (
        "Import terminé. nouvelles : 1 ; modifiées : 1 ; inchangées : 0 ; en erreur : 0."
        in response.content.decode()
    )
    assert Cooperation.objects.get(slug="ressourcerie").level == "reinforced"
    atelier = Cooperation.objects.get(title="Atelier")
    assert (atelier.status, list(atelier.departments.values_list("code", flat=True))) == ("draft", ["93"])
    assert LogEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier soumis est vide."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "Ce fichier n&#x27;est pas un tableur lisible"),
        (csv_file([["nom", "budget"], ["x", "1"]]), "Aucune colonne n&#x27;est reconnue."),
    ],
    ids=["empty", "image", "no known column"],
)
def test_a_file_that_cannot_be_imported_gets_a_french_message(administrator, reference, data, message):
    page = upload(administrator, data).content.decode()
    assert message in page
    assert not Cooperation.objects.exists()


def test_a_file_over_the_size_limit_is_refused_by_the_form(administrator, settings):
    settings.IMPORT_MAX_FILE_SIZE = 100
    page = upload(administrator, csv_file([HEADER, ["x" * 200, "simple", "59", ""]])).content.decode()
    assert "Le fichier pèse 254\xa0octets ; la limite est de 100\xa0octets par import : découpez-le." in page


def test_the_template_has_the_columns_an_example_and_an_explanation_of_each(administrator, reference):
    response = administrator.get(TEMPLATE)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="modele-import-cooperations.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    sheet, guide = book.worksheets
    headers = [cell.value for cell in sheet[1]]
    # Every column people fill in; the fiche's address is written by exports only.
    assert headers == [str(column.header) for column in COLUMNS if column.imported]
    assert "adresse de la fiche" not in headers
    example = dict(zip(headers, [cell.value for cell in sheet[2]], strict=True))
    assert example["participants"].startswith("Interm'Aide Emploi (AI, porteur); ")
    assert guide.title == "Mode d'emploi"
    explained = {row[0]: row for row in guide.iter_rows(values_only=True) if row[0] in headers}
    assert set(explained) == set(headers)
    assert "GME : Groupement momentané d'entreprises" in explained["formes"][3]
    assert "Réemploi, recyclage et déchets" in explained["secteurs"][3]
    assert explained["niveau"][3] == "simple, stratégique, renforcée"


def test_the_template_filled_in_imports(administrator, reference):
    data = administrator.get(TEMPLATE).content
    page = upload(administrator, data, "modele.xlsx").content.decode()
    assert "nouvelles : 1 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0" in page


def test_structures_have_their_own_import_for_those_allowed(client, django_user_model):
    url = reverse("admin:structures_structure_import")
    client.force_login(staff_user(django_user_model, "editrice", "view_structure", "change_structure"))
    assert client.get(url).status_code == 403
    client.force_login(staff_user(django_user_model, "admin", "view_structure", "import_structure"))
    file = io.BytesIO(csv_file([["nom", "type", "commune"], ["Vélo Cité", "association", "Lille"]]))
    file.name = "structures.csv"
    response = client.post(url, {"resource": "0", "format": "0", "import_file": file})
    assert "nouvelles : 1 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0" in response.content.decode()
    client.post(
        reverse("admin:structures_structure_process_import"), response.context["confirm_form"].initial
    )
    assert Structure.objects.get().department_id == "59"


def test_a_file_that_became_wrong_between_the_preview_and_the_confirmation_writes_nothing(
    administrator, reference
):
    rows = [["titre", "niveau", "formes"], ["Ressourcerie", "simple", "GME"], ["Atelier", "simple", ""]]
    preview = upload(administrator, csv_file(rows))
    reference["gme"].delete()  # someone removes the form meanwhile
    response = administrator.post(CONFIRM, preview.context["confirm_form"].initial, follow=True)
    assert response.redirect_chain[-1][0] == IMPORT
    assert (
        "Rien n&#x27;a été importé : depuis l&#x27;aperçu, le fichier est devenu incorrect (erreurs : 1). "
        "Ligne 2, colonne formes : « GME » est inconnu." in response.content.decode()
    )
    assert not Cooperation.objects.exists()
    assert not LogEntry.objects.exists()


def test_the_preview_names_the_stored_structures_each_row_will_be_linked_to(administrator, reference):
    known = Structure.objects.create(name="Interm'Aide Emploi", kind="AI", siret="73282932000074")
    Structure.objects.create(name="Interm'Aide Emploi", kind="ACI")  # a homonym of another kind
    rows = [
        HEADER,
        ["Atelier partagé", "simple", "59", "Interm'Aide Emploi (AI, porteur); Régie Nord (ACI, partenaire)"],
        ["Cantine solidaire", "simple", "59", "Régie Nord (ACI)"],
    ]
    page = upload(administrator, csv_file(rows)).content.decode()
    url = reverse("admin:structures_structure_change", args=[known.pk])
    assertInHTML(
        "<li class='row-linked'>Structures déjà enregistrées auxquelles la fiche sera liée : "
        f"<a href='{url}' target='_blank' rel='noopener'>Interm'Aide Emploi (AI)</a></li>",
        page,
        count=1,
    )
    # « Régie Nord » is created by this file: it is announced as new, not as already stored.
    assert "Régie Nord (ACI, partenaire) (nouvelle structure)" in page
    assert page.count('class="row-linked"') == 1


def test_the_import_page_lists_the_columns_it_reads_and_not_the_fiches_address(administrator):
    [(_name, fields)] = administrator.get(IMPORT).context["fields_list"]
    assert fields == [str(column.header) for column in COLUMNS if column.imported]
    assert "adresse de la fiche" not in fields
