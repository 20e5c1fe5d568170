"""export_cooperations(queryset, fmt): the file of the public list and of the admin."""

import csv
import io
import json

import pytest
from odf.opendocument import load

from cooperations.exports import FORMATS, export_cooperations
from cooperations.models import Cooperation, Participation
from structures.models import Structure

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
    # The count of django-import-export's pages (of 500 fiches), the fiches, then one query per
    # prefetched relation: forms, regions, departments, communes, sectors, sources, participations
    # with their structures.
    with django_assert_num_queries(9):
        export_cooperations(Cooperation.objects.all(), fmt)


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_cooperations(Cooperation.objects.none(), "pdf")
