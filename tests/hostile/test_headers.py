"""Every answer carries the security headers: pages, the bad-Host 400, a 500 raised by a middleware."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db


def assert_protected(response):
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_a_page_carries_them(client):
    assert_protected(client.get(reverse("home")))


def test_a_page_served_from_the_page_cache_carries_them(client, settings):
    settings.PAGE_CACHE_SECONDS = 300
    fiche = CooperationFactory(published=True)
    client.get(fiche.get_absolute_url())
    assert_protected(client.get(fiche.get_absolute_url()))


def test_the_bad_host_page_carries_them():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="pirate.example")
    assert response.status_code == 400
    assert_protected(response)


def test_the_error_page_of_a_failing_middleware_carries_them(monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 300

    def broken(*args, **kwargs):
        raise RuntimeError("cache en panne")

    monkeypatch.setattr("lib.page_cache.cache.get", broken)
    response = Client(raise_request_exception=False).get(reverse("home"))
    assert response.status_code == 500
    assert_protected(response)
