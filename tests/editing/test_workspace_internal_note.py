"""The « Note interne » in the editor: written by the team, read by the team, published nowhere."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.editing.helpers import edit_data
from tests.factories import CooperationFactory, DepartmentFactory, StructureFactory

pytestmark = pytest.mark.django_db
SECRET = "note-de-l-equipe-8431"


@pytest.fixture
def fiche():
    department = DepartmentFactory(code="29", name="Finistère")
    return CooperationFactory(
        published=True,
        title="Légumerie du port",
        internal_note=f"Le document ne nomme pas la commune du site ({SECRET}).",
        departments=[department],
        participants=[(StructureFactory(name="Chantier du Port"), "lead")],
    )


def test_the_editor_shows_the_note_in_its_own_section_for_the_team(client, editor, fiche):
    response = client.get(reverse("editing:cooperation_edit", args=[fiche.pk]))
    section = BeautifulSoup(response.content, "html.parser").find(id="note-interne")
    assert section.legend.get_text(strip=True) == "Note interne"
    assert section.select_one(".staff-only").get_text(strip=True) == "Visible de l’équipe seulement."
    assert SECRET in section.select_one("textarea[name=internal_note]").get_text()


def test_a_note_written_in_the_editor_reaches_no_public_page_feed_or_export(client, editor, fiche):
    fiche.internal_note = ""
    fiche.save()
    data = edit_data(client, fiche, internal_note=f"À vérifier auprès du réseau ({SECRET}).")
    client.post(reverse("editing:cooperation_edit", args=[fiche.pk]), data)
    fiche.refresh_from_db()
    assert SECRET in fiche.internal_note

    client.logout()
    for url in (
        reverse("cooperations:detail", args=[fiche.slug]),
        reverse("cooperations:list"),
        reverse("cooperations:feed"),
        reverse("cooperations:export") + "?format=csv",
        reverse("cooperations:export") + "?format=json",
        reverse("sitemap"),
        reverse("home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.getvalue().decode(), url
