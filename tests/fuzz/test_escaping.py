"""Text typed into a fiche or a structure is shown as text on every page that shows it, never run.

Each payload goes into every text field of a fiche (and of its key figure and source) and of a
structure; every page showing them must carry it escaped and never raw.
"""

import pytest
from django.urls import reverse

from cooperations.models import Cooperation
from cooperations.search import refresh_search_index
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    OutcomeFigureFactory,
    SectorFactory,
    SourceFactory,
    StructureFactory,
    real_places,
)

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    "attribute": ('"><img src=x onerror=alert(1)>', "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
    "template": ("{{7*7}}", "{{7*7}}"),
}
FICHE_TEXT = ["summary", *Cooperation.SECTION_FIELDS, "figures_text"]


@pytest.fixture(params=PAYLOADS, ids=list(PAYLOADS))
def payload(request):
    return PAYLOADS[request.param]


@pytest.fixture
def pages(payload):
    """The addresses of every page showing the fiche or the structure, both full of the payload."""
    raw, _escaped = payload
    places = real_places()
    form = CooperationFormFactory(code="gme", name="Groupement momentané d'entreprises")
    structure = StructureFactory(
        name=f"Atelier {raw}",
        description=f"Description {raw}",
        website=f"https://example.org/{raw}",
        address=f"{raw} rue du Port",
        email="contact@example.org",
    )
    structure.department = places["nord"]
    structure.save()
    fiche = CooperationFactory(
        published=True,
        title=f"Recyclerie {raw}",
        forms=[form],
        sectors=[SectorFactory()],
        departments=[places["nord"]],
        participants=[(structure, "lead")],
        sources=[SourceFactory(title=f"Rapport {raw}", publisher=f"Éditeur {raw}")],
        **{field: f"Recyclerie et texte {raw} du champ {field}." for field in FICHE_TEXT},
    )
    OutcomeFigureFactory(cooperation=fiche, label=f"tonnes {raw}", unit=raw)
    refresh_search_index()
    return {
        "fiche": fiche.get_absolute_url(),
        "list card": reverse("cooperations:list"),
        "search snippet": reverse("cooperations:list") + "?q=recyclerie",
        "structure": structure.get_absolute_url(),
        "structure list": reverse("structures:list"),
        "home": reverse("home"),
        "region": places["hdf"].get_absolute_url(),
        "department": places["nord"].get_absolute_url(),
        "form": form.get_absolute_url(),
        "correction": reverse("proposals:correct", args=[fiche.slug]),
        "follow fiche": reverse("alerts:follow_fiche", args=[fiche.slug]),
    }


def test_a_payload_in_every_text_field_is_escaped_on_every_page_that_shows_it(client, payload, pages):
    raw, escaped = payload
    for page, url in pages.items():
        html = client.get(url).content.decode()
        assert "Recyclerie" in html or "Atelier" in html, page  # the fiche or the structure is shown
        assert escaped in html, page
        if raw != escaped:
            assert raw not in html, page
        assert "<script>alert" not in html and "<img src=x" not in html, page


def test_every_text_field_of_the_fiche_is_on_its_page_without_the_raw_payload(client, payload, pages):
    raw, _escaped = payload
    html = client.get(pages["fiche"]).content.decode()
    for field in FICHE_TEXT:
        assert f"du champ {field}" in html, field  # shown, while the raw payload is nowhere
    assert "tonnes" in html and "Rapport" in html and "Éditeur" in html
    if raw.startswith("<") or raw.startswith('"'):
        assert raw not in html
