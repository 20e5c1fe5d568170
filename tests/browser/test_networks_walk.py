"""Networks in Chromium: an Éditeur of COORACE edits and publishes a COORACE fiche, cannot publish a
DREETS fiche and suggests a correction to it, which an Éditeur of the DREETS accepts; the organisation's
page, the embed builder and the embed at 1280 and 390 px, axe-core clean; and the embed framed by a page
of another origin: it renders, its links open in the top window, and the rest of the site refuses to be
framed."""

import http.server
import threading
from functools import partial
from pathlib import Path

import pytest
from django.urls import reverse

from cooperations.models import Cooperation
from proposals.models import Correction
from structures.models import Network
from tests.browser.walk import PASSWORD, shoot, sign_in
from tests.factories import CooperationFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/26networks-shots")


@pytest.fixture
def directory(transactional_db, settings):
    settings.ANTISPAM_MIN_FILL_SECONDS = 0  # the walk fills the suggestion form at a robot's speed
    coorace = Network.objects.create(
        name="COORACE",
        slug="coorace",
        website="https://www.coorace.org",
        description="Fédération d'entreprises de l'économie sociale et solidaire, dont des SIAE.",
    )
    dreets = Network.objects.create(
        name="DREETS Hauts-de-France", slug="dreets-hauts-de-france", kind=Network.Kind.STATE_SERVICE
    )
    ines = UserFactory(username="ines", password=PASSWORD, editor=True, first_name="Inès", last_name="Durand")
    paul = UserFactory(username="paul", password=PASSWORD, editor=True, first_name="Paul", last_name="Leroy")
    coorace.editors.add(ines)
    dreets.editors.add(paul)
    region = RegionFactory(code="32", name="Hauts-de-France", slug="hauts-de-france")
    for index in range(12):
        CooperationFactory(
            published=True,
            title=f"Mutualisation d'un atelier n° {index + 1} entre deux SIAE du réseau",
            organisation=coorace,
            regions=[region],
            start_year=2016,
        )
    return {
        "coorace": coorace,
        "garage": CooperationFactory(title="Garage solidaire du Pévèle", organisation=coorace),
        "mobility": CooperationFactory(
            published=True, title="Plateforme mobilité du Hainaut", organisation=dreets, regions=[region]
        ),
    }


def test_rights_follow_the_organisations_from_editing_to_review(page, browser, live_server, directory):
    from playwright.sync_api import expect

    # Inès, of COORACE, edits and publishes a COORACE fiche.
    sign_in(page, "ines")
    page.goto(reverse("editing:cooperation_edit", args=[directory["garage"].pk]))
    expect(page.get_by_label("Réseau référent")).to_have_value(str(directory["coorace"].pk))
    page.get_by_label("Résumé").fill("Un garage solidaire répare les voitures des salariés en insertion.")
    page.get_by_role("button", name="Publier").click()
    expect(page.locator(".messages")).to_contain_text("La fiche est publiée")
    assert Cooperation.objects.get(pk=directory["garage"].pk).is_published

    # The DREETS fiche is not hers: no editor, no « Publier », a correction to suggest.
    mobility = directory["mobility"]
    page.goto(reverse("editing:cooperation_edit", args=[mobility.pk]))
    expect(page.locator(".notice")).to_contain_text("Cette fiche est suivie par DREETS Hauts-de-France")
    expect(page.get_by_role("button", name="Publier")).to_have_count(0)
    shoot(page, SHOTS, "not-yours")
    page.get_by_role("link", name="Suggérer une correction").click()
    page.get_by_label("Votre suggestion").fill("Le Hainaut compte désormais deux garages partenaires.")
    page.get_by_role("button", name="Envoyer la suggestion").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")
    correction = Correction.objects.get(cooperation=mobility)
    # Not in her own queue: the DREETS's editors review it.
    page.goto(reverse("editing:review"))
    expect(page.get_by_role("link", name="Sur « Plateforme mobilité du Hainaut »")).to_have_count(0)

    # Paul, of the DREETS, accepts it: the fiche opens with the suggestion beside it.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="fr-FR", base_url=live_server.url
    )
    other = context.new_page()
    sign_in(other, "paul")
    other.goto(reverse("editing:review"))
    other.get_by_role("link", name="Sur « Plateforme mobilité du Hainaut »").click()
    other.get_by_role("button", name="Retenir et modifier la fiche").click()
    expect(other.locator("aside.suggestions-beside")).to_contain_text("deux garages partenaires")
    correction.refresh_from_db()
    assert (correction.status, correction.reviewed_by.username) == (Correction.Status.ACCEPTED, "paul")
    context.close()


PUBLIC_PAGES = {
    "network": "/reseaux/coorace/",
    "networks": "/reseaux/",
    "builder": "/integrer/?organisation=coorace",
    "embed": "/integrer/liste/?organisation=coorace",
    "not-yours": None,
}


@pytest.mark.parametrize("name", ["network", "networks", "builder", "embed"])
def test_the_public_pages_are_accessible_at_both_widths(audit_page, axe_check, directory, name):
    audit_page.goto(PUBLIC_PAGES[name])
    axe_check(audit_page)
    shoot(audit_page, SHOTS, name)


def test_the_workspace_pages_are_accessible(audit_page, axe_check, directory):
    sign_in(audit_page, "ines")
    audit_page.goto(reverse("editing:cooperation_edit", args=[directory["mobility"].pk]))
    axe_check(audit_page)
    audit_page.goto(reverse("editing:dashboard"))
    axe_check(audit_page)
    shoot(audit_page, SHOTS, "dashboard")


@pytest.fixture
def other_site(tmp_path, live_server):
    """A page of another origin (its own port) framing the embed and, for comparison, a normal page."""
    embed = f"{live_server.url}/integrer/liste/?organisation=coorace"
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Site d'un réseau</title></head>"
        "<body><h1>Le site d'un réseau</h1>"
        f"<iframe name='embed' src='{embed}' title='Coopérations' height='700'"
        " style='width:100%;border:0'></iframe>"
        f"<iframe name='normal' src='{live_server.url}/reseaux/coorace/' title='Page'"
        " height='300' style='width:100%'></iframe></body></html>",
        encoding="utf-8",
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


def test_another_site_frames_the_embed_and_nothing_else(browser, live_server, directory, other_site):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(other_site)
    embed = page.frame_locator("iframe[name=embed]")
    expect(embed.get_by_role("heading", level=1)).to_have_text("Coopérations suivies par COORACE")
    expect(embed.locator(".fiche-card")).to_have_count(10)
    shoot(page, SHOTS, "framed")

    # The rest of the site refuses to be framed: Chromium shows its error page instead of COORACE's.
    normal = page.frame(name="normal")
    assert normal.url.startswith("chrome-error://")
    assert normal.locator("h1", has_text="COORACE").count() == 0

    # The frame set no cookie, and its pagination stays in the frame.
    embed.get_by_role("link", name="Page suivante").click()
    expect(embed.locator(".pagination [aria-current=page]")).to_contain_text("2")
    assert page.url == other_site
    assert context.cookies() == []

    # A fiche opens in the top window, on the directory.
    first = embed.locator(".fiche-card h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(f"{live_server.url}/cooperations/**")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    context.close()
