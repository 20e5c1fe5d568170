"""A new editor's first fiche, in a real browser: sign in, write, preview, publish, change, restore."""

import os
import shutil

import pytest
from django.urls import reverse

from structures.models import Structure
from tests.factories import StructureFactory, UserFactory

# CI sets REQUIRE_BROWSER: there a missing browser is a failure, not a skip.
REQUIRED = bool(os.environ.get("REQUIRE_BROWSER"))
if REQUIRED:
    from playwright import sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REQUIRED and not shutil.which(CHROMIUM), reason="Chromium is not installed"),
]
PASSWORD = "Une phrase de passe 2026"


@pytest.fixture
def page(monkeypatch):
    # Playwright runs an event loop in this thread; the test itself only reads the database.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(locale="fr-FR")
        errors = []
        page.on("pageerror", lambda error: errors.append(error))
        yield page
        browser.close()
        assert errors == [], "JavaScript errors on the pages"


def pick(page, select_id, text):
    """Choose `text` in an autocomplete field."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def save_and_continue(page):
    page.locator("input[name=_continue]").first.click()
    page.wait_for_load_state()


def test_a_new_editor_writes_publishes_changes_and_restores_a_fiche(live_server, page):
    expect = sync_api.expect
    UserFactory(username="ines", password=PASSWORD, editor=True)
    StructureFactory(name="Régie de quartier Nord", kind=Structure.Kind.ACI)

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Nom d’utilisateur").fill("ines")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.locator(".account-menu summary").click()
    # An Éditeur works in the workspace: the menu offers it, not the administration (still reachable).
    expect(page.get_by_role("link", name="Espace de l’équipe")).to_be_visible()
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)

    # Write the fiche, with a partner and a Markdown section checked in the preview.
    page.goto(live_server.url + reverse("admin:cooperations_cooperation_add"))
    page.fill("#id_title", "Blanchisserie partagée")
    page.select_option("#id_level", "strategic")
    page.fill("#id_summary", "Trois structures mettent en commun une blanchisserie.")
    page.fill("#id_context", "L'hôpital cherchait :\n\n- des volumes réguliers\n- de l'hygiène")
    pick(page, "id_participations-0-structure", "Régie")
    page.locator("#id_context + .markdown-preview-tools button").click()
    expect(page.locator("#id_context + .markdown-preview-tools li").first).to_have_text(
        "des volumes réguliers"
    )
    save_and_continue(page)
    change_url = page.url

    # A draft: previewed by staff, absent from the public list.
    page.get_by_role("link", name="Voir sur le site").click()
    expect(page.locator(".preview-banner")).to_contain_text("n'est pas visible du public")
    page.goto(live_server.url + reverse("cooperations:list"))
    expect(page.get_by_role("link", name="Blanchisserie partagée")).to_have_count(0)

    # Publish from the form, then find it on the public list.
    page.goto(change_url)
    page.select_option("#id_status", "published")
    save_and_continue(page)
    expect(page.locator(".messagelist")).to_contain_text("La fiche est publiée")
    page.goto(live_server.url + reverse("cooperations:list"))
    page.get_by_role("link", name="Blanchisserie partagée").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Blanchisserie partagée")

    # Change it, read the history, restore the first version.
    page.goto(change_url)
    page.fill("#id_title", "Blanchisserie et couture")
    save_and_continue(page)
    page.get_by_role("link", name="Historique").click()
    expect(page.locator(".version-changes").first).to_contain_text(
        "Blanchisserie partagée → Blanchisserie et couture"
    )
    # The restored fiche is shown first; the public sees it once confirmed.
    page.get_by_role("link", name="Voir et restaurer cette version").last.click()
    expect(page.locator(".restore-preview h1")).to_have_text("Blanchisserie partagée")
    expect(page.locator(".restore-public")).to_contain_text("le public verra la version restaurée")
    page.get_by_role("button", name="Restaurer et montrer au public").first.click()
    expect(page.locator(".messages")).to_contain_text("est restaurée")
    page.goto(change_url)
    expect(page.locator("#id_title")).to_have_value("Blanchisserie partagée")
    page.goto(live_server.url + reverse("cooperations:list"))
    expect(page.get_by_role("link", name="Blanchisserie partagée")).to_have_count(1)
