"""The editor's territory pickers in Chromium, on a phone's width: typed, chosen with the keyboard or a tap,
saved; an ARIA combobox that axe-core finds nothing to say about."""

import pytest
from django.urls import reverse

from cooperations.models import Cooperation
from territories.models import Commune, Department, Region
from tests.factories import UserFactory

from .conftest import PHONE
from .test_workspace_walk import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def expect():
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def places(transactional_db):
    """The few real territories used (transactional tests may have emptied the loaded ones)."""
    regions = {"32": "Hauts-de-France", "28": "Normandie", "01": "Guadeloupe"}
    for code, name in regions.items():
        Region.objects.update_or_create(code=code, defaults={"name": name, "slug": name.lower()})
    department, _ = Department.objects.update_or_create(
        code="62", defaults={"name": "Pas-de-Calais", "slug": "pas-de-calais", "region_id": "32"}
    )
    Commune.objects.update_or_create(
        code="62193", defaults={"name": "Calais", "department": department, "population": 67_000}
    )
    UserFactory(username="ines", password=PASSWORD, editor=True)


def test_territories_are_chosen_by_typing_with_the_keyboard_on_a_phone(page, places, expect):
    page.set_viewport_size(PHONE)
    sign_in(page)
    page.goto(reverse("editing:cooperation_create"))
    page.get_by_label("Titre").fill("Légumerie du Calaisis")
    page.get_by_label("Simple").check()

    # A department by a word of its name: the arrow chooses, Enter adds, focus stays to type another.
    field = page.get_by_role("combobox", name="Ajouter un département")
    field.press_sequentially("calais")
    option = page.get_by_role("option", name="Pas-de-Calais (62)")
    expect(option).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(page.locator("[data-combobox=departments] [role=status]")).to_have_text(
        "1 proposition : flèche vers le bas pour la choisir, puis Entrée."
    )
    field.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(field).to_have_attribute("aria-activedescendant", "combobox-departments-option-62")
    field.press("Enter")
    expect(page.get_by_label("Pas-de-Calais (62)")).to_be_checked()
    expect(field).to_have_value("")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page.locator("[data-combobox=departments] [role=status]")).to_have_text(
        "Pas-de-Calais (62) ajouté à la liste."
    )

    # Escape closes the list without choosing; a tap chooses.
    regions = page.get_by_role("combobox", name="Ajouter une région")
    regions.press_sequentially("nor")
    expect(page.get_by_role("option", name="Normandie")).to_be_visible()
    regions.press("Escape")
    expect(
        page.get_by_role("listbox", name="Ajouter une région : propositions", include_hidden=True)
    ).to_be_hidden()
    regions.press("ArrowDown")  # opens the list again
    page.get_by_role("option", name="Normandie").click()
    expect(page.get_by_label("Normandie")).to_be_checked()

    communes = page.get_by_role("combobox", name="Ajouter une commune")
    communes.press_sequentially("cala")
    expect(page.get_by_role("option", name="Calais (62)")).to_be_visible()
    communes.press("ArrowDown")
    communes.press("Enter")
    expect(page.get_by_label("Calais (62)", exact=True)).to_be_checked()

    # Unticked, a territory leaves the fiche.
    page.get_by_label("Normandie").uncheck()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator(".messages")).to_have_text("Brouillon enregistré.")
    cooperation = Cooperation.objects.get()
    assert [d.code for d in cooperation.departments.all()] == ["62"]
    assert [c.name for c in cooperation.communes.all()] == ["Calais"]
    assert not cooperation.regions.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing overflows
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE])
def test_an_open_picker_has_no_serious_accessibility_violation(audit_page, places, axe_check, viewport):
    audit_page.set_viewport_size(viewport)
    sign_in(audit_page)
    audit_page.goto(reverse("editing:cooperation_create"))
    audit_page.get_by_role("combobox", name="Ajouter un département").press_sequentially("calais")
    audit_page.get_by_role("option", name="Pas-de-Calais (62)").wait_for()
    audit_page.get_by_role("combobox", name="Ajouter un département").press("ArrowDown")
    axe_check(audit_page)
