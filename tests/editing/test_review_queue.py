"""/espace/a-examiner/: one queue for the public's proposals and suggestions, and each decision."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from proposals.models import Correction, Proposal
from tests.factories import CooperationFactory, DepartmentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("editing:review")


def make_proposal(title="Blanchisserie partagée du Pays basque", **kwargs):
    cooperation = CooperationFactory(
        title=title, summary="Trois structures mettent en commun une blanchisserie."
    )
    return Proposal.objects.create(
        cooperation=cooperation,
        structures_text="Régie de quartier Nord ; ACI\nBlanchisserie de l'Adour",
        contact_name="Marie Etcheverry",
        contact_email="marie@example.org",
        **kwargs,
    )


def make_correction(fiche=None, **kwargs):
    fiche = fiche or CooperationFactory(published=True, title="Légumerie du Pays de Brest")
    values = {"message": "Le téléphone est le 02 98 00 00 00.", "name": "Yann", "email": "yann@example.org"}
    return Correction.objects.create(cooperation=fiche, **(values | kwargs))


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_queue_lists_pending_proposals_and_suggestions_with_their_counts(client, editor):
    make_proposal()
    make_proposal("Déjà retenue", status=Proposal.Status.ACCEPTED)
    make_correction()
    make_correction(status=Correction.Status.DISMISSED, message="Ancienne suggestion écartée")

    response = client.get(QUEUE)

    page = soup(response)
    assert [h.get_text(strip=True) for h in page.select("main h2")] == [
        "Une proposition de coopération",
        "Une suggestion de correction",
    ]
    titles = [a.get_text(strip=True) for a in page.select(".review-item h3 a")]
    assert titles == ["Blanchisserie partagée du Pays basque", "Sur « Légumerie du Pays de Brest »"]
    assertNotContains(response, "Ancienne suggestion écartée")


def test_an_empty_queue_says_so_for_each_kind(client, editor):
    response = client.get(QUEUE)
    assertContains(
        response, "<p class=\"empty-state\">Aucune proposition n'attend d'être examinée.</p>", html=True
    )
    assertContains(
        response, "<p class=\"empty-state\">Aucune suggestion n'attend d'être examinée.</p>", html=True
    )


def test_the_queue_reads_a_constant_number_of_queries(client, editor, django_assert_num_queries):
    department = DepartmentFactory(code="64")
    for n in range(3):
        make_proposal(f"Proposition {n}").cooperation.departments.set([department])
        make_correction(CooperationFactory(published=True))
    client.get(QUEUE)  # warms the session
    # session, user, the user's own permissions, their groups' permissions, proposals with their
    # fiches, the fiches' departments, the user's organisations (whose fiches' suggestions they
    # review), suggestions with their fiches, the structures' complements waiting (the oldest, with
    # their structure) and their count
    with django_assert_num_queries(10):
        response = client.get(QUEUE)
    assert len(soup(response).select(".review-item")) == 6


def test_a_proposal_shows_what_was_sent(client, editor):
    proposal = make_proposal()
    response = client.get(reverse("editing:review_proposal", args=[proposal.pk]))
    page = soup(response)
    assert "Blanchisserie partagée du Pays basque" in page.h1.get_text()
    assert [" ".join(li.get_text().split()) for li in page.select(".review-facts .fact-list li")] == [
        "Régie de quartier Nord (ACI, partenaire) — sera créée",
        "Blanchisserie de l'Adour (partenaire) — sera créée",
    ]
    assert page.select_one('a[href="mailto:marie@example.org"]')


def test_accepting_a_proposal_opens_its_draft_and_tells_the_person(
    client, editor, django_capture_on_commit_callbacks
):
    proposal = make_proposal()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editing:proposal_accept", args=[proposal.pk]))
    assert response.url == reverse("editing:cooperation_edit", args=[proposal.cooperation_id])
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by) == (Proposal.Status.ACCEPTED, editor)
    [message] = mail.outbox
    assert message.to == ["marie@example.org"]
    assert message.subject == "Votre proposition « Blanchisserie partagée du Pays basque » est retenue"
    page = client.get(response.url)
    assertContains(
        page,
        "Proposition retenue : complétez le brouillon « Blanchisserie partagée du Pays basque » ci-dessous, "
        "puis publiez-le. La personne en est prévenue par e-mail.",
    )


def test_dismissing_a_proposal_asks_for_a_reason(client, editor):
    proposal = make_proposal()
    response = client.post(reverse("editing:proposal_dismiss", args=[proposal.pk]), {"reason": "   "})
    errors = soup(response).select_one(".review-dismiss").get_text(" ", strip=True)
    assert "Indiquez pourquoi vous l'écartez : la personne le lira." in errors
    proposal.refresh_from_db()
    assert proposal.is_pending


def test_dismissing_a_proposal_keeps_the_reason_and_sends_it(
    client, editor, django_capture_on_commit_callbacks
):
    proposal = make_proposal()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("editing:proposal_dismiss", args=[proposal.pk]),
            {"reason": "Ce projet ne concerne aucune structure de l'IAE."},
        )
    assert response.url == QUEUE
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    assert proposal.dismissal_reason == "Ce projet ne concerne aucune structure de l'IAE."
    [message] = mail.outbox
    assert "Ce projet ne concerne aucune structure de l'IAE." in message.body
    assert not proposal.cooperation.is_published


def test_a_proposal_examined_already_cannot_be_decided_again(client, editor):
    proposal = make_proposal(status=Proposal.Status.DECLINED, dismissal_reason="Hors sujet")
    response = client.post(reverse("editing:proposal_accept", args=[proposal.pk]), follow=True)
    assertContains(response, "Cette proposition a déjà été examinée (Écartée).")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    assert not soup(response).select(".review-accept")


def test_accepting_a_suggestion_opens_the_fiche_with_the_suggestion_beside_it(
    client, editor, django_capture_on_commit_callbacks
):
    correction = make_correction()
    other = make_correction(correction.cooperation, message="Le site web a changé d'adresse.")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editing:correction_accept", args=[correction.pk]))
    edit_url = reverse("editing:cooperation_edit", args=[correction.cooperation_id])
    assert response.url == f"{edit_url}?suggestion={correction.pk}"
    correction.refresh_from_db()
    assert correction.status == Correction.Status.ACCEPTED
    assert [m.to for m in mail.outbox] == [["yann@example.org"]]

    aside = soup(client.get(response.url)).select_one("aside.suggestions-beside")
    accepted = aside.select_one(".suggestion-accepted")
    assert accepted.h3.get_text() == "Retenue, à reporter dans la fiche"
    assert "Le téléphone est le 02 98 00 00 00." in accepted.blockquote.get_text()
    waiting = aside.select("ul li")
    assert len(waiting) == 1 and "Le site web a changé d'adresse." in waiting[0].get_text()
    assert waiting[0].a["href"] == reverse("editing:review_correction", args=[other.pk])


def test_dismissing_a_suggestion_asks_for_a_reason_then_tells_the_person(
    client, editor, django_capture_on_commit_callbacks
):
    correction = make_correction()
    url = reverse("editing:correction_dismiss", args=[correction.pk])
    errors = soup(client.post(url, {})).select_one(".review-dismiss .errorlist").get_text()
    assert errors == "Indiquez pourquoi vous l'écartez : la personne le lira."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Ce numéro est celui d'une autre structure."}, follow=True)
    assertContains(response, "Suggestion écartée. La personne en est prévenue par e-mail, avec votre raison.")
    correction.refresh_from_db()
    assert correction.status == Correction.Status.DISMISSED
    assert correction.dismissal_reason == "Ce numéro est celui d'une autre structure."
    [message] = mail.outbox
    assert "Ce numéro est celui d'une autre structure." in message.body


def test_a_suggestion_without_address_says_the_person_will_not_be_told(client, editor):
    correction = make_correction(email="", name="")
    response = client.get(reverse("editing:review_correction", args=[correction.pk]))
    assertContains(response, "une personne anonyme (elle ne sera pas prévenue)")
    assertContains(response, "La personne n'a pas laissé d'adresse")


def test_a_proposal_page_reads_a_constant_number_of_queries(client, editor, django_assert_num_queries):
    proposal = make_proposal()
    proposal.cooperation.departments.set([DepartmentFactory(code="64")])
    url = reverse("editing:review_proposal", args=[proposal.pk])
    client.get(url)
    # session, user, its own and its groups' permissions (4); the proposal with its fiche and reviewer
    # (1); the fiche's departments and forms (2); the structures of the names it gives (1)
    with django_assert_num_queries(8):
        client.get(url)


def test_a_suggestion_page_reads_a_constant_number_of_queries(client, editor, django_assert_num_queries):
    url = reverse("editing:review_correction", args=[make_correction().pk])
    client.get(url)
    # session, user, its own and its groups' permissions (4); the suggestion with its fiche and reviewer (1)
    with django_assert_num_queries(5):
        client.get(url)
