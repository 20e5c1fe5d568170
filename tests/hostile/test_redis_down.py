"""Redis unreachable: every page works from the database, /healthz says the cache is down."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import caches
from django.urls import reverse

from lib.redis_cache import TolerantClient
from tests.factories import CooperationFactory, UserFactory

pytestmark = pytest.mark.django_db
NOWHERE = {
    "BACKEND": "lib.redis_cache.TolerantRedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}


@pytest.fixture(autouse=True)
def redis_down(settings):
    settings.CACHES = {"default": NOWHERE, "shared": NOWHERE}
    settings.PAGE_CACHE_SECONDS = 300
    settings.API_ANON_RATE = "120/minute"
    TolerantClient.down_until = 0.0
    yield
    TolerantClient.down_until = 0.0


def test_the_caches_answer_as_empty_ones():
    cache = caches["default"]
    assert cache.get("x", "absent") == "absent"
    assert cache.add("x", 1) is True  # a rate limit lets the request through
    assert cache.get_many(["x", "y"]) == {}
    assert cache.set_many({"x": 1}) == []


@pytest.mark.parametrize(
    "name",
    ["home", "list", "search", "fiche", "sign-in", "propose", "follow", "api", "api-regions", "statistics"],
)
def test_every_page_answers(client, name):
    fiche = CooperationFactory(published=True, title="Légumerie partagée")
    address = {
        "home": reverse("home"),
        "list": reverse("cooperations:list"),
        "search": reverse("cooperations:list") + "?q=legumerie",
        "fiche": fiche.get_absolute_url(),
        "sign-in": reverse("login"),
        "propose": reverse("proposals:create"),
        "follow": reverse("alerts:follow_search"),
        "api": "/api/v1/cooperations/",
        "api-regions": "/api/v1/regions/",
        "statistics": reverse("statistics"),
    }[name]
    for _ in range(2):  # the second one would come from the cache
        response = client.get(address)
        assert response.status_code == 200
    if name in ("list", "search"):
        cards = BeautifulSoup(response.content, "html.parser").select("article h3 a")
        titles = [" ".join(card.get_text().split()) for card in cards]
        assert titles == ["Légumerie partagée"]


def test_signing_in_works(client):
    UserFactory(username="ines", editor=True)
    response = client.post(reverse("login"), {"username": "ines", "password": "mot-de-passe-de-test"})
    assert response.status_code == 302
    assert client.get(reverse("editing:dashboard")).status_code == 200


def test_healthz_says_the_cache_is_down_and_answers_200(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable", "email": "ok"}
