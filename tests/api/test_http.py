"""How the API answers over HTTP: conditional GET, cross-origin reading, read-only methods, the rate
limit."""

import pytest
from django.urls import reverse

from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiche():
    return CooperationFactory(published=True, title="Légumerie partagée")


def test_an_unchanged_answer_is_not_sent_again(client, fiche):
    url = reverse("api:cooperation-detail", args=[fiche.slug])
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    # Once the fiche changes, so does its answer.
    fiche.title = "Légumerie partagée du port"
    fiche.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["title"] == "Légumerie partagée du port"
    assert changed["ETag"] != etag


def test_lists_are_conditional_too(client, fiche):
    url = reverse("api:cooperation-list")
    etag = client.get(url, {"region": "32"})["ETag"]
    assert client.get(url, {"region": "32"}, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_any_site_may_read_the_api_from_a_browser(client, fiche):
    response = client.get(reverse("api:cooperation-list"), HTTP_ORIGIN="https://dora.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        reverse("api:cooperation-list"),
        HTTP_ORIGIN="https://dora.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_the_site_s_own_pages_are_not_opened_to_other_origins(client, fiche):
    response = client.get(reverse("cooperations:list"), HTTP_ORIGIN="https://dora.example")
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_only_reads(client, fiche, method):
    url = reverse("api:cooperation-detail", args=[fiche.slug])
    response = getattr(client, method)(url, {"title": "Autre"}, content_type="application/json")
    assert response.status_code == 405
    fiche.refresh_from_db()
    assert fiche.title == "Légumerie partagée"


def test_anonymous_clients_are_limited_per_address(client, settings):
    # Counted in the shared cache: a table rolled back after the test, or Redis, emptied before it.
    settings.API_ANON_RATE = "3/minute"
    url = reverse("api:region-list")
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="203.0.113.7").status_code == 200
    refused = client.get(url, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Requête ralentie" in refused.json()["detail"]
    # Another address has its own count.
    assert client.get(url, REMOTE_ADDR="203.0.113.8").status_code == 200
