"""export_cooperations(queryset, fmt): the file of the public list and of the admin."""

import csv
import io
import json

import pytest
from django.urls import reverse
from odf.opendocument import load
from odf.table import Table as OdfTable
from odf.table import TableColumn
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cooperations.columns import COLUMNS
from cooperations.exports import FORMATS, export_cooperations, exported_rows
from cooperations.models import Cooperation, CooperationForm, Participation
from cooperations.resources import CooperationResource
from structures.models import Structure
from territories.models import Commune

from .conftest import run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiches(reference):
    vitaservices = Structure.objects.create(name="Vitaservices", kind="EI", siret="73282932000074")
    protim = Structure.objects.create(name="Protim", kind="company")
    for i in range(3):
        fiche = Cooperation.objects.create(
            title=f"Fiche {i}",
            slug=f"fiche-{i}",
            level="strategic",
            scope="departmental",
            status="published",
            start_year=2015 + i,
            summary="Première ligne\nseconde ligne",
        )
        fiche.departments.add("59", "62")
        fiche.forms.add(reference["gme"])
        fiche.sectors.add(reference["reemploi"])
        fiche.sources.add(reference["source"])
        Participation.objects.create(cooperation=fiche, structure=protim, role="client")
        Participation.objects.create(cooperation=fiche, structure=vitaservices, role="lead")
    return Cooperation.objects.all()


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
        ("json", "application/json"),
    ],
)
def test_each_format_gives_bytes_a_content_type_and_a_dated_file_name(fiches, fmt, content_type):
    data, given_type, filename = export_cooperations(fiches, fmt)
    assert isinstance(data, bytes) and data
    assert given_type == content_type
    assert filename.startswith("cooperations-20") and filename.endswith(f".{fmt}")


def test_the_csv_opens_in_french_excel_and_writes_lists_as_they_are_imported(fiches):
    data, _type, _name = export_cooperations(fiches.filter(slug="fiche-0"), "csv")
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM tells Excel the file is UTF-8
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        {
            "identifiant": "fiche-0",
            "titre": "Fiche 0",
            "statut": "publiée",
            "niveau": "stratégique",
            "formes": "GME",
            "échelle": "départementale",
            "régions": "",
            "départements": "59 Nord; 62 Pas-de-Calais",
            "communes": "",
            "secteurs": "Réemploi, recyclage et déchets",
            "participants": "Vitaservices (EI, porteur, 73282932000074); "
            "Protim (entreprise, client / donneur d'ordre)",
            "année de démarrage": "2015",
            "emplois créés": "",
            "personnes accompagnées": "",
            "autres chiffres clés": "",
            "résumé": "Première ligne\nseconde ligne",
            "contexte": "",
            "objectifs": "",
            "mise en œuvre": "",
            "résultats": "",
            "facteurs de réussite": "",
            "difficultés": "",
            "indicateurs": "",
            "reproductibilité": "",
            "sources": "avise-cooperations-siae",
            "réseau référent": "",
            "adresse de la fiche": "/cooperations/fiche-0/",
        }
    ]


def test_the_ods_keeps_line_breaks_as_paragraphs(fiches):
    data, _type, _name = export_cooperations(fiches.filter(slug="fiche-0"), "ods")
    document = load(io.BytesIO(data))
    xml = document.xml().decode()
    assert "<text:p>Première ligne</text:p><text:p>seconde ligne</text:p>" in xml


def test_the_json_is_a_list_of_objects_with_numbers_as_numbers(fiches):
    data, _type, _name = export_cooperations(fiches.order_by("slug"), "json")
    items = json.loads(data)
    assert [item["identifiant"] for item in items] == ["fiche-0", "fiche-1", "fiche-2"]
    assert items[2]["année de démarrage"] == 2017
    assert items[0]["emplois créés"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_export_takes_the_same_queries_for_three_fiches_or_thirty(fiches, fmt, django_assert_num_queries):
    for i in range(27):
        Cooperation.objects.create(title=f"Autre {i}", slug=f"autre-{i}", level="simple").departments.add(
            "93"
        )
    # The fiches' ids, their fields, the links of each list column (forms, regions, departments,
    # communes, sectors, sources), what the links name (forms, departments, sectors, sources: the
    # fixture has no region nor commune), the participations with their structures.
    with django_assert_num_queries(13):
        export_cooperations(Cooperation.objects.all(), fmt)


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_cooperations(Cooperation.objects.none(), "pdf")


def test_the_xlsx_is_a_named_sheet_of_typed_readable_cells_with_each_fiches_address(fiches):
    Cooperation.objects.filter(slug="fiche-0").update(
        summary="- une blanchisserie\n- une conciergerie", context="Une phrase longue. " * 20
    )
    Cooperation.objects.create(title="Brouillon", slug="brouillon", level="simple")
    data, _type, _name = export_cooperations(
        Cooperation.objects.order_by("slug"), "xlsx", base_url="https://cooperations.example.org/"
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Coopérations"
    headers = [cell.value for cell in sheet[1]]
    column = {header: get_column_letter(index) for index, header in enumerate(headers, 1)}
    rows = {sheet[f"{column['identifiant']}{n}"].value: n for n in range(2, sheet.max_row + 1)}
    summary = sheet[f"{column['résumé']}{rows['fiche-0']}"]
    assert (summary.value, summary.data_type) == ("- une blanchisserie\n- une conciergerie", "s")
    assert not [cell.value for row in sheet.iter_rows() for cell in row if str(cell.value or "")[:1] == "'"]
    context = sheet[f"{column['contexte']}{rows['fiche-0']}"]
    assert context.alignment.wrap_text
    assert sheet.column_dimensions[column["contexte"]].width == 60
    assert sheet.column_dimensions[column["titre"]].width == len("Brouillon") + 2  # its longest value
    assert sheet[f"{column['titre']}1"].font.bold
    address = column["adresse de la fiche"]
    assert (
        sheet[f"{address}{rows['fiche-0']}"].value == "https://cooperations.example.org/cooperations/fiche-0/"
    )
    assert sheet[f"{address}{rows['brouillon']}"].value is None  # a draft has no public address


def test_the_ods_is_a_named_sheet_with_column_widths(fiches):
    data, _type, _name = export_cooperations(fiches, "ods")
    document = load(io.BytesIO(data))
    table = document.spreadsheet.getElementsByType(OdfTable)[0]
    assert table.getAttribute("name") == "Coopérations"
    assert len(table.getElementsByType(TableColumn)) == len(COLUMNS)


def test_the_public_export_gives_each_fiche_its_full_address(fiches, client):
    response = client.get(reverse("cooperations:export"), {"format": "csv"})
    content = b"".join(response.streaming_content)  # a CSV is streamed
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert {row["adresse de la fiche"] for row in rows} == {
        f"http://testserver/cooperations/fiche-{i}/" for i in range(3)
    }


def test_the_admin_export_gives_each_published_fiche_its_full_address(fiches, admin_client):
    response = admin_client.post(
        reverse("admin:cooperations_cooperation_export"), {"format": "0", "resource": "0"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["adresse de la fiche"].startswith("http://testserver/cooperations/fiche-")


def test_an_export_with_the_address_column_imports_back_unchanged(fiches):
    data, _type, _name = export_cooperations(fiches, "xlsx", base_url="https://cooperations.example.org/")
    assert run_import(data).summary() == "nouvelles : 0 ; modifiées : 0 ; inchangées : 3 ; en erreur : 0"


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "ods", "json"])
def test_texts_typed_in_a_browser_import_back_unchanged(fiches, fmt):
    # As a browser sends a textarea ("\r\n"), with spaces at the end of a line: stored so by the fiches
    # saved before texts were normalised, whose save() now writes them as people read them.
    fiches.update(summary="Première ligne  \r\nseconde ligne\r\n", context="Un contexte.\r\n\r\nSuite. ")
    data, _type, _name = export_cooperations(Cooperation.objects.all(), fmt)
    report = run_import(data)
    assert report.summary() == "nouvelles : 0 ; modifiées : 0 ; inchangées : 3 ; en erreur : 0"


def test_an_imported_text_is_kept_as_people_read_it(reference):
    header = ["titre", "niveau", "résumé"]
    rows = [["Atelier", "simple", "Une ligne.  \r\nUne autre.\r\n"]]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([header, *rows])
    run_import(out.getvalue().encode())
    assert Cooperation.objects.get().summary == "Une ligne.\nUne autre."


def test_the_public_export_writes_the_same_cells_as_the_admin_export(fiches, reference):
    """The public export reads plain values, the admin's import-export resource model instances:
    every cell must be the same, lists in the same order."""
    fiche = fiches.get(slug="fiche-1")
    fiche.regions.add("32")
    fiche.communes.add(*Commune.objects.filter(department_id="59")[:2])
    fiche.forms.add(*CooperationForm.objects.exclude(pk=reference["gme"].pk)[:2])
    Participation.objects.create(
        cooperation=fiche, structure=Structure.objects.create(name="Atelier Bis", kind="ACI"), role="partner"
    )
    Cooperation.objects.create(title="Brouillon", slug="brouillon", level="simple", context="=1+1")
    base_url = "https://cooperations.example.org/"
    # Ordered as asked, or by primary key when the queryset only has the model's default ordering.
    for queryset in (Cooperation.objects.order_by("title"), Cooperation.objects.all()):
        dataset = CooperationResource(base_url=base_url).export(queryset)
        assert list(exported_rows(queryset, base_url=base_url)) == [list(row) for row in dataset]
        assert len(dataset) == 4
