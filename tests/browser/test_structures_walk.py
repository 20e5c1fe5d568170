"""An Éditeur completes a structure and merges a duplicate, in Chromium, without the administration: a
structure without contact found in the list, looked up in the Annuaire des entreprises (recorded
answers), two of its fields kept and saved, the fiche's « Contacter » card showing them; then two
duplicates merged and the merge undone from the history. axe-core checks each page at 1280 and 390 px."""

from pathlib import Path

import pytest
from django.urls import reverse

from cooperations.models import Participation
from structures.models import Structure, StructureMerge
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.walk import PASSWORD, shoot, sign_in
from tests.factories import (
    CommuneFactory,
    CooperationFactory,
    DepartmentFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/25structures-shots")


@pytest.fixture
def directory(transactional_db, registry):
    UserFactory(username="ines", password=PASSWORD, editor=True, first_name="Inès", last_name="Durand")
    rouen = CommuneFactory(
        code="76540", name="Rouen", department=DepartmentFactory(code="76", name="Seine-Maritime")
    )
    intermaide = StructureFactory(name="Interm'Aide Emploi", kind=Structure.Kind.SIAE, commune=rouen)
    StructureFactory(name="Atelier Vélo", email="contact@velo.example")
    fiche = CooperationFactory(
        published=True,
        title="Des ruchers dans les entreprises de Rouen",
        participants=[(intermaide, Participation.Role.LEAD)],
    )
    direccte = StructureFactory(name="DIRECCTE", kind=Structure.Kind.STATE_SERVICE)
    regional = StructureFactory(
        name="DIRECCTE Île-de-France", kind=Structure.Kind.STATE_SERVICE, website="https://direccte.example"
    )
    CooperationFactory(
        published=True, title="Clauses sociales en Île-de-France", participants=[(regional, "funder")]
    )
    CooperationFactory(published=True, title="Un marché réservé", participants=[(direccte, "partner")])
    return {"intermaide": intermaide, "fiche": fiche, "direccte": direccte, "regional": regional}


def test_an_editor_completes_a_structure_and_merges_a_duplicate(page, directory):
    from playwright.sync_api import expect

    sign_in(page)
    page.locator(".account-menu summary").click()
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)
    page.get_by_role("link", name="Espace de l’équipe").click()
    page.locator(".workspace-nav").get_by_role("link", name="Structures").click()

    # The structures without contact details.
    page.get_by_label("Sans coordonnées").check()
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".structure-table tbody th a")).to_have_text(["DIRECCTE", "Interm'Aide Emploi"])
    shoot(page, SHOTS, "list")
    page.get_by_role("link", name="Interm'Aide Emploi").click()

    # Looked up in the Annuaire des entreprises: two candidates, the open SIAE chosen.
    page.get_by_text("Chercher dans l’Annuaire des entreprises").click()
    expect(page.get_by_label("Nom ou SIRET à chercher")).to_have_value("Interm'Aide Emploi")
    page.locator(".registry").get_by_role("button", name="Chercher").click()
    candidates = page.locator(".registry-candidate")
    expect(candidates).to_have_count(2)
    expect(candidates.first).to_contain_text("en activité")
    expect(candidates.nth(1)).to_contain_text("fermé")
    shoot(page, SHOTS, "lookup")
    page.get_by_role("button", name="Choisir INTERM'AIDE EMPLOI").click()
    expect(page.locator(".registry-diff")).to_contain_text("41234567000019")
    shoot(page, SHOTS, "lookup-changes")

    # Two fields kept: the address and its postal code; the SIRET left.
    page.get_by_label("SIRET", exact=True).first.uncheck()
    page.get_by_role("button", name="Reprendre les valeurs cochées").click()
    expect(page.locator("#id_address")).to_have_value("12 Rue de la Republique")
    expect(page.locator("#id_postal_code")).to_have_value("76000")
    expect(page.locator("#id_siret")).to_have_value("")
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.locator(".messages")).to_contain_text("Structure enregistrée.")
    shoot(page, SHOTS, "editor")

    # The fiche's « Contacter » card shows them.
    page.goto(directory["fiche"].get_absolute_url())
    card = page.locator("#contacter")
    expect(card).to_contain_text("12 Rue de la Republique")
    expect(card).to_contain_text("76000 Rouen")
    shoot(page, SHOTS, "contact-card")

    # Two duplicates merged, then the merge undone from the history.
    page.goto(reverse("editing:duplicates"))
    expect(page.locator(".duplicate-pair")).to_contain_text("noms proches, même type")
    shoot(page, SHOTS, "duplicates")
    page.get_by_role("button", name="Comparer et fusionner").click()
    # The regional one is kept, with its address and its name.
    page.get_by_role("group", name="La structure gardée").get_by_label("DIRECCTE Île-de-France").check()
    page.get_by_role("group", name="Nom").get_by_label("DIRECCTE Île-de-France").check()
    shoot(page, SHOTS, "merge")
    page.get_by_role("button", name="Fusionner").click()
    expect(page.locator(".messages")).to_contain_text(
        "« DIRECCTE » est fusionnée dans « DIRECCTE Île-de-France »"
    )
    assert not Structure.objects.filter(pk=directory["direccte"].pk).exists()
    page.get_by_role("link", name="Historique").click()
    shoot(page, SHOTS, "history-merge")
    page.get_by_role("button", name="Annuler la fusion et rétablir « DIRECCTE »").click()
    expect(page.locator(".messages")).to_contain_text("Fusion annulée")
    assert Structure.objects.filter(pk=directory["direccte"].pk).exists()
    assert StructureMerge.objects.get().is_undone

    assert page.console_errors == []


PAGES = ["list", "editor", "lookup", "history", "duplicates", "merge", "sources"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("name", PAGES)
def test_the_structure_pages_have_no_serious_accessibility_violation(
    audit_page, directory, axe_check, name, viewport
):
    intermaide, regional, direccte = directory["intermaide"], directory["regional"], directory["direccte"]
    path = {
        "list": reverse("editing:structures") + "?without_contact=1",
        "editor": reverse("editing:structure_edit", args=[intermaide.pk]),
        "lookup": reverse("editing:structure_edit", args=[intermaide.pk]),
        "history": reverse("editing:structure_history", args=[intermaide.pk]),
        "duplicates": reverse("editing:duplicates"),
        "merge": f"{reverse('editing:structure_merge')}?a={regional.pk}&b={direccte.pk}",
        "sources": reverse("editing:sources"),
    }[name]
    audit_page.set_viewport_size(viewport)
    sign_in(audit_page)
    audit_page.goto(path)
    if name == "lookup":
        audit_page.get_by_text("Chercher dans l’Annuaire des entreprises").click()
        audit_page.locator(".registry").get_by_role("button", name="Chercher").click()
        audit_page.get_by_role("button", name="Choisir INTERM'AIDE EMPLOI").click()
        audit_page.locator(".registry-diff").wait_for()
    axe_check(audit_page)


def test_a_source_is_added_from_the_fiche_editor_and_kept_with_the_fiche(page, directory):
    from playwright.sync_api import expect

    fiche = directory["fiche"]
    sign_in(page)
    page.goto(reverse("editing:cooperation_edit", args=[fiche.pk]))
    page.get_by_text("Le document n’est pas dans la liste ? L’ajouter").click()
    page.get_by_label("Intitulé du document").fill("Des ruches en entreprise")
    page.locator("#id_new-source-publisher").fill("Paris Normandie")
    page.get_by_role("button", name="Ajouter la source à la fiche").click()
    expect(page.get_by_label("Des ruches en entreprise (Paris Normandie)")).to_be_checked()
    page.get_by_role("button", name="Enregistrer").first.click()
    expect(page.locator(".messages")).to_contain_text("Modifications enregistrées")
    assert [source.title for source in fiche.sources.all()] == ["Des ruches en entreprise"]
    assert page.console_errors == []
