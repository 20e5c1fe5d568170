"""The « Contacter » card of a fiche: who runs the cooperation and how to reach them."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from structures.models import Structure
from tests.factories import CooperationFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


def card(response):
    return BeautifulSoup(response.text, "html.parser").select_one("#contacter")


def test_leads_come_first_then_partners_each_with_what_is_known(client):
    partner = StructureFactory(name="Atelier Partenaire", email="contact@atelier.fr")
    lead = StructureFactory(name="Zèbre Porteur", phone="0320000000", website="https://zebre.fr")
    funder = StructureFactory(name="Département financeur", kind=Structure.Kind.PUBLIC_BODY, email="a@b.fr")
    fiche = CooperationFactory(
        published=True, participants=[(partner, "partner"), (lead, "lead"), (funder, "funder")]
    )
    contact = card(client.get(fiche.get_absolute_url()))
    entries = contact.select(".contact-list > li")
    assert [entry.select_one(".contact-name a").text for entry in entries] == [
        "Zèbre Porteur",
        "Atelier Partenaire",
    ]
    assert [entry.select_one(".participant-meta").text for entry in entries] == ["Porteur", "Partenaire"]
    assert entries[0].select_one('a[href="tel:+33-3-20-00-00-00"]').text == "03 20 00 00 00"
    assert entries[0].select_one('a[href="https://zebre.fr"]').text == "zebre.fr"
    assert entries[1].select_one('a[href="mailto:contact@atelier.fr"]').text == "contact@atelier.fr"
    # Funders and clients do not run the cooperation: they are not whom to contact about it.
    assert "Département financeur" not in contact.text


def test_structures_without_any_detail_are_named_with_a_way_to_complete_the_fiche(client):
    known = StructureFactory(name="Connue", email="contact@connue.fr")
    unknown = StructureFactory(name="Inconnue")
    fiche = CooperationFactory(published=True, participants=[(known, "lead"), (unknown, "partner")])
    response = client.get(fiche.get_absolute_url())
    contact = card(response)
    assert (
        " ".join(contact.select_one(".contact-unknown").text.split())
        == "Coordonnées inconnues pour : Inconnue."
    )
    complete = contact.select_one(".contact-complete a")
    assert (complete.text, complete["href"]) == (
        "Compléter cette fiche",
        reverse("proposals:correct", args=[fiche.slug]),
    )


def test_a_fiche_whose_contacts_are_all_unknown_says_so(client):
    fiche = CooperationFactory(published=True, participants=[(StructureFactory(name="Discrète"), "lead")])
    response = client.get(fiche.get_absolute_url())
    assertContains(
        response,
        '<p class="contact-unknown">Nous ne connaissons pas encore les coordonnées des structures '
        "qui portent cette coopération.</p>",
        html=True,
    )
    assertContains(
        response, f'<a href="/cooperations/{fiche.slug}/signaler/">Compléter cette fiche</a>', html=True
    )


def test_a_fiche_without_participants_still_has_its_card(client):
    fiche = CooperationFactory(published=True)
    response = client.get(fiche.get_absolute_url())
    assertContains(response, '<h2 id="contact-title">Contacter</h2>', html=True)
    assertContains(response, "Les structures qui portent cette coopération ne sont pas encore indiquées.")


def test_a_complete_card_does_not_ask_for_more(client):
    fiche = CooperationFactory(published=True, participants=[(StructureFactory(email="a@b.fr"), "lead")])
    assert card(client.get(fiche.get_absolute_url())).select_one(".contact-complete") is None


def test_the_fiche_offers_to_contact_follow_and_report(client):
    fiche = CooperationFactory(published=True)
    response = client.get(fiche.get_absolute_url())
    actions = BeautifulSoup(response.text, "html.parser").select(".fiche-actions a")
    assert [(a.text, a["href"]) for a in actions] == [
        ("Contacter", "#contacter"),
        ("Suivre cette fiche", reverse("alerts:follow_fiche", args=[fiche.slug])),
        ("Signaler une erreur ou compléter cette fiche", reverse("proposals:correct", args=[fiche.slug])),
    ]


def test_a_draft_preview_shows_the_card_without_public_links(client):
    staff = UserFactory(editor=True)
    client.force_login(staff)
    draft = CooperationFactory(participants=[(StructureFactory(name="Sans coordonnées"), "lead")])
    response = client.get(reverse("cooperations:preview", args=[draft.slug]))
    assertContains(response, '<h2 id="contact-title">Contacter</h2>', html=True)
    assertNotContains(response, "/signaler/")
    assertNotContains(response, "/alertes/suivre/fiche/")
