"""/api/v1/cooperations/: the published fiches, as a list and one by one."""

import pytest
from django.urls import reverse

from cooperations.models import Level, Participation
from structures.models import Structure
from tests.factories import (
    CommuneFactory,
    CooperationFactory,
    CooperationFormFactory,
    OutcomeFigureFactory,
    SectorFactory,
    SourceFactory,
    StructureFactory,
    real_places,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiche():
    places = real_places()
    lead = StructureFactory(name="Interm'Aide Emploi", kind=Structure.Kind.AI, siret="41234567800015")
    funder = StructureFactory(name="Ville de Lille", kind=Structure.Kind.LOCAL_AUTHORITY)
    fiche = CooperationFactory(
        published=True,
        title="Un GME pour le nettoyage",
        level=Level.STRATEGIC,
        start_year=2019,
        jobs_created=12,
        summary="Trois SIAE **ensemble**.",
        context="Un bailleur <script>alert(1)</script> cherchait un prestataire.",
        results="",
        figures_text="- 30 résidences",
        forms=[CooperationFormFactory(code="gme", name="Groupement momentané d'entreprises")],
        sectors=[SectorFactory(slug="proprete", name="Propreté")],
        departments=[places["nord"]],
        communes=[CommuneFactory(code="59350", name="Lille", department=places["nord"])],
        sources=[SourceFactory(title="Les coopérations des SIAE", publisher="Avise", published_year=2021)],
        participants=[(funder, Participation.Role.FUNDER), (lead, Participation.Role.LEAD)],
    )
    OutcomeFigureFactory(cooperation=fiche, value=120, unit="tonnes", label="de déchets évités")
    return fiche


def test_the_detail_gives_the_whole_fiche(api_get, fiche):
    data = api_get("cooperation-detail", fiche.slug)
    assert data["title"] == "Un GME pour le nettoyage"
    assert data["url"] == f"http://testserver/cooperations/{fiche.slug}/"
    assert data["level"] == {"code": "strategic", "label": "Coopération stratégique"}
    assert data["forms"][0]["code"] == "gme"
    assert [d["code"] for d in data["departments"]] == ["59"]
    assert data["departments"][0]["region"] == "32"
    assert data["communes"] == [{"code": "59350", "name": "Lille", "department": "59"}]
    assert data["sectors"] == [{"slug": "proprete", "name": "Propreté"}]
    assert (data["start_year"], data["jobs_created"], data["people_supported"]) == (2019, 12, None)
    assert data["figures"] == [{"value": 120.0, "unit": "tonnes", "label": "de déchets évités"}]
    assert data["figures_text"]["html"] == "<ul>\n<li>30 résidences</li>\n</ul>"
    assert data["summary_html"] == "<p>Trois SIAE <strong>ensemble</strong>.</p>"
    # Leads first, each with its role and its structure's public identity.
    assert [(p["role"]["code"], p["structure"]["name"]) for p in data["participants"]] == [
        ("lead", "Interm'Aide Emploi"),
        ("funder", "Ville de Lille"),
    ]
    assert data["participants"][0]["structure"]["siret"] == "41234567800015"
    assert data["sources"][0]["title"] == "Les coopérations des SIAE"
    assert data["sources"][0]["year"] == 2021


def test_sections_are_given_in_markdown_and_in_sanitised_html(api_get, fiche):
    sections = api_get("cooperation-detail", fiche.slug)["sections"]
    # Only the filled sections, in the order of the fiche template.
    assert [section["key"] for section in sections] == ["context"]
    (context,) = sections
    assert context["title"] == "contexte et éléments déclencheurs"
    assert context["markdown"] == "Un bailleur <script>alert(1)</script> cherchait un prestataire."
    assert "<script>" not in context["html"]
    assert context["html"].startswith("<p>Un bailleur")


def test_the_list_gives_each_fiche_with_its_participants_and_places(api_get, fiche):
    data = api_get("cooperation-list")
    assert data["count"] == 1
    (item,) = data["results"]
    assert item["slug"] == fiche.slug
    assert item["api_url"] == f"http://testserver/api/v1/cooperations/{fiche.slug}/"
    assert [p["structure"]["name"] for p in item["participants"]] == ["Interm'Aide Emploi", "Ville de Lille"]
    assert item["departments"][0]["name"] == "Nord"
    assert "sections" not in item


def test_drafts_are_neither_listed_nor_found(api_get, fiche):
    draft = CooperationFactory(title="Pas encore publiée")
    assert api_get("cooperation-list")["count"] == 1
    assert api_get("cooperation-detail", draft.slug, expect=404)["detail"]


def test_an_unknown_filter_value_is_refused_in_french(api_get, fiche):
    data = api_get("cooperation-list", expect=400, form=["gme", "inconnue"], region="99", year_min="3000")
    assert data == {
        "form": ["« inconnue » n'est pas une forme de coopération connue."],
        "region": ["« 99 » n'est pas un code de région."],
        "year_min": ["« 3000 » n'est pas une année entre 1900 et 2100."],
    }


def test_pages_hold_20_fiches_or_up_to_100_on_request(client):
    CooperationFactory.create_batch(25, published=True)
    url = reverse("api:cooperation-list")
    first = client.get(url).json()
    assert (first["count"], len(first["results"])) == (25, 20)
    assert first["next"] == "http://testserver/api/v1/cooperations/?page=2"
    assert len(client.get(url, {"page_size": 500}).json()["results"]) == 25
    beyond = client.get(url, {"page": 9})
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "Page non valide."}


def test_departments_can_be_listed_for_one_region_and_an_unknown_one_is_refused(api_get):
    real_places()
    assert {d["code"] for d in api_get("department-list", region="32")} >= {"59", "62"}
    assert all(d["region"] == "32" for d in api_get("department-list", region="32"))
    assert api_get("department-list", expect=400, region="99") == {
        "region": ["« 99 » n'est pas un code de région."]
    }


def test_a_renamed_fiche_keeps_its_old_address_in_the_api(client, fiche):
    old = fiche.slug
    fiche.slug = "gme-nettoyage-lille"
    fiche.save()
    response = client.get(reverse("api:cooperation-detail", args=[old]))
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/cooperations/gme-nettoyage-lille/"
    assert client.get(response["Location"]).json()["slug"] == "gme-nettoyage-lille"


def test_a_renamed_draft_is_not_found_by_its_old_address(client):
    draft = CooperationFactory(title="Pas encore publiée")
    old = draft.slug
    draft.slug = "brouillon-renomme"
    draft.save()
    assert client.get(reverse("api:cooperation-detail", args=[old])).status_code == 404


def test_a_renamed_structure_keeps_its_old_address_in_the_api(client):
    structure = StructureFactory(name="Chantier du Port")
    structure.slug = "chantier-du-port-de-brest"
    structure.save()
    response = client.get(reverse("api:structure-detail", args=["chantier-du-port"]))
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/structures/chantier-du-port-de-brest/"
