"""The public export: exactly the fiches the list shows, in the import's columns, re-importable."""

import csv
import io
import json

import pytest
from django.urls import reverse

from cooperations.models import Cooperation
from cooperations.resources import CooperationResource
from cooperations.seed import SeedLoader
from spreadsheets.formats import SpreadsheetImportFormat
from tests.factories import (
    CooperationFactory,
    DepartmentFactory,
    RegionFactory,
    StructureFactory,
    publish_many,
)

pytestmark = pytest.mark.django_db


def exported_titles(client, **params):
    response = client.get(reverse("cooperations:export"), {"format": "csv", **params})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cooperations-')
    content = b"".join(response.streaming_content)  # a CSV is streamed
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    return sorted(row["titre"] for row in rows)


def listed_titles(client, **params):
    response = client.get(reverse("cooperations:list"), params)
    return sorted(c.title for c in response.context["cooperations"])


@pytest.fixture
def fiches():
    brittany = RegionFactory(code="53", name="Bretagne")
    finistere = DepartmentFactory(code="29", name="Finistère", region=brittany)
    elsewhere = DepartmentFactory(code="50", name="Manche", region=RegionFactory(code="28", name="Normandie"))
    aci = StructureFactory(name="Chantier du Port", kind="ACI")
    CooperationFactory(
        published=True, title="Légumerie", level="strategic", departments=[finistere], participants=[aci]
    )
    CooperationFactory(published=True, title="Conserverie", level="simple", departments=[finistere])
    CooperationFactory(published=True, title="Garage", level="strategic", departments=[elsewhere])
    CooperationFactory(title="Brouillon breton", level="strategic", departments=[finistere])


@pytest.mark.parametrize(
    "params",
    [{}, {"region": "53"}, {"region": "53", "level": "strategic"}, {"q": "legumerie"}, {"region": "99"}],
    ids=["all", "region", "region+level", "search", "invalid-filter-ignored"],
)
def test_the_export_holds_exactly_the_fiches_of_the_list(client, fiches, params):
    titles = exported_titles(client, **params)
    assert titles == listed_titles(client, **params)
    assert "Brouillon breton" not in titles


def test_json_and_xlsx_exports_are_offered_too(client, fiches):
    response = client.get(reverse("cooperations:export"), {"format": "json", "level": "simple"})
    assert [row["titre"] for row in json.loads(response.content)] == ["Conserverie"]
    response = client.get(reverse("cooperations:export"), {"format": "xlsx"})
    assert response.content[:2] == b"PK"


def test_an_unknown_format_is_a_clear_error(client, fiches):
    response = client.get(reverse("cooperations:export"), {"format": "pdf"})
    assert response.status_code == 400
    assert "Format d'export inconnu « pdf »" in response.content.decode()


def test_the_list_links_to_the_export_of_its_selection(client, fiches):
    html = client.get(reverse("cooperations:list"), {"region": "53", "page": "1"}).content.decode()
    assert f'{reverse("cooperations:export")}?format=xlsx&amp;region=53"' in html


def test_the_export_of_the_seeded_fiches_imports_back_with_no_change(client):
    SeedLoader().load()
    response = client.get(reverse("cooperations:export"), {"format": "xlsx"})
    dataset = SpreadsheetImportFormat().create_dataset(response.content)
    report = CooperationResource().import_data(dataset, dry_run=True, use_transactions=True).report
    assert {row.status for row in report.rows} == {"skip"} or {row.status for row in report.rows} == {
        "unchanged"
    }
    assert len(report.rows) == Cooperation.objects.published().count()


@pytest.mark.parametrize("count", [20, 200])
def test_the_export_runs_the_same_queries_whatever_the_number_of_fiches(
    client, count, django_assert_max_num_queries
):
    publish_many(count, structures=[StructureFactory()])
    # The filter's option lists (regions, departments, forms, sectors), the fiches' ids; then, for each
    # thousand fiches, their fields, the links of each list column (forms, regions, departments,
    # communes, sectors, sources) and what they link to, the participants with their structures. The
    # CSV is streamed: its queries run as it is read.
    with django_assert_max_num_queries(19):
        response = client.get(reverse("cooperations:export"), {"format": "csv"})
        content = b"".join(response.streaming_content)
    assert content.decode("utf-8-sig").count("\r\n") == count + 1
