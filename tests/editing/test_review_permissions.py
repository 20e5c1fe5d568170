"""Who may use the review queue and the history pages, action by action.

Visitors are sent to sign in; a signed-in person without a role gets 403; Éditeurs and Administrateurs
may do everything here. Each action checks its effect, not only the answer's status.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from proposals.models import Correction, Proposal
from tests.factories import CooperationFactory, UserFactory

ROLES = ("visitor", "without role", "editor", "administrator")


def sign_in(client, role):
    if role == "visitor":
        return None
    traits = {"without role": {"is_staff": True}, "editor": {"editor": True}}
    user = UserFactory(**traits.get(role, {"administrator": True}))
    client.force_login(user)
    return user


def proposal():
    return Proposal.objects.create(
        cooperation=CooperationFactory(title="Blanchisserie proposée"),
        structures_text="Régie de quartier Nord",
        contact_name="Marie",
        contact_email="marie@example.org",
    )


def correction():
    fiche = CooperationFactory(published=True, title="Légumerie")
    message = "Le téléphone a changé."
    return Correction.objects.create(cooperation=fiche, message=message, email="a@example.org")


def edited_fiche():
    fiche = CooperationFactory(title="Version A")
    fiche.title = "Version B"
    fiche.save()
    return fiche


# Each action returns (response, done): whether it had its effect.
def see_queue(client):
    proposal(), correction()
    response = client.get(reverse("editing:review"))
    return response, "Blanchisserie proposée" in response.text and "Légumerie" in response.text


def see_proposal(client):
    item = proposal()
    response = client.get(reverse("editing:review_proposal", args=[item.pk]))
    return response, "Blanchisserie proposée" in response.text


def accept_proposal(client):
    item = proposal()
    response = client.post(reverse("editing:proposal_accept", args=[item.pk]))
    item.refresh_from_db()
    return response, item.status == Proposal.Status.ACCEPTED


def dismiss_proposal(client):
    item = proposal()
    response = client.post(reverse("editing:proposal_dismiss", args=[item.pk]), {"reason": "Hors sujet."})
    item.refresh_from_db()
    return response, item.status == Proposal.Status.DECLINED


def see_correction(client):
    item = correction()
    response = client.get(reverse("editing:review_correction", args=[item.pk]))
    return response, "Le téléphone a changé." in response.text


def accept_correction(client):
    item = correction()
    response = client.post(reverse("editing:correction_accept", args=[item.pk]))
    item.refresh_from_db()
    return response, item.status == Correction.Status.ACCEPTED


def dismiss_correction(client):
    item = correction()
    response = client.post(reverse("editing:correction_dismiss", args=[item.pk]), {"reason": "Déjà à jour."})
    item.refresh_from_db()
    return response, item.status == Correction.Status.DISMISSED


def see_history(client):
    fiche = edited_fiche()
    response = client.get(reverse("editing:history", args=[fiche.pk]))
    return response, "Version A" in response.text and "Version B" in response.text


def compare_versions(client):
    fiche = edited_fiche()
    response = client.get(reverse("editing:compare", args=[fiche.pk]))
    return response, "<del>Version A</del>" in response.text


def preview_restore(client):
    fiche = edited_fiche()
    first = fiche.history.last()
    response = client.get(reverse("editing:restore", args=[fiche.pk, first.history_id]))
    return response, "Restaurer la version du" in response.text


def restore_version(client):
    fiche = edited_fiche()
    first = fiche.history.last()
    url = reverse("editing:restore", args=[fiche.pk, first.history_id])
    response = client.post(url, {"version": fiche.version})
    fiche.refresh_from_db()
    return response, fiche.title == "Version A"


ACTIONS = [
    see_queue,
    see_proposal,
    accept_proposal,
    dismiss_proposal,
    see_correction,
    accept_correction,
    dismiss_correction,
    see_history,
    compare_versions,
    preview_restore,
    restore_version,
]


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.__name__)
@pytest.mark.parametrize("role", ROLES)
def test_each_action_is_for_editors_and_administrators_only(client, role, action):
    sign_in(client, role)
    response, done = action(client)
    if role == "visitor":
        assert response.status_code == 302
        assert response.url.startswith(reverse(settings.LOGIN_URL) + "?next=")
        assert not done
    elif role == "without role":
        assert response.status_code == 403
        assert not done
    else:
        assert response.status_code in (200, 302)
        assert done


@pytest.mark.django_db
@pytest.mark.parametrize("action", [accept_proposal, dismiss_proposal, accept_correction, dismiss_correction])
def test_decisions_answer_only_post(client, editor, action):
    name = {
        accept_proposal: "editing:proposal_accept",
        dismiss_proposal: "editing:proposal_dismiss",
        accept_correction: "editing:correction_accept",
        dismiss_correction: "editing:correction_dismiss",
    }[action]
    item = proposal() if "proposal" in name else correction()
    assert client.get(reverse(name, args=[item.pk])).status_code == 405
    item.refresh_from_db()
    assert item.is_pending
