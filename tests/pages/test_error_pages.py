"""Error pages in French, in the site's design; a 503 asking to come back when the database is
unreachable; a favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError, connections
from django.test import Client, RequestFactory
from django.urls import reverse
from pytest_django.asserts import assertContains

from pages.views import server_error
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_error_page(response, status, heading):
    assert response.status_code == status
    assertContains(response, f'<h1 id="error-title">{heading}</h1>', html=True, status_code=status)
    # The site's own design: its header, navigation and style sheet.
    assertContains(response, '<a href="/cooperations/">Coopérations</a>', html=True, status_code=status)
    assertContains(response, "/static/css/site.css", status_code=status)
    assertContains(response, '<html lang="fr">', status_code=status)


def test_an_unknown_address_gets_the_french_404_page(client):
    assert_error_page(client.get("/cette-page-n-existe-pas/"), 404, "Page introuvable")


def test_a_page_refused_to_a_role_gets_the_french_403_page(client):
    client.force_login(UserFactory(editor=True))
    response = client.get(reverse("admin:cooperations_cooperation_import_template"))
    assert_error_page(response, 403, "Accès refusé")


def test_a_form_refused_for_its_missing_csrf_token_gets_a_french_page():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert_error_page(response, 403, "Le formulaire a expiré")


def test_a_request_for_another_host_gets_the_french_400_page(client):
    assert_error_page(client.get("/", HTTP_HOST="ailleurs.example"), 400, "Demande incorrecte")


def test_a_failure_gets_the_french_500_page_which_needs_no_database(django_db_blocker):
    request = RequestFactory().get("/cooperations/")
    with django_db_blocker.block():  # any query would fail the test
        try:
            raise ValueError("a bug")
        except ValueError:
            response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert '<h1 id="error-title">Le site a rencontré une erreur</h1>' in page
    assert "/static/css/site.css" in page
    assert "Se connecter" not in page  # the account links would read the session


def test_an_unreachable_database_gets_a_503_with_retry_after(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connections["default"], "cursor", unreachable)
    response = Client(raise_request_exception=False).get(reverse("cooperations:list"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assertContains(
        response,
        '<h1 id="error-title">Le site est momentanément indisponible</h1>',
        html=True,
        status_code=503,
    )


def test_pages_name_a_favicon_and_browsers_asking_for_favicon_ico_get_it(client):
    assertContains(
        client.get(reverse("home")),
        '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">',
        html=True,
    )
    response = client.get("/favicon.ico")
    assert (response.status_code, response.url) == (302, "/static/favicon.svg")
    assert finders.find("favicon.svg")
