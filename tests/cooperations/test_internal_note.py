"""The « Note interne » of fiches and structures: in the admin for the team, nowhere else."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from structures.models import Structure
from structures.resources import StructureResource
from tests.factories import CooperationFactory, DepartmentFactory, StructureFactory

pytestmark = pytest.mark.django_db

# A word found nowhere but in the notes, so that finding it anywhere public is a leak.
SECRET = "Zorglubienne"
# The field's label in the admin, whatever space the French label suffix uses before its colon.
LABEL = re.compile(r'<label for="id_internal_note">Note interne\s*:</label>')


@pytest.fixture
def fiche():
    structure = StructureFactory(
        name="Chantier du Port", kind=Structure.Kind.ACI, internal_note=f"Commune à vérifier ({SECRET})."
    )
    return CooperationFactory(
        published=True,
        title="Légumerie du port",
        summary="Une légumerie partagée entre un chantier d'insertion et une cuisine centrale.",
        internal_note=f"Le document ne nomme pas la commune du site ({SECRET}).",
        departments=[DepartmentFactory(code="29", name="Finistère")],
        participants=[(structure, "lead")],
    )


def test_the_admin_shows_the_note_to_the_team_with_its_warning(fiche, administrator, client):
    response = client.get(reverse("admin:cooperations_cooperation_change", args=[fiche.pk]))
    html = response.content.decode()
    assert LABEL.search(html)
    assert SECRET in html
    assert "ni dans les exports, ni dans la recherche" in html

    structure = fiche.structures.get()
    response = client.get(reverse("admin:structures_structure_change", args=[structure.pk]))
    assert LABEL.search(response.content.decode())


def test_the_public_pages_and_the_preview_never_show_the_notes(fiche, administrator, client):
    structure = fiche.structures.get()
    for url in (
        reverse("cooperations:detail", args=[fiche.slug]),
        reverse("cooperations:preview", args=[fiche.slug]),
        reverse("cooperations:list"),
        reverse("structures:detail", args=[structure.slug]),
        reverse("structures:list"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content.decode(), url


def test_the_search_does_not_read_the_note(fiche, client):
    response = client.get(reverse("cooperations:list"), {"q": SECRET})
    assert list(response.context["cooperations"]) == []
    response = client.get(reverse("cooperations:list"), {"q": "légumerie"})
    assert [c.title for c in response.context["cooperations"]] == ["Légumerie du port"]


def test_the_exports_of_fiches_leave_the_note_out(fiche, client):
    url = reverse("cooperations:export")
    content = b"".join(client.get(url, {"format": "csv"}).streaming_content)  # a CSV is streamed
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [row["titre"] for row in rows] == ["Légumerie du port"]
    assert not any("note" in column for column in rows[0])
    assert SECRET not in json.dumps(json.loads(client.get(url, {"format": "json"}).content))
    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    assert not any(SECRET in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_the_export_of_structures_leaves_the_note_out(fiche):
    dataset = StructureResource().export(Structure.objects.all())
    assert dataset.height == 1
    assert not any("note" in header for header in dataset.headers)
    assert SECRET not in dataset.csv
