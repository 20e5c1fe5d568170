import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import CooperationFactory, StructureFactory, UserFactory

PASSWORD = "mot-de-passe-de-test"


@pytest.mark.django_db
def test_signing_in_leads_back_to_the_page_asked_for(client):
    UserFactory(username="ines", editor=True)
    page = client.get(reverse("login"))
    assert page.templates[0].name == "registration/login.html"
    assert "base.html" in [t.name for t in page.templates]
    response = client.post(reverse("login"), {"username": "ines", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert response.url == "/admin/"


@pytest.mark.django_db
def test_a_wrong_password_is_explained_in_french_and_the_username_kept(client):
    UserFactory(username="ines")
    response = client.post(reverse("login"), {"username": "ines", "password": "faux"})
    assert "Identifiant ou mot de passe incorrect" in response.text
    assert 'value="ines"' in response.text


@pytest.mark.django_db
def test_signing_out_takes_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_through_an_emailed_link(client):
    user = UserFactory(email="ines@example.org")
    response = client.post(reverse("password_reset"), {"email": "ines@example.org"})
    assert response.url == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["ines@example.org"]
    assert message.subject == "Coopérations IAE : choisir un nouveau mot de passe"
    link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)  # Django swaps the token for a session value
    new_password = "Une phrase de passe solide 2026"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    user.refresh_from_db()
    assert user.check_password(new_password)


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_email(client):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_visitors_see_a_sign_in_link_in_the_header(client):
    page = client.get(reverse("home")).text
    assert f'href="{reverse("login")}"' in page
    assert "Se déconnecter" not in page


@pytest.mark.django_db
def test_staff_see_their_name_their_workspace_and_a_sign_out_button(client):
    client.force_login(UserFactory(editor=True, first_name="Inès", last_name="Durand"))
    page = client.get(reverse("home")).text
    assert "Inès Durand" in page
    assert f'href="{reverse("editing:dashboard")}"' in page
    assert f'action="{reverse("logout")}"' in page
    # The administration is the Administrateurs' (accounts, imports, deletions).
    assert f'href="{reverse("admin:index")}"' not in page
    client.force_login(UserFactory(administrator=True))
    assert f'href="{reverse("admin:index")}"' in client.get(reverse("home")).text


@pytest.mark.django_db
def test_signed_in_users_without_a_role_get_no_administration_link(client):
    client.force_login(UserFactory())
    assert reverse("admin:index") not in client.get(reverse("home")).text


@pytest.mark.django_db
def test_staff_see_an_edit_link_on_fiche_and_structure_pages_and_visitors_do_not(client):
    cooperation = CooperationFactory(published=True)
    structure = StructureFactory()
    pages = {
        cooperation.get_absolute_url(): reverse("editing:cooperation_edit", args=[cooperation.pk]),
        structure.get_absolute_url(): reverse("editing:structure_edit", args=[structure.pk]),
    }
    for page, edit_url in pages.items():
        assert edit_url not in client.get(page).text
    client.force_login(UserFactory(editor=True))
    for page, edit_url in pages.items():
        assert f'href="{edit_url}"' in client.get(page).text


@pytest.mark.django_db
def test_behind_a_load_balancer_a_lockout_holds_back_only_the_visitor_who_failed(client, settings):
    settings.PROXY_COUNT = 1
    UserFactory(username="ines", editor=True)
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "ines", "password": "faux"},
            HTTP_X_FORWARDED_FOR="198.51.100.1",
            **balancer,
        )
    good = {"username": "ines", "password": PASSWORD}
    assert (
        client.post(reverse("login"), good, HTTP_X_FORWARDED_FOR="198.51.100.1", **balancer).status_code
        == 429
    )
    response = Client().post(reverse("login"), good, HTTP_X_FORWARDED_FOR="198.51.100.2", **balancer)
    assert response.status_code == 302
