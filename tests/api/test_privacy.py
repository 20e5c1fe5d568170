"""Nothing private reaches the API or the open-data files: drafts, internal notes, alert subscriptions,
who edited what, the structures named only in drafts. Each secret is a word found nowhere else, so
that finding it anywhere public is a leak."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from alerts.models import Subscription
from cooperations.models import Participation
from structures.models import Structure
from tests.factories import CooperationFactory, DepartmentFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "draft": "Brouillonnerie",
    "fiche_note": "Zorglubienne",
    "structure_note": "Tartempionnade",
    "draft_only_structure": "Cachotterie",
    "subscriber": "abonne-secret@example.org",
    "editor": "redacteur-discret",
}
ENDPOINTS = [
    ("cooperation-list", ()),
    ("structure-list", ()),
    ("data-inclusion-structure-list", ()),
    ("form-list", ()),
    ("level-list", ()),
    ("sector-list", ()),
    ("region-list", ()),
    ("department-list", ()),
]


@pytest.fixture
def directory():
    editor = UserFactory(username=SECRETS["editor"], editor=True)
    nord = DepartmentFactory(code="59", name="Nord")
    public = StructureFactory(
        name="Chantier du Port",
        kind=Structure.Kind.ACI,
        internal_note=f"Commune à vérifier ({SECRETS['structure_note']}).",
    )
    hidden = StructureFactory(name=f"Association {SECRETS['draft_only_structure']}", kind="association")
    fiche = CooperationFactory(
        published=True,
        title="Légumerie du port",
        internal_note=f"Le document ne nomme pas la commune ({SECRETS['fiche_note']}).",
        departments=[nord],
        participants=[(public, Participation.Role.LEAD)],
        created_by=editor,
        updated_by=editor,
        published_by=editor,
    )
    CooperationFactory(
        title=f"Coopération {SECRETS['draft']}",
        summary=f"Pas encore prête ({SECRETS['draft']}).",
        departments=[nord],
        participants=[(hidden, Participation.Role.LEAD), (public, Participation.Role.PARTNER)],
    )
    Subscription.objects.create(email=SECRETS["subscriber"], query="region=32")
    return fiche


def assert_no_secret(text):
    for name, secret in SECRETS.items():
        assert secret not in text, f"{name} leaked"


@pytest.mark.parametrize(("name", "args"), ENDPOINTS)
def test_no_list_of_the_api_shows_anything_private(client, directory, name, args):
    response = client.get(reverse(f"api:{name}", args=args), {"page_size": 100})
    assert response.status_code == 200
    assert_no_secret(response.content.decode())


def test_the_published_fiche_and_its_structure_show_nothing_private(client, directory):
    fiche = client.get(reverse("api:cooperation-detail", args=[directory.slug]))
    structure = client.get(reverse("api:structure-detail", args=["chantier-du-port"]))
    assert fiche.json()["title"] == "Légumerie du port"
    assert structure.json()["name"] == "Chantier du Port"
    assert_no_secret(fiche.content.decode() + structure.content.decode())
    # Nor any field that is not meant to be public, whatever its content.
    for private in ("internal_note", "search_text", "search_vector", "created_by", "status", "version"):
        assert private not in fiche.json()
    for private in ("internal_note", "search_name", "created_at"):
        assert private not in structure.json()


def test_a_draft_and_a_structure_named_only_in_drafts_are_not_found(client, directory):
    draft_slug = f"cooperation-{SECRETS['draft'].lower()}"
    assert client.get(reverse("api:cooperation-detail", args=[draft_slug])).status_code == 404
    hidden_slug = f"association-{SECRETS['draft_only_structure'].lower()}"
    assert client.get(reverse("api:structure-detail", args=[hidden_slug])).status_code == 404


def test_the_open_data_files_hold_nothing_private(directory, tmp_path):
    call_command("export_open_data", str(tmp_path), stdout=io.StringIO())
    files = {path.name: path.read_text(encoding="utf-8") for path in tmp_path.iterdir()}
    assert "Légumerie du port" in files["cooperations.csv"]
    assert "Chantier du Port" in files["structures-data-inclusion.json"]
    for text in files.values():
        assert_no_secret(text)
    (record,) = json.loads(files["cooperations.json"])
    assert "internal_note" not in record
