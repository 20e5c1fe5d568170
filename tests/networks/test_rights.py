"""Rights follow organisations: for each case (visitor, Éditeur of the fiche's organisation, Éditeur of
another one, Éditeur of none, Administrateur), what may be edited, published and reviewed."""

import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from cooperations.models import Cooperation
from cooperations.services import cooperation_publish
from lib.antispam import STARTED_SALT
from proposals.models import Correction
from tests.editing.helpers import edit_data
from tests.factories import CooperationFactory, NetworkFactory, UserFactory

pytestmark = pytest.mark.django_db
PEOPLE = ("visitor", "editor of the organisation", "editor of another", "editor of none", "administrator")


@pytest.fixture
def world(networks):
    people = {
        "editor of the organisation": UserFactory(editor=True, username="dreets"),
        "editor of another": UserFactory(editor=True, username="coorace"),
        "editor of none": UserFactory(editor=True, username="libre"),
        "administrator": UserFactory(administrator=True, username="admin"),
    }
    networks["dreets"].editors.add(people["editor of the organisation"])
    networks["coorace"].editors.add(people["editor of another"])
    fiche = CooperationFactory(title="Fiche de la DREETS", organisation=networks["dreets"])
    return people, fiche


def sign_in(client, people, who):
    if who != "visitor":
        client.force_login(people[who])
    return people.get(who)


EDITS = {
    "visitor": 302,
    "editor of the organisation": 200,
    "editor of another": 403,
    "editor of none": 403,
    "administrator": 200,
}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_may_open_the_editor_of_an_organisation_s_fiche(client, world, who):
    people, fiche = world
    sign_in(client, people, who)
    response = client.get(reverse("editing:cooperation_edit", args=[fiche.pk]))
    assert response.status_code == EDITS[who]
    if EDITS[who] == 403:
        page = BeautifulSoup(response.content, "html.parser")
        notice = " ".join(page.select_one(".notice").get_text().split())
        assert notice.startswith("Cette fiche est suivie par DREETS Hauts-de-France : ses éditeurs la")
        assert page.find("form", class_="editor-form") is None


@pytest.mark.parametrize("who", PEOPLE[1:])
def test_who_may_publish_an_organisation_s_fiche_from_the_editor(client, world, who):
    people, fiche = world
    allowed = EDITS[who] == 200
    if allowed:
        client.force_login(people[who])
        data = edit_data(client, fiche, action="publish")
    else:
        # What the page would send had it been shown: the fiche as it is, and « Publier ».
        client.force_login(people["administrator"])
        data = edit_data(client, fiche, action="publish")
        client.force_login(people[who])
    response = client.post(reverse("editing:cooperation_edit", args=[fiche.pk]), data)
    fiche.refresh_from_db()
    assert response.status_code == (302 if allowed else 403)
    assert fiche.is_published is allowed


@pytest.mark.parametrize("who", PEOPLE[1:])
def test_a_fiche_no_organisation_follows_is_every_editor_s(client, world, who):
    people, _fiche = world
    free = CooperationFactory(title="Fiche libre")
    client.force_login(people[who])
    data = edit_data(client, free, title="Fiche libre, corrigée", action="publish")
    assert client.post(reverse("editing:cooperation_edit", args=[free.pk]), data).status_code == 302
    free.refresh_from_db()
    assert (free.title, free.is_published) == ("Fiche libre, corrigée", True)


def test_the_publication_service_refuses_another_organisation_s_editor(world):
    people, fiche = world
    with pytest.raises(PermissionDenied, match="suivie par DREETS HdF"):
        cooperation_publish(cooperation=fiche, user=people["editor of another"])
    cooperation_publish(cooperation=fiche, user=people["editor of the organisation"])
    assert Cooperation.objects.get(pk=fiche.pk).is_published


def test_an_editor_gives_a_fiche_only_one_of_their_organisations_or_none(client, world, networks):
    people, _fiche = world
    client.force_login(people["editor of another"])
    page = client.get(reverse("editing:cooperation_create"))
    choices = [label for _value, label in page.context["form"].fields["organisation"].choices]
    assert choices == ["Aucun : tous les éditeurs peuvent la modifier", "COORACE"]
    client.force_login(people["administrator"])
    page = client.get(reverse("editing:cooperation_create"))
    assert len(page.context["form"].fields["organisation"].choices) == 3


def test_an_editor_cannot_hand_a_fiche_to_another_organisation(client, world, networks):
    people, _fiche = world
    free = CooperationFactory(title="Fiche libre")
    client.force_login(people["editor of another"])
    data = edit_data(client, free, organisation=str(networks["dreets"].pk))
    response = client.post(reverse("editing:cooperation_edit", args=[free.pk]), data)
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    free.refresh_from_db()
    assert free.organisation is None


@pytest.mark.parametrize("who", PEOPLE[1:])
def test_the_admin_lets_only_the_organisation_s_editors_change_its_fiche(client, world, who):
    people, fiche = world
    client.force_login(people[who])
    response = client.get(reverse("admin:cooperations_cooperation_change", args=[fiche.pk]))
    # Django's admin shows a fiche one may view but not change read-only, without its save buttons.
    assert response.status_code == 200
    assert response.context["has_change_permission"] is (EDITS[who] == 200)


def test_the_admin_bulk_publication_skips_the_fiches_of_other_organisations(client, world):
    people, fiche = world
    free = CooperationFactory(title="Fiche libre")
    client.force_login(people["editor of another"])
    data = {"action": "publish_selected", "_selected_action": [fiche.pk, free.pk]}
    response = client.post(reverse("admin:cooperations_cooperation_changelist"), data, follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert "1 fiche publiée." in texts
    assert "1 fiche est suivie par un autre réseau : ses éditeurs seuls la publient." in texts
    assert not Cooperation.objects.get(pk=fiche.pk).is_published


# --- Suggestions: reviewed by the organisation's editors ------------------------------------------


@pytest.fixture
def suggestion(world):
    _people, fiche = world
    fiche.status, fiche.published_at = Cooperation.Status.PUBLISHED, fiche.created_at
    fiche.save()
    return Correction.objects.create(cooperation=fiche, message="La commune a changé.", email="a@example.org")


REVIEWS = {
    "visitor": 302,
    "editor of the organisation": 200,
    "editor of another": 403,
    "editor of none": 403,
    "administrator": 200,
}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_reviews_a_suggestion_on_an_organisation_s_fiche(client, world, suggestion, who):
    people, _fiche = world
    sign_in(client, people, who)
    detail = client.get(reverse("editing:review_correction", args=[suggestion.pk]))
    assert detail.status_code == REVIEWS[who]
    accept = client.post(reverse("editing:correction_accept", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert suggestion.is_pending is (REVIEWS[who] != 200)
    assert accept.status_code == (302 if REVIEWS[who] != 403 else 403)


@pytest.mark.parametrize("who", PEOPLE[1:])
def test_the_review_queue_lists_the_suggestions_one_may_review(client, world, suggestion, who):
    people, _fiche = world
    free = CooperationFactory(published=True, title="Fiche libre")
    Correction.objects.create(cooperation=free, message="Un lien mort.")
    client.force_login(people[who])
    queue = client.get(reverse("editing:review"))
    titles = sorted(c.cooperation.title for c in queue.context["corrections"])
    expected = ["Fiche de la DREETS", "Fiche libre"] if REVIEWS[who] == 200 else ["Fiche libre"]
    assert titles == expected


def test_a_suggestion_is_mailed_to_the_organisation_s_editors_and_the_administrators(
    client, world, django_capture_on_commit_callbacks
):
    _people, fiche = world
    fiche.status, fiche.published_at = Cooperation.Status.PUBLISHED, fiche.created_at
    fiche.save()
    answers = {
        "message": "La commune a changé.",
        "website": "",
        "started": signing.dumps(time.time() - 60, salt=STARTED_SALT),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposals:correct", args=[fiche.slug]), answers)
    assert Correction.objects.filter(cooperation=fiche).exists()
    [notification] = mail.outbox
    # Not the editors of COORACE, nor those of no organisation.
    assert notification.to == ["admin@example.org", "dreets@example.org"]


# --- Visitors see nothing of it --------------------------------------------------------------------


def test_visitors_see_the_same_public_fiche_whoever_follows_it(client, networks):
    fiche = CooperationFactory(published=True, title="Fiche suivie", organisation=networks["coorace"])
    response = client.get(fiche.get_absolute_url())
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text(strip=True) == "Fiche suivie"
    assert page.find("a", href=reverse("editing:cooperation_edit", args=[fiche.pk])) is None


# --- create_editor --organisation -------------------------------------------------------------------


def test_create_editor_makes_the_account_an_editor_of_each_organisation(networks):
    call_command(
        "create_editor",
        "ines",
        email="ines@example.org",
        organisations=["coorace", "dreets-hauts-de-france"],
        interactive=False,
    )
    user = UserFactory._meta.model.objects.get(username="ines")
    assert sorted(user.organisations.values_list("slug", flat=True)) == ["coorace", "dreets-hauts-de-france"]


def test_create_editor_refuses_an_unknown_organisation_in_french_and_creates_nothing(networks):
    with pytest.raises(CommandError, match="Réseau inconnu : cooorace"):
        call_command(
            "create_editor", "ines", email="ines@example.org", organisations=["cooorace"], interactive=False
        )
    assert not UserFactory._meta.model.objects.filter(username="ines").exists()


def test_a_network_factory_makes_editors(db):
    user = UserFactory(editor=True)
    network = NetworkFactory(editors=[user])
    assert list(user.organisations.all()) == [network]


def test_a_new_fiche_of_an_editor_of_one_organisation_is_that_organisation_s(client, world, networks):
    people, _fiche = world
    client.force_login(people["editor of another"])
    form = client.get(reverse("editing:cooperation_create")).context["form"]
    assert form["organisation"].value() == networks["coorace"].pk
    client.force_login(people["editor of none"])
    assert client.get(reverse("editing:cooperation_create")).context["form"]["organisation"].value() is None


def test_restoring_a_version_is_for_those_who_may_edit_the_fiche_and_keeps_its_organisation(
    client, world, networks
):
    people, _fiche = world
    fiche = CooperationFactory(title="Fiche sans réseau")
    fiche.title, fiche.organisation = "Fiche confiée à la DREETS", networks["dreets"]
    fiche.save()
    older = fiche.history.order_by("history_date").first()
    url = reverse("editing:restore", args=[fiche.pk, older.history_id])
    client.force_login(people["editor of another"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": fiche.version}).status_code == 403
    client.force_login(people["editor of the organisation"])
    assert client.post(url, {"version": fiche.version}).status_code == 302
    fiche.refresh_from_db()
    # The content comes back; the organisation that follows it stays.
    assert (fiche.title, fiche.organisation) == ("Fiche sans réseau", networks["dreets"])


def test_the_history_of_another_organisation_s_fiche_offers_no_restore(client, world):
    people, fiche = world
    fiche.title = "Fiche de la DREETS, renommée"
    fiche.save()
    url = reverse("editing:history", args=[fiche.pk])
    client.force_login(people["editor of another"])
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert page.find("a", string="Voir et restaurer cette version") is None
    client.force_login(people["editor of the organisation"])
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert page.find("a", string="Voir et restaurer cette version") is not None
