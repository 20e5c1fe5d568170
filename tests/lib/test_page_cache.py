"""Whole pages are cached for anonymous visitors (lib/page_cache.py), and every change shows at once."""

import pytest
from bs4 import BeautifulSoup
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.urls import reverse
from django.views.decorators.cache import never_cache

from lib.page_cache import PageCacheMiddleware
from tests.factories import CooperationFactory, StructureFactory, UserFactory
from tests.imports.conftest import HEADER, csv_file, run_import

pytestmark = pytest.mark.django_db
LIST = reverse("cooperations:list")


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def titles(response):
    """The fiche titles of a list page, as the cards show them."""
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(link.get_text(strip=True) for link in soup.select("article h3 a, article h2 a"))


@pytest.mark.parametrize("page", ["home", "list", "search", "fiche", "structure"])
def test_a_public_page_seen_once_is_served_again_without_a_query(client, django_assert_num_queries, page):
    structure = StructureFactory(name="Ressourcerie du Pévèle")
    fiche = CooperationFactory(published=True, title="Légumerie partagée", participants=[(structure, "lead")])
    address = {
        "home": reverse("home"),
        "list": LIST,
        "search": f"{LIST}?q=legumerie",
        "fiche": fiche.get_absolute_url(),
        "structure": structure.get_absolute_url(),
    }[page]
    first = client.get(address)
    assert first.status_code == 200
    with django_assert_num_queries(0):  # the generation and the page come from the cache
        again = client.get(address)
    assert again.content == first.content


def test_the_cached_fiche_is_the_fiche(client):
    fiche = CooperationFactory(published=True, title="Légumerie partagée")
    client.get(fiche.get_absolute_url())
    h1 = BeautifulSoup(client.get(fiche.get_absolute_url()).content, "html.parser").h1
    assert h1.get_text(strip=True) == "Légumerie partagée"


def test_a_saved_fiche_shows_at_once(client):
    fiche = CooperationFactory(published=True, title="Légumerie partagée")
    assert titles(client.get(LIST)) == ["Légumerie partagée"]
    client.get(fiche.get_absolute_url())
    fiche.title = "Conserverie partagée"
    fiche.save()
    assert titles(client.get(LIST)) == ["Conserverie partagée"]
    h1 = BeautifulSoup(client.get(fiche.get_absolute_url()).content, "html.parser").h1
    assert h1.get_text(strip=True) == "Conserverie partagée"


def test_a_renamed_structure_shows_at_once_on_its_fiches(client):
    structure = StructureFactory(name="Ressourcerie du Pévèle")
    fiche = CooperationFactory(published=True, participants=[(structure, "lead")])
    assert "Ressourcerie du Pévèle" in client.get(fiche.get_absolute_url()).content.decode()
    structure.name = "Ressourcerie des Weppes"
    structure.save()
    page = client.get(fiche.get_absolute_url()).content.decode()
    assert "Ressourcerie des Weppes" in page
    assert "Ressourcerie du Pévèle" not in page


def test_an_import_shows_at_once(client, reference, territory_index, monkeypatch):
    monkeypatch.setattr("cooperations.imports.TerritoryIndex", lambda: territory_index)
    CooperationFactory(published=True, title="Légumerie partagée")
    assert titles(client.get(LIST)) == ["Légumerie partagée"]
    rows = [
        [*HEADER, "statut"],
        ["Cantine solidaire", "simple", "59", "Resto Pévèle (EI, porteur)", "publiée"],
    ]
    run_import(csv_file(rows))
    assert titles(client.get(LIST)) == ["Cantine solidaire", "Légumerie partagée"]


def test_the_list_results_asked_by_htmx_are_cached_apart_from_the_whole_page(client):
    CooperationFactory(published=True, title="Légumerie partagée")
    whole = client.get(LIST)
    partial = client.get(LIST, headers={"HX-Request": "true"})
    assert partial.content != whole.content
    assert BeautifulSoup(partial.content, "html.parser").find("html") is None
    assert BeautifulSoup(client.get(LIST).content, "html.parser").find("html") is not None
    restore = client.get(LIST, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert BeautifulSoup(restore.content, "html.parser").find("html") is not None


def test_each_address_has_its_own_page(client):
    CooperationFactory(published=True, title="Légumerie partagée", level="simple")
    assert titles(client.get(LIST, {"level": "simple"})) == ["Légumerie partagée"]
    assert titles(client.get(LIST, {"level": "strategic"})) == []


def test_signed_in_staff_neither_read_nor_fill_the_cache(client, django_assert_max_num_queries):
    fiche = CooperationFactory(published=True)
    client.get(fiche.get_absolute_url())  # cached for anonymous visitors
    client.force_login(UserFactory(editor=True))
    with django_assert_max_num_queries(50) as queries:
        staff_page = client.get(fiche.get_absolute_url())
    assert len(queries) > 0  # not the anonymous page from the cache
    client.logout()
    assert client.get(fiche.get_absolute_url()).content != staff_page.content


def view_calls(view, **headers):
    """How many times `view` runs for two identical anonymous requests through the middleware, at the
    address of a page that reads no parameter (the home page)."""
    calls = []

    def counting(request):
        calls.append(1)
        return view(request)

    middleware = PageCacheMiddleware(counting)
    for _ in range(2):
        middleware(RequestFactory().get("/", **headers))
    return len(calls)


def test_a_page_with_a_form_token_is_never_cached():
    def form(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    assert view_calls(form) == 2
    assert view_calls(lambda request: HttpResponse("Bonjour")) == 1


def test_a_page_that_sets_a_cookie_or_says_it_is_private_is_never_cached():
    def with_cookie(request):
        response = HttpResponse("Bonjour")
        response.set_cookie("vu", "1")
        return response

    assert view_calls(with_cookie) == 2
    assert view_calls(never_cache(lambda request: HttpResponse("ok"))) == 2
    assert view_calls(lambda request: HttpResponse("Bonjour", status=404)) == 2


def test_a_visitor_with_a_session_is_never_served_from_the_cache():
    assert view_calls(lambda request: HttpResponse("Bonjour"), HTTP_COOKIE="sessionid=abc") == 2


def test_the_setting_turns_it_off(settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert view_calls(lambda request: HttpResponse("Bonjour")) == 2
