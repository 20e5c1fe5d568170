"""An Éditeur's fiche from the workspace alone, in Chromium: sign in, create, preview, publish, edit, then
a conflict between two pages, settled field by field. No page of /admin/ is opened."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cooperations.models import Cooperation, CooperationForm
from structures.models import Structure
from territories.models import Commune
from tests.factories import DepartmentFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.browser
PASSWORD = "Une phrase de passe 2026"


@pytest.fixture
def expect():
    from playwright.sync_api import expect

    return expect


def sign_in(page, username="ines"):
    page.goto(reverse("editing:dashboard"))
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def never_in_admin(page, visited):
    page.on("request", lambda request: visited.append(request.url) if "/admin/" in request.url else None)


def test_an_editor_creates_previews_publishes_edits_and_settles_a_conflict(
    page, browser, live_server, expect
):
    UserFactory(username="ines", password=PASSWORD, editor=True, first_name="Inès", last_name="Durand")
    UserFactory(username="marc", password=PASSWORD, editor=True, first_name="Marc", last_name="Petit")
    StructureFactory(name="Régie de quartier Nord", kind=Structure.Kind.ACI)
    CooperationForm.objects.create(code="gme", short_name="GME", name="Groupement momentané d'entreprises")
    admin_requests = []
    never_in_admin(page, admin_requests)

    # Signed in, the dashboard opens; a new fiche from its navigation.
    sign_in(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    page.get_by_role("link", name="Nouvelle fiche").click()

    page.get_by_label("Titre").fill("Blanchisserie partagée")
    page.get_by_label("Stratégique").check()
    page.fill("#id_summary", "Trois structures mettent en commun une blanchisserie.")
    page.fill("#id_context", "L'hôpital cherchait :\n\n- des volumes réguliers\n- de l'hygiène")
    # The Markdown buttons (markdown-toolbar-element) and the server's preview.
    page.locator("#id_objectives").fill("garder les emplois")
    page.locator("#id_objectives").select_text()
    page.locator("markdown-toolbar[for=id_objectives] md-bold").click()
    expect(page.locator("#id_objectives")).to_have_value("**garder les emplois**")
    page.locator("markdown-toolbar[for=id_context] .markdown-preview-button").click()
    expect(page.locator("#id_context + .markdown-preview li").first).to_have_text("des volumes réguliers")

    # A commune found by its name (the real communes may have been emptied by an earlier browser test).
    if not Commune.objects.filter(code="39300").exists():
        Commune.objects.create(code="39300", name="Lons-le-Saunier", department=DepartmentFactory(code="39"))
    page.get_by_role("combobox", name="Ajouter une commune").fill("lons")
    page.get_by_role("option", name="Lons-le-Saunier (39)").click()
    expect(page.get_by_label("Lons-le-Saunier (39)")).to_be_checked()

    # A participant found by the search, another created on the spot; a figure.
    page.get_by_label("Ajouter une structure").fill("régie")
    page.get_by_label("Ajouter une structure").press("Enter")
    page.get_by_role("button", name="Ajouter Régie de quartier Nord").click()
    page.locator("select[name=participations-0-role]").select_option("lead")
    page.get_by_text("La structure n’est pas dans l’annuaire ? La créer").click()
    page.fill("#id_new-structure-name", "Hôpital de Lons")
    page.select_option("#id_new-structure-kind", "other")
    page.select_option("#id_new-structure-role", "funder")
    page.get_by_role("button", name="Créer la structure et l’ajouter").click()
    # Created, and added to the fiche at once with its role.
    expect(page.locator(".participant-name").nth(1)).to_have_text("Hôpital de Lons")
    expect(page.locator("#qui-coopere .quick-status")).to_contain_text(
        "« Hôpital de Lons » est créée et ajoutée aux participants"
    )
    page.get_by_role("button", name="Ajouter un chiffre").click()
    page.fill("[name=figures-0-value]", "3")
    page.fill("[name=figures-0-unit]", "tonnes")
    page.fill("[name=figures-0-label]", "de linge par semaine")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_have_text("Brouillon enregistré.")
    cooperation = Cooperation.objects.get()
    assert cooperation.objectives == "**garder les emplois**"
    assert sorted(cooperation.participations.values_list("structure__name", "role")) == [
        ("Hôpital de Lons", "funder"),
        ("Régie de quartier Nord", "lead"),
    ]
    assert [str(figure) for figure in cooperation.figures.all()] == ["3 tonnes de linge par semaine"]
    assert [commune.name for commune in cooperation.communes.all()] == ["Lons-le-Saunier"]

    # The preview shows the draft as the public will see it.
    page.get_by_role("link", name="Aperçu").click()
    expect(page.locator(".preview-banner")).to_contain_text("n'est pas visible du public")
    expect(page.get_by_role("heading", level=1)).to_have_text("Blanchisserie partagée")
    page.go_back()

    # Published, it is on the public list; then edited from there.
    page.get_by_role("button", name="Publier").click()
    expect(page.locator(".messages")).to_have_text("La fiche est publiée : elle est visible de tous.")
    page.goto(reverse("cooperations:list"))
    page.get_by_role("link", name="Blanchisserie partagée").click()
    page.get_by_role("link", name="Modifier la fiche").click()
    page.fill("#id_results", "Douze emplois stables.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messages")).to_have_text("Modifications enregistrées : elles sont en ligne.")
    edit_url = page.url

    # A colleague saves the same fiche in another browser while Inès is typing.
    other = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    sign_in(other, "marc")
    other.goto(edit_url)
    page.fill("#id_title", "Blanchisserie et couture")
    page.fill("#id_summary", "Quatre structures partagent une blanchisserie.")
    other.fill("#id_title", "Blanchisserie solidaire")
    other.fill("#id_summary", "Trois structures et un hôpital partagent une blanchisserie.")
    other.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(other.locator(".messages")).to_contain_text("Modifications enregistrées")
    other.context.close()

    page.get_by_role("button", name="Enregistrer", exact=True).click()
    conflict = page.locator(".conflict")
    expect(conflict.get_by_role("heading")).to_have_text(
        "Quelqu’un a enregistré cette fiche pendant que vous la modifiiez"
    )
    title = conflict.locator(".conflict-field", has_text="Titre")
    expect(title.locator(".conflict-version").first).to_contain_text("Votre version")
    expect(title.locator(".conflict-version").first).to_contain_text("Blanchisserie et couture")
    expect(title.locator(".conflict-version").last).to_contain_text("Version enregistrée par Marc Petit à ")
    expect(title.locator(".conflict-version").last).to_contain_text("Blanchisserie solidaire")
    expect(page.locator("#id_title")).to_have_value("Blanchisserie et couture")  # nothing typed is lost
    # Keep the colleague's title and one's own summary.
    title.get_by_label("Version enregistrée par Marc Petit").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messages")).to_have_text("Modifications enregistrées : elles sont en ligne.")
    cooperation.refresh_from_db()
    assert cooperation.title == "Blanchisserie solidaire"
    assert cooperation.summary == "Quatre structures partagent une blanchisserie."
    assert cooperation.results == "Douze emplois stables."

    assert page.console_errors == []
    assert admin_requests == []


def signed_in_context(browser, live_server, user, **options):
    """A browser context with `user`'s session, for pages axe-core audits (the policy bypassed)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", bypass_csp=True, **options)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}])
def test_workspace_pages_have_no_serious_accessibility_violation(
    browser, live_server, transactional_db, axe_check, viewport
):
    editor = UserFactory(editor=True, first_name="Inès", last_name="Durand")
    structure = StructureFactory(name="Régie de quartier Nord")
    cooperation = Cooperation.objects.create(
        title="Blanchisserie partagée", level="simple", updated_by=editor
    )
    cooperation.participations.create(structure=structure, role="lead")
    cooperation.figures.create(value=3, unit="tonnes", label="de linge")
    context = signed_in_context(browser, live_server, editor, viewport=viewport)
    page = context.new_page()
    for url in (
        reverse("editing:dashboard"),
        reverse("editing:cooperation_create"),
        reverse("editing:cooperation_edit", args=[cooperation.pk]),
    ):
        page.goto(url)
        axe_check(page)
        # Nothing wider than the screen on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
    # The conflict panel: the fiche saved meanwhile.
    page.goto(reverse("editing:cooperation_edit", args=[cooperation.pk]))
    page.fill("#id_title", "Blanchisserie et couture")
    Cooperation.objects.filter(pk=cooperation.pk).update(title="Blanchisserie solidaire", version=5)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.locator(".conflict").wait_for()
    axe_check(page)
    context.close()


def test_the_signed_in_header_keeps_to_one_row_at_1280_px(browser, live_server, transactional_db):
    editor = UserFactory(editor=True, first_name="Marie-Christine", last_name="Durand")
    context = signed_in_context(browser, live_server, editor, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(reverse("cooperations:list"))
    brand = page.locator(".site-header .brand").bounding_box()
    account = page.locator(".account-menu summary").bounding_box()
    propose = page.locator(".site-header .nav-propose").bounding_box()
    assert abs(account["y"] + account["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
    assert abs(propose["y"] + propose["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
    context.close()


def test_the_admin_keeps_the_participants_role_in_view_on_a_phone(browser, live_server, transactional_db):
    administrator = UserFactory(administrator=True)
    cooperation = Cooperation.objects.create(title="Blanchisserie partagée", level="simple")
    cooperation.participations.create(structure=StructureFactory(name="Régie de quartier Nord"), role="lead")
    context = signed_in_context(browser, live_server, administrator, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(reverse("admin:cooperations_cooperation_change", args=[cooperation.pk]))
    role = page.locator("#participations-group td.field-role select").first.bounding_box()
    assert role["x"] + role["width"] <= 390
    context.close()
