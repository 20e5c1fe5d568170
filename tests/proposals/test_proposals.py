import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.urls import reverse

from cooperations.models import Cooperation
from lib.antispam import STARTED_SALT
from proposals.models import Proposal
from tests.factories import CooperationFormFactory, DepartmentFactory, UserFactory

URL = "/proposer/"


def started(seconds_ago=60):
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def participant_rows(*rows, total=4):
    """The form's participant rows as a browser sends them: (name, kind, role) each, the others empty."""
    data = {"participants-TOTAL_FORMS": str(max(total, len(rows))), "participants-INITIAL_FORMS": "0"}
    for index, (name, kind, role) in enumerate(rows):
        data |= {
            f"participants-{index}-name": name,
            f"participants-{index}-kind": kind,
            f"participants-{index}-role": role,
        }
    for index in range(len(rows), max(total, len(rows))):
        data[f"participants-{index}-role"] = "partner"
    return data


@pytest.fixture
def answers():
    DepartmentFactory(code="64")  # loaded with the territories, created if they are not
    form = CooperationFormFactory(name="Groupement momentané d'entreprises")
    return {
        "title": "Blanchisserie partagée du Pays basque",
        **participant_rows(
            ("Régie de quartier Nord", "ACI", "lead"), ("Blanchisserie de l'Adour", "EI", "partner")
        ),
        "department": "Pyrénées-Atlantiques",
        "cooperation_forms": [form.pk],
        "description": "Trois structures mettent en commun une blanchisserie industrielle.",
        "contact_name": "Marie Etcheverry",
        "contact_email": "marie@example.org",
        "website": "",
        "started": started(),
    }


@pytest.mark.django_db
def test_a_proposal_becomes_a_draft_fiche_with_its_proposal(client, answers):
    response = client.post(URL, answers)
    assert response.url == reverse("proposals:thanks")
    cooperation = Cooperation.objects.get()
    assert cooperation.status == Cooperation.Status.DRAFT
    assert cooperation.title == "Blanchisserie partagée du Pays basque"
    assert cooperation.summary.startswith("Trois structures")
    assert [d.code for d in cooperation.departments.all()] == ["64"]
    assert [f.name for f in cooperation.forms.all()] == ["Groupement momentané d'entreprises"]
    proposal = cooperation.proposal
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.contact_email == "marie@example.org"
    assert proposal.participants == [
        {"name": "Régie de quartier Nord", "kind": "ACI", "role": "lead"},
        {"name": "Blanchisserie de l'Adour", "kind": "EI", "role": "partner"},
    ]
    assert proposal.structure_lines() == [
        ("Régie de quartier Nord", "ACI"),
        ("Blanchisserie de l'Adour", "EI"),
    ]
    assert cooperation.history.count() == 1  # one version, many-to-many values included


@pytest.mark.django_db
def test_the_proposer_gets_a_confirmation_page(client, answers):
    page = client.post(URL, answers, follow=True)
    assert "Merci, votre proposition est envoyée" in page.text
    assert "pas visible sur le site" in page.text


@pytest.mark.django_db
def test_those_who_can_publish_are_told_by_email(client, answers, django_capture_on_commit_callbacks):
    UserFactory(editor=True, email="editrice@example.org")
    UserFactory(administrator=True, email="admin@example.org")
    UserFactory(is_staff=True, email="sans-role@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, answers)
    [message] = [message for message in mail.outbox if "marie@example.org" not in message.to]
    assert sorted(message.to) == ["admin@example.org", "editrice@example.org"]
    assert "Blanchisserie partagée du Pays basque" in message.subject
    proposal = Proposal.objects.get()
    assert f"http://testserver/espace/a-examiner/propositions/{proposal.pk}/" in message.body
    assert "- Régie de quartier Nord (ACI)" in message.body


@pytest.mark.django_db
def test_the_person_who_proposes_receives_an_acknowledgement(
    client, answers, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, answers, HTTP_HOST="127.0.0.1:8123")
    [message] = mail.outbox  # nobody in the team to tell
    assert message.to == ["marie@example.org"]
    assert message.subject == "Votre proposition « Blanchisserie partagée du Pays basque » est bien reçue"
    assert "Rien n'est publié avant" in message.body
    assert "Trois structures mettent en commun une blanchisserie industrielle." in message.body
    assert "effacés quelques mois après l'examen" in message.body
    assert "http://127.0.0.1:8123/donnees-personnelles/" in message.body


@pytest.mark.django_db
def test_the_fiche_s_history_does_not_keep_the_person_s_name(client, answers):
    client.post(URL, answers)
    [version] = Cooperation.objects.get().history.all()
    assert version.history_change_reason == "Proposée en ligne"


@pytest.mark.django_db
def test_nothing_proposed_is_public_before_publication(client, answers):
    client.post(URL, answers)
    cooperation = Cooperation.objects.get()
    assert client.get(cooperation.get_absolute_url()).status_code == 404
    assert client.get(reverse("cooperations:preview", args=[cooperation.slug])).status_code == 404
    assert cooperation.title not in client.get(reverse("cooperations:list")).text
    assert cooperation.title not in client.get(reverse("home")).text


@pytest.mark.django_db
def test_the_department_is_found_by_number_or_name(client, answers):
    client.post(URL, answers | {"department": "64"})
    assert [d.code for d in Cooperation.objects.get().departments.all()] == ["64"]


@pytest.mark.django_db
def test_an_unknown_department_is_explained_with_suggestions_and_the_answers_kept(client, answers):
    response = client.post(URL, answers | {"department": "Pyrenees"})
    assert "« Pyrenees » est inconnu ; vouliez-vous dire" in response.text
    assert "64 Pyrénées-Atlantiques" in response.text
    assert 'value="Blanchisserie partagée du Pays basque"' in response.text
    assert not Cooperation.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_turns_robots_away(client, answers):
    response = client.post(URL, answers | {"website": "http://spam.example"})
    assert response.status_code == 200
    assert "Le formulaire n&#x27;a pas pu être envoyé" in response.text
    assert not Cooperation.objects.exists()


@pytest.mark.django_db
def test_a_form_sent_too_fast_is_refused_and_keeps_the_answers(client, answers):
    response = client.post(URL, answers | {"started": started(seconds_ago=1)})
    assert "envoyé trop vite" in response.text
    assert 'value="Blanchisserie partagée du Pays basque"' in response.text
    assert not Cooperation.objects.exists()


@pytest.mark.django_db
def test_a_forged_start_time_is_refused(client, answers):
    response = client.post(URL, answers | {"started": "12345"})
    assert "Le formulaire a expiré" in response.text
    assert not Cooperation.objects.exists()


@pytest.mark.django_db
def test_too_long_answers_are_refused(client, answers):
    response = client.post(URL, answers | {"description": "x" * 4001})
    assert "au plus 4000 caractères (actuellement 4001)" in response.text
    many = participant_rows(*((f"Structure {n}", "", "partner") for n in range(21)))
    response = client.post(URL, answers | many)
    assert "Veuillez soumettre au plus 20 formulaires" in response.text
    response = client.post(URL, answers | participant_rows(("x" * 201, "", "partner")))
    assert "au plus 200 caractères (actuellement 201)" in response.text
    assert not Cooperation.objects.exists()


@pytest.mark.django_db
def test_an_address_sending_too_many_proposals_is_held_back(client, answers, settings):
    settings.ANTISPAM_RATE_LIMIT = 2
    for n in range(2):
        assert (
            client.post(URL, answers | {"title": f"Proposition {n}", "started": started()}).status_code == 302
        )
    response = client.post(URL, answers | {"title": "Proposition de trop", "started": started()})
    assert "Réessayez dans une heure" in response.text
    assert 'value="Proposition de trop"' in response.text
    assert Cooperation.objects.count() == 2
    # Another address is not held back.
    other = answers | {"title": "Autre", "started": started()}
    assert client.post(URL, other, REMOTE_ADDR="192.0.2.7").status_code == 302


@pytest.mark.django_db
def test_the_honeypot_is_hidden_from_people(client):
    page = client.get(URL).text
    assert '<div class="honeypot" hidden aria-hidden="true">' in page
    assert 'name="website"' in page


@pytest.mark.django_db
def test_staff_find_proposals_to_examine_in_the_admin_and_review_them(client, answers):
    client.post(URL, answers)
    editor = UserFactory(editor=True)
    client.force_login(editor)
    changelist = reverse("admin:proposals_proposal_changelist")
    response = client.get(changelist, follow=True)
    assert response.redirect_chain[-1][0].endswith("?status__exact=pending")
    assert "Propositions à examiner" in response.text
    assert "Blanchisserie partagée du Pays basque" in response.text

    proposal = Proposal.objects.get()
    response = client.post(changelist, {"action": "accept", "_selected_action": [proposal.pk]}, follow=True)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by) == (Proposal.Status.ACCEPTED, editor)
    # The message links to the draft to complete.
    message = BeautifulSoup(response.text, "html.parser").select_one(".messagelist li.success")
    title = "Blanchisserie partagée du Pays basque"
    assert message.get_text() == f"Proposition retenue : compléter le brouillon « {title} »."
    assert message.a["href"] == reverse("editing:cooperation_edit", args=[proposal.cooperation_id])
    assert "Blanchisserie" not in client.get(f"{changelist}?status__exact=pending").text


@pytest.mark.django_db
def test_the_proposal_page_shows_the_structures_and_leads_to_the_draft(client, answers):
    client.post(URL, answers)
    client.force_login(UserFactory(editor=True))
    proposal = Proposal.objects.get()
    page = client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk])).text
    assert "Régie de quartier Nord (ACI)<br>Blanchisserie de l&#x27;Adour (EI)" in page
    assert reverse("editing:review_proposal", args=[proposal.pk]) in page
    assert reverse("editing:cooperation_edit", args=[proposal.cooperation_id]) in page
    assert reverse("cooperations:preview", args=[proposal.cooperation.slug]) in page


@pytest.mark.django_db
def test_the_moderation_list_costs_the_same_for_1_or_10_proposals(
    client, answers, settings, django_assert_max_num_queries
):
    settings.ANTISPAM_RATE_LIMIT = 10
    for n in range(10):
        client.post(URL, answers | {"title": f"Proposition {n}", "started": started()})
    client.force_login(UserFactory(editor=True))
    # Session, user and its two kinds of permissions (4); filtered and total counts, and the page of
    # proposals with their fiche (3); departments of the fiches, prefetched (1).
    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:proposals_proposal_changelist") + "?status__exact=pending")
    assert response.context["cl"].result_count == 10


@pytest.mark.django_db
def test_the_form_sections_are_titled_and_no_choice_repeats_its_name(client):
    CooperationFormFactory(name="Convention de partenariat", short_name="Partenariat")
    CooperationFormFactory(name="Groupement momentané d'entreprises", short_name="GME")
    page = BeautifulSoup(client.get(URL).text, "html.parser")
    assert [legend.h2.text for legend in page.select("fieldset.form-section > legend")] == [
        "La coopération",
        "Vos coordonnées",
    ]
    choices = [label.text.strip() for label in page.select("#id_cooperation_forms label")]
    # An acronym helps recognise a form; a short name that only repeats the name does not.
    assert choices == ["Convention de partenariat", "Groupement momentané d'entreprises (GME)"]
