"""A line break in a one-line field: refused by the forms with a French message, and one already saved
(before this rule) never breaks an e-mail, nor the request that sends it."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse

from editing.forms import StructureQuickForm
from proposals.models import Proposal
from tests.proposals.test_proposal_accept import propose
from tests.proposals.test_proposals import URL, participant_rows, started

pytestmark = pytest.mark.django_db
FORGED = "Blanchisserie\r\nBcc: victime@example.org"
REFUSED = "Ce champ s'écrit sur une seule ligne : retirez le retour à la ligne."


def errors_of(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [" ".join(li.get_text().split()) for li in page.select(".errorlist li")]


@pytest.mark.parametrize("field", ["title", "contact_name", "participants-0-name"])
def test_a_proposal_with_a_line_break_in_a_one_line_field_is_refused(client, field):
    answers = {
        "title": "Blanchisserie partagée",
        "department": "64",
        "description": "Trois structures mettent en commun une blanchisserie industrielle.",
        "contact_name": "Marie Etcheverry",
        "contact_email": "marie@example.org",
        "website": "",
        "started": started(),
        **participant_rows(("Régie de quartier Nord", "ACI", "lead")),
        field: FORGED,
    }
    response = client.post(URL, answers)
    assert response.status_code == 200
    assert REFUSED in errors_of(response)
    assert not Proposal.objects.exists()


def test_a_structure_name_with_a_line_break_is_refused_in_the_editor():
    form = StructureQuickForm({"name": "Ressourcerie\nBcc: x@example.org", "kind": "EI", "role": "partner"})
    assert form.errors["name"] == [REFUSED]


def test_an_old_proposal_with_a_line_break_is_accepted_and_its_proposer_told(
    client, editor, django_capture_on_commit_callbacks
):
    proposal = propose(client)
    proposal.cooperation.title = FORGED  # saved before forms refused it
    proposal.cooperation.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editing:proposal_accept", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    [message] = mail.outbox
    assert (
        message.subject.replace("\u00a0", " ")
        == "Votre proposition « Blanchisserie Bcc: victime@example.org » est retenue"
    )
    assert message.message()["Bcc"] is None


def test_a_failing_mail_server_does_not_undo_the_decision(
    client, editor, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    proposal = propose(client)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("serveur de courrier injoignable")

    monkeypatch.setattr("django.core.mail.send_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editing:proposal_accept", args=[proposal.pk]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert f"E-mail not sent: proposal {proposal.pk} outcome" in caplog.text
