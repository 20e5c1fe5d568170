"""« Signaler une erreur ou compléter cette fiche »: from the public form to the editors' decision."""

import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains

from lib.antispam import STARTED_SALT
from proposals.models import Correction
from proposals.services import correction_accept, correction_dismiss
from tests.factories import CooperationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_rate_limit():
    cache.clear()


@pytest.fixture
def fiche():
    return CooperationFactory(published=True, title="Légumerie du Pays de Brest")


def url(fiche):
    return reverse("proposals:correct", args=[fiche.slug])


def answers(**changes):
    return {
        "message": "Le téléphone de la légumerie est le 02 98 00 00 00, il manque sur la fiche.",
        "name": "Yann",
        "email": "yann@example.org",
        "website": "",
        "started": signing.dumps(time.time() - 60, salt=STARTED_SALT),
        **changes,
    }


def test_every_published_fiche_has_the_form_naming_it(client, fiche):
    response = client.get(url(fiche))
    assertContains(response, "<h1>Signaler une erreur ou compléter cette fiche</h1>", html=True)
    assertContains(
        response,
        f'<p>Fiche : <a href="{fiche.get_absolute_url()}">Légumerie du Pays de Brest</a></p>',
        html=True,
    )


def test_a_draft_cannot_receive_suggestions(client):
    draft = CooperationFactory(title="Brouillon")
    assert client.get(url(draft)).status_code == 404
    assert client.post(url(draft), answers()).status_code == 404
    assert not Correction.objects.exists()


def test_a_suggestion_is_recorded_and_reaches_the_editors(client, fiche, django_capture_on_commit_callbacks):
    UserFactory(editor=True, email="editrice@example.org")
    UserFactory(is_staff=True, email="sans-role@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(fiche), answers())
    assert response.url == reverse("proposals:correction_thanks", args=[fiche.slug])
    correction = Correction.objects.get()
    assert (correction.cooperation, correction.status, correction.name, correction.email) == (
        fiche,
        Correction.Status.PENDING,
        "Yann",
        "yann@example.org",
    )
    message, acknowledgement = sorted(mail.outbox, key=lambda message: message.to != ["editrice@example.org"])
    assert message.to == ["editrice@example.org"]
    assert message.subject == "Suggestion sur la fiche « Légumerie du Pays de Brest »"
    assert acknowledgement.to == ["yann@example.org"]
    assert acknowledgement.subject == "Votre suggestion sur « Légumerie du Pays de Brest » est bien reçue"
    assert "Le téléphone de la légumerie est le 02 98 00 00 00" in acknowledgement.body
    assert f"http://testserver{fiche.get_absolute_url()}" in acknowledgement.body
    assert "Le téléphone de la légumerie est le 02 98 00 00 00" in message.body
    assert f"http://testserver/espace/a-examiner/suggestions/{correction.pk}/" in message.body


def test_name_and_address_are_optional(client, fiche, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(fiche), answers(name="", email=""))
    assert Correction.objects.get().email == ""
    assert mail.outbox == []  # no address to acknowledge, nobody in the team to tell


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"message": "Faux"}, "Décrivez en une phrase au moins ce qui est à corriger ou à compléter."),
        ({"message": "x" * 4001}, "Assurez-vous que cette valeur comporte au plus 4000 caractères"),
        ({"email": "yann@"}, "Saisissez une adresse de courriel valide."),
        ({"website": "http://spam.example"}, "Le formulaire n’a pas pu être envoyé."),
        ({"started": "now"}, "Le formulaire a été envoyé trop vite."),
    ],
)
def test_bad_answers_and_robots_are_refused_with_the_message_kept(client, fiche, changes, error):
    if changes.get("started") == "now":
        changes = {"started": signing.dumps(time.time(), salt=STARTED_SALT)}
    response = client.post(url(fiche), answers(**changes))
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    errors = " ".join(item.text for item in page.select(".errorlist li"))
    assert error.replace("’", "'") in errors.replace("’", "'")
    assert page.select_one("textarea[name=message]").text.strip() == answers(**changes)["message"][:4001]
    assert not Correction.objects.exists()


def test_a_flood_from_one_address_is_stopped(client, fiche, settings):
    settings.ANTISPAM_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post(url(fiche), answers()).status_code == 302
    response = client.post(url(fiche), answers())
    assertContains(response, "Beaucoup de suggestions sont parties de votre connexion")
    assert Correction.objects.count() == 2


# --- The editors' decision -----------------------------------------------------------------------------


@pytest.fixture
def correction(fiche):
    return Correction.objects.create(
        cooperation=fiche, message="Le site web est https://legumerie.bzh", email="y@e.org"
    )


def test_accepting_tells_the_person_and_takes_the_editor_to_the_fiche(
    client, editor, correction, django_capture_on_commit_callbacks
):
    change_url = reverse("admin:proposals_correction_change", args=[correction.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url, {"decision": "accepted", "dismissal_reason": ""})
    assert response.url == reverse("admin:cooperations_cooperation_change", args=[correction.cooperation_id])
    correction.refresh_from_db()
    assert (correction.status, correction.reviewed_by) == (Correction.Status.ACCEPTED, editor)
    [message] = mail.outbox
    assert message.to == ["y@e.org"]
    assert message.subject == "Votre suggestion sur « Légumerie du Pays de Brest » est retenue"
    assert "l'équipe du réseau l'a retenue et met la fiche à jour" in message.body
    assert f"http://127.0.0.1:8000{correction.cooperation.get_absolute_url()}" in message.body


def test_dismissing_needs_a_reason_which_the_person_receives(
    client, editor, correction, django_capture_on_commit_callbacks
):
    change_url = reverse("admin:proposals_correction_change", args=[correction.pk])
    response = client.post(change_url, {"decision": "dismissed", "dismissal_reason": "  "})
    assert response.context["adminform"].form.errors["dismissal_reason"] == [
        "Indiquez pourquoi la suggestion est écartée : la personne le lira."
    ]
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url, {"decision": "dismissed", "dismissal_reason": "Ce site n'existe plus."}
        )
    assert response.url == reverse("admin:proposals_correction_changelist")
    correction.refresh_from_db()
    assert (correction.status, correction.dismissal_reason) == (
        Correction.Status.DISMISSED,
        "Ce site n'existe plus.",
    )
    [message] = mail.outbox
    assert message.subject == "Votre suggestion sur « Légumerie du Pays de Brest » n'a pas été retenue"
    assert "Ce site n'existe plus." in message.body


def test_nobody_is_written_to_when_no_address_was_left(fiche, django_capture_on_commit_callbacks):
    editor = UserFactory(editor=True)
    anonymous = Correction.objects.create(cooperation=fiche, message="Il manque un partenaire.")
    with django_capture_on_commit_callbacks(execute=True):
        correction_accept(correction=anonymous, user=editor)
    assert not mail.outbox


def test_a_decision_is_taken_once_and_only_by_those_allowed(fiche, correction):
    with pytest.raises(PermissionDenied):
        correction_accept(correction=correction, user=UserFactory(is_staff=True))
    correction_dismiss(correction=correction, user=UserFactory(editor=True), reason="Doublon.")
    with pytest.raises(ValidationError, match="déjà été examinée"):
        correction_accept(correction=correction, user=UserFactory(editor=True))


def test_the_editor_reads_the_suggestion_as_typed_beside_links_to_the_fiche(client, editor, fiche):
    correction = Correction.objects.create(cooperation=fiche, message="Le site d'<b>exemple</b>\nest fermé.")
    response = client.get(reverse("admin:proposals_correction_change", args=[correction.pk]))
    assertContains(response, "<p>Le site d'&lt;b&gt;exemple&lt;/b&gt;<br>est fermé.</p>", html=True)
    edit_url = reverse("admin:cooperations_cooperation_change", args=[fiche.pk])
    assertContains(response, f'<a href="{edit_url}">modifier la fiche</a>', html=True)


def test_a_reviewed_suggestion_is_only_read_in_the_admin(client, editor, correction):
    correction_dismiss(correction=correction, user=editor, reason="Doublon.")
    change_url = reverse("admin:proposals_correction_change", args=[correction.pk])
    response = client.get(change_url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    client.post(change_url, {"decision": "accepted"})
    correction.refresh_from_db()
    assert correction.status == Correction.Status.DISMISSED


def test_editors_see_the_pending_suggestions_above_the_fiche_they_edit(client, editor, fiche, correction):
    Correction.objects.create(cooperation=fiche, message="Déjà traitée", status=Correction.Status.ACCEPTED)
    Correction.objects.create(cooperation=CooperationFactory(published=True), message="Sur une autre fiche")
    response = client.get(reverse("admin:cooperations_cooperation_change", args=[fiche.pk]))
    box = BeautifulSoup(response.text, "html.parser").select_one(".pending-corrections")
    assert box.select_one("h2").text == "Une suggestion attend d'être examinée"
    assert [quote.text for quote in box.select("blockquote")] == ["Le site web est https://legumerie.bzh"]
    link = box.select_one("a")
    assert (link.text, link["href"]) == (
        "Retenir ou écarter",
        reverse("admin:proposals_correction_change", args=[correction.pk]),
    )


def test_the_list_of_suggestions_opens_on_those_to_examine(client, editor, correction):
    response = client.get(reverse("admin:proposals_correction_changelist"))
    assert response.url.endswith("?status__exact=pending")
    response = client.get(response.url)
    assert list(response.context["cl"].result_list) == [correction]
