"""Steps shared by the walks through the workspace: signing in, and screenshots at two widths."""

from django.urls import reverse

from tests.browser.conftest import DESKTOP, PHONE

PASSWORD = "Une phrase de passe 2026"


def sign_in(page, username="ines"):
    page.goto(reverse("login"))
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


def shoot(page, folder, name):
    """Screenshots at 1280 and 390 px wide, looked at by the team; nothing may push the page wider than
    the phone (a long title, a table)."""
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}-1280.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=folder / f"{name}-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    page.set_viewport_size(DESKTOP)
