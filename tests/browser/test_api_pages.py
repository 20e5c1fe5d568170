"""/api/docs/ and /donnees/ in Chromium: Swagger UI renders from our own files under the site's Content
Security Policy, with no request leaving the site; both pages pass axe-core."""

import io
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from tests.factories import CooperationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def offline(page, live_server):
    """`page`, with every request to another host refused and recorded."""
    host = urlparse(live_server.url).netloc
    page.outside_requests = []

    def route(route):
        if urlparse(route.request.url).netloc == host or route.request.url.startswith("data:"):
            route.continue_()
        else:
            page.outside_requests.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return page


def test_the_api_documentation_renders_offline_under_the_site_s_policy(offline):
    offline.goto("/api/docs/")
    offline.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = offline.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/cooperations/" in paths and "/api/v1/data-inclusion/structures/" in paths
    assert offline.locator(".info .title").inner_text().startswith("API de Coopérations IAE")
    assert "et par adresse" in offline.locator(".info .description").inner_text()  # the rate limit
    assert offline.outside_requests == []
    assert offline.console_errors == []  # a blocked inline script or style would be reported here


def test_trying_the_list_from_the_documentation_answers(offline, transactional_db):
    CooperationFactory(published=True, title="Légumerie partagée")
    offline.goto("/api/docs/")
    offline.locator(".opblock-summary-path", has_text="/api/v1/cooperations/").first.click(timeout=15_000)
    offline.wait_for_selector(".opblock.is-open")
    offline.locator(".opblock.is-open .execute").click()
    offline.wait_for_selector(".opblock.is-open .live-responses-table .response-col_status")
    assert "Légumerie partagée" in offline.locator(".opblock.is-open .responses-wrapper").inner_text()
    assert offline.console_errors == []


def test_the_open_data_page_passes_axe(audit_page, axe_check, settings, tmp_path, transactional_db):
    settings.OPEN_DATA_DIR = tmp_path
    CooperationFactory(published=True)
    call_command("export_open_data", str(tmp_path), stdout=io.StringIO())
    audit_page.goto("/donnees/")
    axe_check(audit_page)


def test_the_api_documentation_passes_axe_but_for_swagger_ui_s_nested_controls(audit_page, axe_check):
    audit_page.goto("/api/docs/")
    audit_page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    violations = axe_check(audit_page, impacts=())
    # Our stylesheet fixes Swagger UI's contrasts; its markup puts a copy button inside each
    # operation's summary button, which only Swagger UI itself could change.
    serious = [v["id"] for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == ["nested-interactive"], serious
