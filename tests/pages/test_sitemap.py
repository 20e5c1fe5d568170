"""/sitemap.xml and /robots.txt: what search engines are told to read, and when it last changed."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperations.models import Cooperation
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    StructureFactory,
    publish_many,
    real_places,
)

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS).removeprefix("http://testserver"): url.findtext(
            "s:lastmod", namespaces=NS
        )
        for url in root.findall("s:url", NS)
    }


@pytest.fixture
def directory():
    places = real_places()
    lead = StructureFactory(name="Régie du Nord")
    lonely = StructureFactory(name="Structure sans fiche publiée")
    form = CooperationFormFactory(code="gme", name="Groupement momentané d'entreprises")
    unused = CooperationFormFactory(code="pat", name="Projet alimentaire territorial")
    fiche = CooperationFactory(
        published=True, title="Blanchisserie", departments=[places["nord"]], forms=[form], participants=[lead]
    )
    Cooperation.objects.filter(pk=fiche.pk).update(
        updated_at=datetime.datetime(2026, 3, 4, 12, tzinfo=datetime.UTC)
    )
    draft = CooperationFactory(
        title="Brouillon", departments=[places["rhone"]], forms=[unused], participants=[lonely]
    )
    return {
        "fiche": fiche,
        "draft": draft,
        "lead": lead,
        "lonely": lonely,
        "places": places,
        "unused": unused,
    }


def test_the_sitemap_lists_published_fiches_and_what_takes_part_in_them_with_their_dates(client, directory):
    urls = sitemap(client)
    fiche, places = directory["fiche"], directory["places"]
    assert urls[fiche.get_absolute_url()] == "2026-03-04"
    assert urls[places["nord"].get_absolute_url()] == "2026-03-04"
    assert urls[places["hdf"].get_absolute_url()] == "2026-03-04"  # through its department
    assert urls["/formes/gme/"] == "2026-03-04"
    assert urls["/formes/pat/"] is None  # a resource sheet, without fiches yet
    assert urls["/"] == urls["/cooperations/"] == "2026-03-04"
    assert urls["/proposer/"] is None
    for page in ("/cooperations/flux/", "/mentions-legales/", "/donnees-personnelles/", "/accessibilite/"):
        assert page in urls
    lead = directory["lead"]
    # Saved after the fiche's date; the sitemap writes Paris's date.
    assert urls[lead.get_absolute_url()] == timezone.localdate(lead.updated_at).isoformat()


def test_drafts_and_what_only_drafts_name_stay_out_of_the_sitemap(client, directory):
    urls = sitemap(client)
    assert directory["draft"].get_absolute_url() not in urls
    assert directory["lonely"].get_absolute_url() not in urls
    assert directory["places"]["rhone"].get_absolute_url() not in urls
    assert directory["places"]["ara"].get_absolute_url() not in urls


def test_a_structure_page_is_dated_by_its_latest_fiche_when_that_is_more_recent(client, directory):
    later = timezone.now() + datetime.timedelta(days=2)
    Cooperation.objects.filter(pk=directory["fiche"].pk).update(updated_at=later)
    assert sitemap(client)[directory["lead"].get_absolute_url()] == timezone.localdate(later).isoformat()


@pytest.mark.parametrize("count", [3, 30])
def test_the_sitemap_runs_the_same_queries_whatever_the_number_of_fiches(
    client, django_assert_num_queries, count
):
    places = real_places()
    publish_many(count, departments=[places["nord"]], structures=[StructureFactory()])
    # 1 the directory's latest date, 2-3 the fiches (counted, then read), 4-5 the structures (the same),
    # 6 the regions, 7 the departments, 8 the forms, 9 the organisations.
    with django_assert_num_queries(9):
        urls = sitemap(client)
    assert sum(1 for url in urls if url.startswith("/cooperations/fiche-en-nombre-")) == count


def test_robots_may_read_the_public_pages_and_are_pointed_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert lines[-1] == f"Sitemap: http://testserver{reverse('sitemap')}"
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")]
    for private in ("/admin/", "/alertes/", "/cooperations/export/", "/cooperations/*/signaler/"):
        assert private in disallowed
    assert "/cooperations/" not in disallowed and "/" not in disallowed
