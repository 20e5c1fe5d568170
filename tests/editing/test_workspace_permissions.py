"""Who may do what in /espace/: visitors sign in, people without a role get a 403, Éditeurs and
Administrateurs work; publishing is for those who hold the permission."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cooperations.models import Cooperation
from tests.factories import CooperationFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


def actions(cooperation):
    """(method, url, data) of every workspace action."""
    return [
        ("get", reverse("editing:dashboard"), None),
        ("get", reverse("editing:cooperation_create"), None),
        ("post", reverse("editing:cooperation_create"), {"title": ""}),
        ("get", reverse("editing:cooperation_edit", args=[cooperation.pk]), None),
        ("post", reverse("editing:cooperation_edit", args=[cooperation.pk]), {"title": ""}),
        ("get", reverse("editing:cooperation_preview", args=[cooperation.pk]), None),
        ("post", reverse("editing:markdown_preview"), {"text": "**gras**"}),
        ("get", reverse("editing:structure_search") + "?q=aci", None),
        ("post", reverse("editing:structure_create"), {"new-structure-name": ""}),
        ("get", reverse("editing:territory_search", args=["communes"]) + "?q=besan", None),
    ]


def test_a_visitor_is_sent_to_sign_in_for_every_action(client):
    cooperation = CooperationFactory()
    for method, url, data in actions(cooperation):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_a_signed_in_person_without_a_role_is_refused_every_action(client):
    client.force_login(UserFactory())
    cooperation = CooperationFactory()
    for method, url, data in actions(cooperation):
        assert getattr(client, method)(url, data).status_code == 403, url


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_editors_and_administrators_may_do_every_action(client, role):
    client.force_login(UserFactory(**{role: True}))
    cooperation = CooperationFactory()
    StructureFactory(name="ACI du Val")
    expected = {
        reverse("editing:cooperation_preview", args=[cooperation.pk]): 302,
        reverse("editing:structure_create"): 422,  # an empty name: the form comes back with its error
    }
    for method, url, data in actions(cooperation):
        response = getattr(client, method)(url, data)
        assert response.status_code == expected.get(url, 200), url


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_editors_and_administrators_see_the_publish_button(client, role):
    client.force_login(UserFactory(**{role: True}))
    response = client.get(reverse("editing:cooperation_edit", args=[CooperationFactory().pk]))
    assert response.status_code == 200
    assert_buttons(response, ["Enregistrer le brouillon", "Publier"])


def test_someone_who_may_edit_but_not_publish_sees_no_publish_button_and_cannot_publish(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_cooperation", "add_cooperation"])
    )
    client.force_login(user)
    cooperation = CooperationFactory()
    url = reverse("editing:cooperation_edit", args=[cooperation.pk])
    assert_buttons(client.get(url), ["Enregistrer le brouillon"])
    assert client.post(url, {"action": "publish"}).status_code == 403
    cooperation.refresh_from_db()
    assert cooperation.status == Cooperation.Status.DRAFT


def test_the_unpublish_button_shows_on_a_published_fiche(client, editor):
    response = client.get(reverse("editing:cooperation_edit", args=[CooperationFactory(published=True).pk]))
    assert_buttons(response, ["Enregistrer", "Dépublier"])


def assert_buttons(response, labels):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(response.content, "html.parser")
    buttons = [b.get_text(strip=True) for b in page.select(".editor-actions button")]
    assert buttons == labels
