"""The audit's flood replayed on the test client: a new unknown parameter or a new search each time.
The page cache keys only what each page reads, and holds no more bytes than its budget."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from lib import cache_budget
from lib.page_cache import PageCacheMiddleware
from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db
LIST = reverse("cooperations:list")


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHE_BUDGET_MB = 1


def stored_bytes(kind):
    """What the process's cache holds under keys of `kind` ("page", "directory"), in bytes."""
    # The process cache's keys read "<KEY_PREFIX>:<version>:<our key>"; ours start with their kind.
    return sum(
        len(value) for key, value in cache._cache.items() if key.split(":", 2)[2].startswith(f"{kind}:")
    )


def test_unknown_parameters_share_the_page_without_them(client, django_assert_num_queries):
    CooperationFactory(published=True, title="Légumerie partagée")
    plain = client.get(LIST)
    with django_assert_num_queries(0):  # the generation and the page come from the cache
        tracked = client.get(f"{LIST}?utm_source=a1&fbclid=xyz")
    assert tracked.content == plain.content
    assert b"utm_source" not in tracked.content


def test_the_known_parameters_are_keyed_in_a_fixed_order_without_empty_ones(
    client, django_assert_num_queries
):
    CooperationFactory(published=True, title="Légumerie partagée", level="simple")
    first = client.get(f"{LIST}?level=simple&sort=title&q=")
    with django_assert_num_queries(0):
        again = client.get(f"{LIST}?sort=title&utm_campaign=x&level=simple")
    assert again.content == first.content
    titles = [
        a.get_text(strip=True) for a in BeautifulSoup(again.content, "html.parser").select("article h3 a")
    ]
    assert titles == ["Légumerie partagée"]


def view_calls(path):
    """How many times a view runs for two identical anonymous requests of `path`."""
    calls = []

    def view(request):
        calls.append(1)
        return HttpResponse("Bonjour")

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        middleware(RequestFactory().get(path))
    return len(calls)


def test_a_page_that_declares_no_parameter_is_not_kept_for_an_address_with_a_query():
    legal = reverse("legal_notice")
    assert view_calls(legal) == 1
    assert view_calls(f"{legal}?x=1") == 2


def test_a_flood_of_new_addresses_keeps_the_cache_under_its_budget_and_fails_nothing(client):
    for number in range(12):
        CooperationFactory(published=True, title=f"Ressourcerie {number}", summary="insertion " * 200)
    statuses = set()
    for number in range(400):
        address = f"{LIST}?utm_source=a{number}" if number % 2 else f"{LIST}?q=ressourcerie+w{number}"
        statuses.add(client.get(address).status_code)
    assert statuses == {200}
    pages, fragments = cache_budget.limit("pages"), cache_budget.limit("fragments")
    assert pages / 2 < stored_bytes("page") <= pages  # filled up to its bound, not beyond
    assert stored_bytes("directory") <= fragments + 64 * 1024  # the counts and lists of reference data
    assert cache_budget.used("pages", 300) <= pages
    # Full: the pages the budget refuses are computed, and ordinary visitors still get theirs.
    assert client.get(LIST).status_code == 200


def test_a_page_larger_than_an_entry_may_be_is_computed_each_time(settings):
    calls = []

    def big(request):
        calls.append(1)
        return HttpResponse(b"x" * (cache_budget.MAX_ENTRY_BYTES + 1))

    middleware = PageCacheMiddleware(big)
    for _ in range(2):
        middleware(RequestFactory().get("/"))
    assert len(calls) == 2
    assert stored_bytes("page") == 0
