"""An Éditeur turns a search that found nothing into a synonym, in Chromium: a visitor's search is
recorded, the workspace lists it under « Recherches sans résultat », the synonym is added from it, and
the same search finds the fiche at once. axe-core checks the pages at 1280 and 390 px."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperations.models import SearchRecord
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.walk import PASSWORD, shoot, sign_in
from tests.factories import CooperationFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/27search-shots")
LIST = reverse("cooperations:list")


@pytest.fixture
def expect():
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def directory(transactional_db):
    UserFactory(username="ines", password=PASSWORD, editor=True, first_name="Inès", last_name="Durand")
    return CooperationFactory(published=True, title="Blanchisserie solidaire du Refuge")


def test_an_editor_turns_a_search_without_result_into_a_synonym(page, directory, expect):
    # A visitor searches « laverie »: nothing, and the search is recorded (the workspace lists it below).
    page.goto(f"{LIST}?q=laverie")
    expect(page.locator("#results-heading")).to_have_text("Aucune coopération")
    shoot(page, SHOTS, "list-no-result")

    sign_in(page)
    page.goto(reverse("editing:dashboard"))
    page.get_by_role("link", name="Recherches", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherches sans résultat")
    row = page.locator("table.search-records tbody tr").first
    expect(row.locator("th")).to_have_text("laverie")
    shoot(page, SHOTS, "searches-none")

    row.get_by_role("link", name="Ajouter un synonyme").click()
    expect(page.get_by_label("Expressions équivalentes")).to_have_value("laverie ; ")
    shoot(page, SHOTS, "synonym-form")
    page.get_by_label("Expressions équivalentes").fill("laverie ; blanchisserie")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("La recherche « laverie » trouve maintenant 1 fiche.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherches sans résultat")
    shoot(page, SHOTS, "synonym-added")

    page.goto(f"{LIST}?q=laverie")
    expect(page.locator(".result-list li")).to_have_count(1)
    expect(page.locator(".result-list li").first).to_contain_text("Blanchisserie solidaire du Refuge")
    assert page.console_errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("name", ["none", "few", "synonym"])
def test_the_search_pages_have_no_serious_accessibility_violation(
    audit_page, directory, axe_check, name, viewport
):
    SearchRecord.objects.create(query="laverie", result_count=0, searched_on=timezone.localdate())
    SearchRecord.objects.create(query="recyclerie", result_count=2, searched_on=timezone.localdate())
    path = {
        "none": reverse("editing:searches_none") + "?periode=30",
        "few": reverse("editing:searches_few") + "?periode=30",
        "synonym": reverse("editing:synonym_new") + "?q=laverie",
    }[name]
    audit_page.set_viewport_size(viewport)
    sign_in(audit_page)
    audit_page.goto(path)
    axe_check(audit_page)
