import pytest
from django.test import Client

from cooperations.models import ConcurrentEditError, Cooperation
from tests.editing.helpers import admin_form_data, change_url
from tests.factories import CooperationFactory, StructureFactory, UserFactory


@pytest.fixture
def two_editors():
    first, second = Client(), Client()
    first.force_login(UserFactory(editor=True, first_name="Alice", last_name="Morel"))
    second.force_login(UserFactory(editor=True, first_name="Bruno", last_name="Petit"))
    return first, second


@pytest.mark.django_db
def test_the_second_save_is_refused_and_keeps_what_was_typed(two_editors):
    alice, bruno = two_editors
    cooperation = CooperationFactory(title="Blanchisserie", summary="Résumé d'origine")
    structure = StructureFactory(name="Entreprise adaptée du Port")
    alice_form = admin_form_data(alice.get(change_url(cooperation)), summary="Résumé d'Alice")
    bruno_form = admin_form_data(bruno.get(change_url(cooperation)), title="Titre de Bruno")
    bruno_form |= {"participations-0-structure": str(structure.pk), "participations-0-role": "partner"}

    assert alice.post(change_url(cooperation), alice_form).status_code == 302
    response = bruno.post(change_url(cooperation), bruno_form)

    assert response.status_code == 200
    assert "a été enregistrée par Alice Morel" in response.text
    assert "vos modifications n&#x27;ont pas été enregistrées" in response.text
    form = response.context["adminform"].form
    assert form["title"].value() == "Titre de Bruno"
    participations = response.context["inline_admin_formsets"][0].formset
    assert participations.forms[0]["structure"].value() == str(structure.pk)

    cooperation.refresh_from_db()
    assert (cooperation.title, cooperation.summary) == ("Blanchisserie", "Résumé d'Alice")
    assert cooperation.participations.count() == 0


@pytest.mark.django_db
def test_sending_the_refused_form_again_is_still_refused(two_editors):
    alice, bruno = two_editors
    cooperation = CooperationFactory()
    bruno_form = admin_form_data(bruno.get(change_url(cooperation)), title="Titre de Bruno")
    alice.post(change_url(cooperation), admin_form_data(alice.get(change_url(cooperation))))
    bruno.post(change_url(cooperation), bruno_form)
    again = bruno.post(change_url(cooperation), bruno_form)
    assert "pendant que vous la modifiiez" in again.text
    cooperation.refresh_from_db()
    assert cooperation.title != "Titre de Bruno"


@pytest.mark.django_db
def test_a_fresh_form_saves_after_a_colleague_saved(two_editors):
    alice, bruno = two_editors
    cooperation = CooperationFactory()
    alice.post(
        change_url(cooperation), admin_form_data(alice.get(change_url(cooperation)), title="Par Alice")
    )
    bruno.post(
        change_url(cooperation), admin_form_data(bruno.get(change_url(cooperation)), title="Par Bruno")
    )
    cooperation.refresh_from_db()
    assert cooperation.title == "Par Bruno"


@pytest.mark.django_db
def test_every_save_moves_the_version_on():
    cooperation = CooperationFactory()
    assert cooperation.version == 1
    cooperation.save()
    cooperation.save()
    cooperation.refresh_from_db()
    assert cooperation.version == 3


@pytest.mark.django_db
def test_saving_a_stale_copy_outside_the_admin_is_refused_too():
    cooperation = CooperationFactory(title="D'origine")
    first, second = Cooperation.objects.get(pk=cooperation.pk), Cooperation.objects.get(pk=cooperation.pk)
    first.title = "Première copie"
    first.save()
    second.title = "Seconde copie"
    with pytest.raises(ConcurrentEditError):
        second.save()
    cooperation.refresh_from_db()
    assert cooperation.title == "Première copie"


@pytest.mark.django_db
def test_a_save_racing_past_the_form_check_is_refused_without_an_error_page(client, monkeypatch):
    client.force_login(UserFactory(editor=True))
    cooperation = CooperationFactory(title="D'origine")
    data = admin_form_data(client.get(change_url(cooperation)), title="Perdue")
    # The colleague's save lands between the form's check and the save itself.
    monkeypatch.setattr("cooperations.admin.CooperationAdminForm.clean", lambda form: form.cleaned_data)
    Cooperation.objects.filter(pk=cooperation.pk).update(version=5)

    response = client.post(change_url(cooperation), data, follow=True)
    assert response.status_code == 200
    assert "au même instant" in response.text
    cooperation.refresh_from_db()
    assert cooperation.title == "D'origine"
