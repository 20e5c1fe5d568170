"""A fiche's address: made from its title by the one rule for slugs, cut after a whole word, editable,
and an address it had before answers with a permanent redirect to the current one."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from cooperations.models import Cooperation
from tests.editing.helpers import admin_form_data, change_url
from tests.factories import CooperationFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:cooperations_cooperation_add")
LONG_TITLE = (
    "Réemploi des DEEE : les partenariats d'Éco-systèmes avec Emmaüs et Envie et la revalorisation des "
    "équipements"
)
# Cut at 80 characters, as slugs were: in the middle of « revalorisation ».
MID_WORD = "reemploi-des-deee-les-partenariats-d-eco-systemes-avec-emmaus-et-envie-et-la-rev"
WHOLE_WORDS = "reemploi-des-deee-les-partenariats-d-eco-systemes-avec-emmaus-et-envie-et-la"


def add_fiche(client, **values):
    data = admin_form_data(
        client.get(ADD_URL), title="Blanchisserie de l'ACI du Nord", level="simple", **values
    )
    client.post(ADD_URL, data)
    return Cooperation.objects.get()


def test_an_editor_leaving_the_address_empty_gets_the_slug_seeds_and_imports_would_give(client, editor):
    assert add_fiche(client).slug == "blanchisserie-de-l-aci-du-nord"


def test_an_address_typed_by_an_editor_is_folded_by_the_same_rule(client, editor):
    assert add_fiche(client, slug="L'ACI du Nord").slug == "l-aci-du-nord"


def test_a_long_title_gives_an_address_cut_after_a_whole_word(client, editor):
    assert CooperationFactory(title=LONG_TITLE, slug="").slug == WHOLE_WORDS


def test_a_renamed_fiche_answers_at_its_old_address_with_a_permanent_redirect(client, editor):
    fiche = CooperationFactory(published=True, title="Blanchisserie partagée", slug="blanchisserie")
    page = client.get(change_url(fiche))
    client.post(change_url(fiche), admin_form_data(page, slug="blanchisserie-partagee-du-nord"))
    fiche.refresh_from_db()
    assert fiche.slug == "blanchisserie-partagee-du-nord"
    response = client.get("/cooperations/blanchisserie/")
    assert (response.status_code, response.url) == (301, "/cooperations/blanchisserie-partagee-du-nord/")
    assert client.get(response.url).status_code == 200
    preview = client.get("/cooperations/blanchisserie/apercu/")
    assert (preview.status_code, preview.url) == (301, "/cooperations/blanchisserie-partagee-du-nord/apercu/")


def test_the_old_address_of_a_renamed_draft_tells_the_public_nothing(client):
    fiche = CooperationFactory(title="Projet encore secret", slug="projet-secret")
    fiche.slug = "projet-secret-renomme"
    fiche.save()
    assert client.get("/cooperations/projet-secret/").status_code == 404


def test_an_address_taken_again_by_another_fiche_is_that_fiches(client):
    first = CooperationFactory(published=True, title="Premier", slug="atelier")
    first.slug = "premier-atelier"
    first.save()
    CooperationFactory(published=True, title="Second", slug="atelier")
    response = client.get("/cooperations/atelier/")
    assert response.status_code == 200
    assert response.context["cooperation"].title == "Second"


def test_the_migration_cuts_the_slugs_made_mid_word_and_keeps_their_old_address(client):
    fiche = CooperationFactory(published=True, title=LONG_TITLE, slug=MID_WORD)
    kept = CooperationFactory(published=True, title=LONG_TITLE + " bis", slug="choisie-par-une-editrice")
    migration = importlib.import_module("cooperations.migrations.0008_slug_editable_with_redirects")
    migration.cut_slugs("Cooperation", "title")(apps, None)
    fiche.refresh_from_db()
    kept.refresh_from_db()
    assert (fiche.slug, kept.slug) == (WHOLE_WORDS, "choisie-par-une-editrice")
    response = client.get(f"/cooperations/{MID_WORD}/")
    assert (response.status_code, response.url) == (301, f"/cooperations/{WHOLE_WORDS}/")


@pytest.fixture
def editor(client):
    user = UserFactory(editor=True)
    client.force_login(user)
    return user
