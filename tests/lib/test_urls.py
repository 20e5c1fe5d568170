"""The site's address in what leaves the site: SITE_URL when set, else the request's address, else the
local one, which a system check reports in production."""

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory

from lib.urls import LOCAL_SITE_URL, absolute_url, check_site_url, site_url


def request_to(host):
    return RequestFactory().get("/", HTTP_HOST=host)


def test_site_url_wins_over_the_request_s_address(settings):
    settings.SITE_URL = "https://cooperations.example"
    assert absolute_url("/alertes/", request_to("127.0.0.1:8123")) == "https://cooperations.example/alertes/"


def test_without_site_url_the_request_s_address_is_used(settings):
    settings.SITE_URL = ""
    assert absolute_url("/alertes/", request_to("127.0.0.1:8123")) == "http://127.0.0.1:8123/alertes/"
    secure = RequestFactory().get("/", HTTP_HOST="localhost", secure=True)
    assert site_url(secure) == "https://localhost"


def test_without_site_url_nor_request_the_local_address_is_used(settings):
    settings.SITE_URL = ""
    assert absolute_url("/donnees/") == f"{LOCAL_SITE_URL}/donnees/"


def test_the_check_warns_in_production_when_site_url_is_unset(settings):
    settings.DEBUG, settings.SITE_URL = False, ""
    [warning] = check_site_url()
    assert warning.id == "site.W001"
    assert "SITE_URL n'est pas défini" in warning.msg


def test_the_check_is_silent_with_site_url_or_in_development(settings):
    settings.DEBUG, settings.SITE_URL = False, "https://cooperations.example"
    assert check_site_url() == []
    settings.DEBUG, settings.SITE_URL = True, ""
    assert check_site_url() == []


def test_the_check_runs_with_the_site_s_checks(settings):
    settings.DEBUG, settings.SITE_URL = False, ""
    try:
        call_command("check", fail_level="WARNING")
    except SystemCheckError as error:
        assert "site.W001" in str(error)
    else:
        raise AssertionError("the check did not run")
