"""/integrer/: the snippet built from filters, and the list other sites frame — framable there and
nowhere else, without cookies, served by the page cache."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import CooperationFactory, RegionFactory, UserFactory, publish_many

pytestmark = pytest.mark.django_db
EMBED = reverse("embed:list")


def frame_ancestors(response):
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip()
    )
    return directives["frame-ancestors"]


def test_the_builder_gives_the_snippet_of_the_chosen_filters(client, networks):
    region = RegionFactory(code="32", name="Hauts-de-France")
    response = client.get(reverse("embed:builder") + f"?organisation=coorace&region={region.code}&q=vélo")
    page = BeautifulSoup(response.content, "html.parser")
    snippet = BeautifulSoup(page.select_one("textarea#snippet").get_text(), "html.parser").iframe
    assert snippet["src"] == "http://testserver/integrer/liste/?q=v%C3%A9lo&region=32&organisation=coorace"
    assert snippet["title"] == "Coopérations suivies par COORACE"
    assert page.select_one("iframe.embed-preview")["src"] == snippet["src"]
    assert page.select_one("select[name=organisation] option[selected]")["value"] == "coorace"
    assert page.select_one("select[name=region] option[selected]").get_text() == "Hauts-de-France"


def test_the_builder_ignores_an_unknown_value_and_says_so(client, networks):
    page = BeautifulSoup(
        client.get(reverse("embed:builder") + "?organisation=inconnu").content, "html.parser"
    )
    snippet = page.select_one("textarea#snippet").get_text()
    assert 'src="http://testserver/integrer/liste/"' in snippet
    assert "« inconnu » n'est pas un réseau référent connu." in page.select_one(".notice").get_text()


def test_the_embed_lists_the_selection_with_links_opening_in_the_top_window(client, networks):
    CooperationFactory(published=True, title="Légumerie", organisation=networks["coorace"])
    CooperationFactory(published=True, title="Fiche de la DREETS", organisation=networks["dreets"])
    response = client.get(EMBED + "?organisation=coorace")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "fr"
    assert page.base["target"] == "_top"
    assert page.h1.get_text() == "Coopérations suivies par COORACE"
    assert [a.get_text(strip=True) for a in page.select(".fiche-card h3 a")] == ["Légumerie"]
    assert (
        page.select_one(".embed-footer a")["href"] == "http://testserver/cooperations/?organisation=coorace"
    )
    # Nothing of the site around it: no menus, no sign-in link, no form.
    assert page.select_one(".site-header") is None and page.find("form") is None


def test_the_embed_pages_through_the_selection_inside_the_frame(client):
    publish_many(25)
    page = BeautifulSoup(client.get(EMBED + "?page=2").content, "html.parser")
    assert len(page.select(".fiche-card")) == 10
    links = page.select(".pagination a")
    assert links and all(link["target"] == "_self" for link in links)
    assert page.select_one(".pagination a[rel=next]")["href"] == "?page=3"


def test_only_the_embed_may_be_framed_by_other_sites(client, networks):
    embed = client.get(EMBED)
    assert not embed.has_header("X-Frame-Options")
    assert frame_ancestors(embed) == "*"
    for address in ("/", reverse("embed:builder"), "/reseaux/coorace/", reverse("cooperations:list")):
        response = client.get(address)
        assert response["X-Frame-Options"] == "DENY", address
        assert frame_ancestors(response) == "'none'", address


def test_the_embed_sets_no_cookie_even_for_a_signed_in_visitor(client):
    CooperationFactory(published=True)
    assert not client.get(EMBED).cookies
    client.force_login(UserFactory(editor=True))
    response = client.get(EMBED)
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def test_the_page_cache_serves_the_embed_and_keeps_it_framable(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 300
    CooperationFactory(published=True, title="Légumerie")
    first = client.get(EMBED)
    with django_assert_num_queries(0):
        again = client.get(EMBED)
    assert again.content == first.content
    assert not again.has_header("X-Frame-Options")
    assert frame_ancestors(again) == "*"


@pytest.mark.parametrize("count", [5, 40])
def test_the_embed_reads_the_same_queries_whatever_the_number_of_fiches(
    client, networks, django_assert_num_queries, count
):
    publish_many(count)
    # 1-5 the filters' choices (regions, departments, forms, sectors, organisations: cached after the
    # first request); 6 the facet counts, which give the total; 7 the page's fiches; 8-10 their forms,
    # departments and regions.
    with django_assert_num_queries(10):
        response = client.get(EMBED)
    assert len(response.context["cooperations"]) == min(count, 10)


def test_the_frame_ancestors_follow_the_setting(client, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://www.coorace.org", "'self'"]
    assert frame_ancestors(client.get(EMBED)) == "https://www.coorace.org 'self'"
