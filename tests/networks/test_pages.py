"""/reseaux/ and /reseaux/<slug>/: who the organisation is, its fiches and their counts, its feed and
alert; in the sitemap."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from structures.models import Network
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    RegionFactory,
    StructureFactory,
    publish_many,
)

pytestmark = pytest.mark.django_db


def text(element):
    return " ".join(element.get_text().split())


def test_the_index_lists_the_organisations_that_follow_fiches(client, networks):
    CooperationFactory(published=True, organisation=networks["coorace"])
    CooperationFactory(published=True, organisation=networks["coorace"])
    CooperationFactory(organisation=networks["dreets"])  # a draft: not counted
    Network.objects.create(name="Emmaüs")  # only a network structures belong to: not listed
    page = BeautifulSoup(client.get(reverse("networks:index")).content, "html.parser")
    items = [text(li) for li in page.select(".network-item")]
    assert items == [
        "COORACE Fédération ou réseau 2 fiches suivies",
        "DREETS Hauts-de-France (DREETS HdF) Service de l'État Aucune fiche suivie",
    ]


def test_the_index_reads_one_query(client, networks, django_assert_num_queries):
    publish_many(6)
    with django_assert_num_queries(1):  # the organisations with their published fiches counted
        client.get(reverse("networks:index"))


def test_an_organisation_page_says_who_they_are_and_shows_their_fiches(client, networks):
    coorace = networks["coorace"]
    coorace.website = "https://www.coorace.org"
    coorace.description = "Fédération d'entreprises **solidaires**."
    coorace.save()
    region = RegionFactory(name="Bretagne", code="53")
    gme = CooperationFormFactory(code="gme", name="Groupement momentané d'entreprises")
    CooperationFactory(published=True, title="Légumerie", organisation=coorace, regions=[region], forms=[gme])
    CooperationFactory(published=True, title="Garage", organisation=coorace, level="strategic")
    CooperationFactory(published=True, title="Fiche de la DREETS", organisation=networks["dreets"])
    member = StructureFactory(name="AI du Pévèle")
    member.networks.add(coorace)
    page = BeautifulSoup(client.get("/reseaux/coorace/").content, "html.parser")
    assert page.h1.get_text() == "COORACE"
    assert page.select_one(".network-meta a")["href"] == "https://www.coorace.org"
    assert page.select_one("#about-title + p strong").get_text() == "solidaires"
    assert sorted(a.get_text(strip=True) for a in page.select(".fiche-card h3 a")) == ["Garage", "Légumerie"]
    facts = [text(li) for li in page.select(".territory-facts li")]
    assert facts == ["2 coopérations suivies", "1 structure adhérente dans l'annuaire"]
    assert page.select_one(".territory-facts a")["href"] == "/cooperations/?organisation=coorace"
    counts = {
        text(section.h3): [(text(a), a["href"]) for a in section.select("a.count-link")]
        for section in page.select(".network-counts > section")
    }
    assert counts["Par région"] == [
        ("Bretagne 1 coopération", "/cooperations/?organisation=coorace&region=53")
    ]
    assert counts["Par forme"] == [
        ("Groupement momentané d'entreprises 1 coopération", "/cooperations/?organisation=coorace&form=gme")
    ]
    assert [label for label, _url in counts["Par niveau"]] == [
        "Coopération simple 1 coopération",
        "Coopération stratégique 1 coopération",
    ]
    actions = {text(a): a["href"] for a in page.select(".network-actions a")}
    assert actions == {
        "Être prévenu des nouvelles fiches": "/alertes/suivre/?organisation=coorace",
        "Flux Atom": "/cooperations/flux.atom?organisation=coorace",
        "Intégrer cette liste sur un site": "/integrer/?organisation=coorace",
    }
    assert page.find("link", rel="alternate")["href"] == "/cooperations/flux.atom?organisation=coorace"


def test_an_organisation_without_fiches_says_so(client, networks):
    page = BeautifulSoup(client.get("/reseaux/dreets-hauts-de-france/").content, "html.parser")
    assert text(page.select_one(".empty-state")) == "DREETS HdF ne suit encore aucune fiche publiée."
    assert page.select_one(".network-counts") is None


def test_an_unknown_organisation_is_a_404(client, networks):
    assert client.get("/reseaux/inconnu/").status_code == 404


@pytest.mark.parametrize("count", [5, 40])
def test_the_organisation_page_reads_the_same_queries_whatever_its_size(
    client, networks, django_assert_num_queries, count
):
    form = CooperationFormFactory()
    region = RegionFactory()
    fiches = publish_many(count, forms=[form], regions=[region])
    Network.objects.get(pk=networks["coorace"].pk).curated_cooperations.add(*fiches)
    # 1 the organisation; 2-6 the filters' choices (regions, departments, forms, sectors, organisations,
    # cached after the first request); 7 the facet counts of its selection; 8 its latest fiches, 9-11
    # their forms, departments and regions; 12 its member structures counted.
    with django_assert_num_queries(12):
        response = client.get("/reseaux/coorace/")
    assert response.context["fiche_count"] == count
    assert len(response.context["cooperations"]) == min(count, 12)


def test_each_fiche_links_to_its_organisation_s_page(client, networks):
    fiche = CooperationFactory(published=True, organisation=networks["coorace"])
    page = BeautifulSoup(client.get(fiche.get_absolute_url()).content, "html.parser")
    assert page.select_one(".fiche-organisation a")["href"] == "/reseaux/coorace/"


def test_the_sitemap_names_the_organisations_with_published_fiches(client, networks):
    CooperationFactory(published=True, organisation=networks["coorace"])
    CooperationFactory(organisation=networks["dreets"])
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/reseaux/coorace/" in sitemap
    assert "/reseaux/dreets-hauts-de-france/" not in sitemap
    assert "http://testserver/reseaux/</loc>" in sitemap
    assert "http://testserver/integrer/</loc>" in sitemap


def test_a_structure_page_links_its_networks(client, networks):
    structure = StructureFactory(name="AI du Pévèle")
    structure.networks.add(networks["coorace"])
    CooperationFactory(published=True, participants=[structure])
    page = BeautifulSoup(client.get(structure.get_absolute_url()).content, "html.parser")
    assert page.find("a", string="COORACE")["href"] == "/reseaux/coorace/"


def test_an_alert_on_an_organisation_names_it(client, networks):
    page = BeautifulSoup(client.get("/alertes/suivre/?organisation=coorace").content, "html.parser")
    assert "Suivie par COORACE" in [text(li) for li in page.select("li")]
