"""An Éditeur goes through what the public sent and through a fiche's history, in Chromium: a proposal
accepted (its draft opens), a suggestion accepted (the fiche opens with it beside), another dismissed with
a reason, an old version restored after its preview. axe-core checks each of these pages."""

from pathlib import Path

import pytest
from django.urls import reverse

from cooperations.models import Cooperation
from proposals.models import Correction, Proposal
from tests.browser.walk import PASSWORD, shoot, sign_in
from tests.factories import CooperationFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/review")


@pytest.fixture
def queue(transactional_db):
    UserFactory(username="ines", password=PASSWORD, editor=True, first_name="Inès", last_name="Durand")
    draft = CooperationFactory(title="Blanchisserie partagée du Pays basque")
    proposal = Proposal.objects.create(
        cooperation=draft,
        structures_text="Régie de quartier Nord ; ACI\nBlanchisserie de l'Adour ; EI",
        contact_name="Marie Etcheverry",
        contact_email="marie@example.org",
    )
    fiche = CooperationFactory(
        published=True,
        title="Légumerie du Pays de Brest",
        participants=[(StructureFactory(name="Chantier du Port"), "lead")],
    )
    fiche.save()  # a version with its lead, the one restored below
    fiche.title = "Légumerie de Brest et de Morlaix"
    fiche.summary = "Une légumerie partagée qui fournit les cantines de deux villes."
    fiche.save()
    kept = Correction.objects.create(
        cooperation=fiche,
        message="Le téléphone de la légumerie est le 02 98 00 00 00.",
        email="yann@example.org",
    )
    dismissed = Correction.objects.create(
        cooperation=fiche, message="La légumerie a fermé en 2020.", email="anne@example.org"
    )
    return {"proposal": proposal, "fiche": fiche, "kept": kept, "dismissed": dismissed}


def test_an_editor_reviews_the_queue_and_restores_a_version(page, queue):
    from playwright.sync_api import expect

    sign_in(page)
    page.goto(reverse("editing:review"))
    expect(page.get_by_role("heading", level=2).first).to_have_text("Une proposition de coopération")
    shoot(page, SHOTS, "queue")

    # A proposal accepted: its draft opens, with a message naming it.
    page.get_by_role("link", name="Blanchisserie partagée du Pays basque").click()
    expect(page.locator(".review-facts")).to_contain_text("Régie de quartier Nord (ACI, partenaire)")
    shoot(page, SHOTS, "proposal")
    page.get_by_role("button", name="Retenir et compléter le brouillon").click()
    draft = queue["proposal"].cooperation
    expect(page).to_have_url(
        page.url.split("/espace/")[0] + reverse("editing:cooperation_edit", args=[draft.pk])
    )
    expect(page.locator(".messages")).to_contain_text(
        "Proposition retenue : complétez le brouillon « Blanchisserie partagée du Pays basque »"
    )

    # A suggestion accepted: the fiche opens with the suggestion beside it.
    page.goto(reverse("editing:review"))
    page.get_by_role("link", name="Sur « Légumerie de Brest et de Morlaix »").first.click()
    shoot(page, SHOTS, "correction")
    page.get_by_role("button", name="Retenir et modifier la fiche").click()
    aside = page.locator("aside.suggestions-beside")
    expect(aside.locator(".suggestion-accepted")).to_contain_text("02 98 00 00 00")
    expect(aside).to_contain_text("La légumerie a fermé en 2020.")  # still waiting, linked

    # The other one dismissed: a reason is asked for, then sent.
    aside.get_by_role("link", name="Retenir ou écarter").click()
    page.get_by_role("button", name="Écarter, avec cette raison").click()
    expect(page.locator(".review-dismiss .form-errors")).to_contain_text("Indiquez la raison")
    expect(page.locator(".review-dismiss")).to_contain_text("Indiquez pourquoi vous l'écartez")
    shoot(page, SHOTS, "dismiss-error")
    page.get_by_label("Raison").fill("La légumerie fonctionne toujours : nous l'avons appelée.")
    page.get_by_role("button", name="Écarter, avec cette raison").click()
    expect(page.locator(".messages")).to_contain_text("Suggestion écartée.")
    expect(page.locator(".empty-state")).to_have_count(2)
    queue["dismissed"].refresh_from_db()
    assert queue["dismissed"].status == Correction.Status.DISMISSED

    # The history: compare, then restore the first version after its preview.
    fiche = queue["fiche"]
    page.goto(reverse("editing:history", args=[fiche.pk]))
    expect(page.locator("li.version").first).to_contain_text("version actuelle")
    shoot(page, SHOTS, "history")
    page.get_by_role("button", name="Comparer les deux versions cochées").click()
    expect(page.locator("table.version-diff")).to_contain_text("Légumerie de Brest et de Morlaix")
    shoot(page, SHOTS, "compare")
    page.get_by_role("link", name="Voir et restaurer la version du").click()
    expect(page.locator(".restore-preview h1")).to_have_text("Légumerie du Pays de Brest")
    expect(page.locator(".restore-preview .fiche-participants")).to_contain_text("Chantier du Port")
    expect(page.locator(".restore-public")).to_contain_text("le public verra la version restaurée")
    shoot(page, SHOTS, "restore")
    assert Cooperation.objects.get(pk=fiche.pk).title == "Légumerie de Brest et de Morlaix"  # not yet
    page.get_by_role("button", name="Restaurer et montrer au public").first.click()
    expect(page.locator(".messages")).to_contain_text("est restaurée")
    page.goto(fiche.get_absolute_url())  # the old address still leads to the fiche
    expect(page.get_by_role("heading", level=1)).to_have_text("Légumerie du Pays de Brest")
    expect(page.locator(".fiche-participants")).to_contain_text("Chantier du Port")

    assert page.console_errors == []


@pytest.mark.parametrize("name", ["queue", "proposal", "correction", "history", "compare", "restore"])
def test_the_review_and_history_pages_have_no_serious_accessibility_violation(
    audit_page, queue, axe_check, name
):
    fiche = queue["fiche"]
    first = fiche.history.order_by("history_date")[1]
    path = {
        "queue": reverse("editing:review"),
        "proposal": reverse("editing:review_proposal", args=[queue["proposal"].pk]),
        "correction": reverse("editing:review_correction", args=[queue["kept"].pk]),
        "history": reverse("editing:history", args=[fiche.pk]),
        "compare": reverse("editing:compare", args=[fiche.pk]),
        "restore": reverse("editing:restore", args=[fiche.pk, first.history_id]),
    }[name]
    sign_in(audit_page)
    audit_page.goto(path)
    axe_check(audit_page)
