"""The cooperation list and fiche in a real browser: htmx filtering, no-JavaScript use, accessibility."""

import re

import pytest
from playwright.sync_api import expect

from cooperations.models import Level
from structures.models import Structure
from tests.browser.conftest import PHONE
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    DepartmentFactory,
    OutcomeFigureFactory,
    RegionFactory,
    SectorFactory,
    SourceFactory,
    StructureFactory,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def catalogue(transactional_db):
    brittany = RegionFactory(code="53", name="Bretagne")
    finistere = DepartmentFactory(code="29", name="Finistère", region=brittany)
    gie = CooperationFormFactory(code="gie", name="Groupement d'intérêt économique")
    food = SectorFactory(slug="alimentation", name="Alimentation")
    lead = StructureFactory(
        name="Chantier du Port", kind=Structure.Kind.ACI, email="contact@port.fr", phone="02 98 00 00 00"
    )
    fiche = CooperationFactory(
        published=True,
        title="Légumerie du Pays de Brest",
        level=Level.STRATEGIC,
        summary="Une légumerie partagée qui fournit les cantines.",
        context="Les cantines manquaient de légumes locaux.",
        jobs_created=12,
        forms=[gie],
        sectors=[food],
        departments=[finistere],
        participants=[(lead, "lead"), StructureFactory(name="Cuisine centrale", kind="public_body")],
        sources=[SourceFactory(title="Panorama", publisher="Avise", url="https://www.avise.org/")],
        start_year=2019,
    )
    OutcomeFigureFactory(cooperation=fiche, value=35, unit="t", label="de légumes par an")
    CooperationFactory(published=True, title="Conserverie solidaire", forms=[gie], sectors=[food])
    CooperationFactory(published=True, title="Garage normand", level=Level.SIMPLE)
    return fiche


def test_checking_a_form_updates_the_results_and_the_address_without_reloading(page, catalogue):
    page.goto("/cooperations/")
    expect(page.locator("#results-heading")).to_have_text("3 coopérations")
    simple_count = page.locator("label[for=id_level_simple] .facet-count")
    expect(simple_count).to_have_text("2 fiches")
    page.evaluate("window.sameDocument = true")

    page.locator("#id_form_gie").check()

    expect(page.locator("#results-heading")).to_have_text("2 coopérations")
    expect(page).to_have_url(re.compile(r"/cooperations/\?form=gie$"))
    assert page.evaluate("window.sameDocument") is True  # htmx replaced the results, not the page.
    # The facet counts follow the selection, and the checkbox used keeps the focus.
    expect(simple_count).to_have_text("1 fiche")
    assert page.evaluate("document.activeElement.id") == "id_form_gie"
    expect(page.locator("#results-status")).to_have_text("2 coopérations trouvées")
    expect(page.locator(".chip")).to_have_text(["Forme : Groupement d'intérêt économique ✕"])

    page.locator("#id_q").fill("légumerie")
    page.locator("#id_q").press("Enter")
    expect(page.locator("#results-heading")).to_have_text("1 coopération")
    expect(page).to_have_title("« légumerie » · Coopérations · Coopérations IAE")
    page.go_back()
    # Everything ran under the Content Security Policy: no inline script or style was refused.
    assert [error for error in page.console_errors if "Content Security Policy" in error] == []

    page.go_back()
    expect(page.locator("#results-heading")).to_have_text("3 coopérations")


def test_the_search_and_filters_work_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/cooperations/")
    page.locator("#id_q").fill("legumerie")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#results-heading")).to_have_text("1 coopération")
    expect(page.locator(".fiche-card h3 mark")).to_have_text("Légumerie")
    page.locator("#id_level_strategic").check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page).to_have_url(re.compile(r"level=strategic"))
    expect(page.locator("#results-heading")).to_have_text("1 coopération")
    context.close()


def test_on_a_phone_the_filters_start_folded_so_that_results_come_first(browser, live_server, catalogue):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.goto("/cooperations/")
    expect(page.locator("#filters-panel")).not_to_have_attribute("open", "")
    page.locator("#filters-panel summary").click()
    expect(page.locator("#id_form_gie")).to_be_visible()
    context.close()


def test_on_a_phone_the_filters_are_folded_before_the_results_are_shown(browser, live_server, catalogue):
    """Folded once the page was shown, the panel would pull the results up: a layout shift, which
    Lighthouse counts against the page. Holding htmx back delays every deferred script, as a slow network
    would."""
    context = browser.new_context(viewport=PHONE, base_url=live_server.url)
    page = context.new_page()
    page.route("**/htmx.min*.js", lambda route: (page.wait_for_timeout(1500), route.continue_()))
    page.add_init_script(
        "window.shifts = 0; new PerformanceObserver((list) => list.getEntries().forEach("
        "(entry) => { window.shifts += entry.value; })).observe({type: 'layout-shift', buffered: true});"
    )
    page.goto("/cooperations/", wait_until="load")
    expect(page.locator("#filters-panel")).not_to_have_attribute("open", "")
    assert page.evaluate("window.shifts") == 0
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/cooperations/",
        "/cooperations/?form=gie&region=53",
        "/cooperations/?q=legumerie",
        "/cooperations/?sector=alimentation&level=simple&year_min=abc",
        "/cooperations/legumerie-du-pays-de-brest/",
    ],
)
def test_the_list_and_the_fiche_have_no_serious_accessibility_violation(
    audit_page, catalogue, axe_check, path
):
    audit_page.goto(path)
    axe_check(audit_page)
