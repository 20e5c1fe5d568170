import pytest
from django.urls import reverse

from structures.models import Structure
from tests.factories import CooperationFactory, ParticipationFactory, StructureFactory


@pytest.mark.django_db
def test_a_structure_in_a_fiche_cannot_be_deleted_and_the_fiches_are_named(client, administrator):
    structure = StructureFactory(name="Régie Nord")
    for title in ["Blanchisserie partagée", "Conciergerie d'entreprise"]:
        ParticipationFactory(structure=structure, cooperation=CooperationFactory(title=title))
    url = reverse("admin:structures_structure_delete", args=[structure.pk])

    page = client.get(url)
    assert "ne peut pas être supprimée : elle participe aux coopérations ci-dessous" in page.text
    assert "Blanchisserie partagée" in page.text
    assert "Conciergerie d&#x27;entreprise" in page.text
    assert 'name="post"' not in page.text  # no confirmation button

    client.post(url, {"post": "yes"})
    assert Structure.objects.filter(pk=structure.pk).exists()


@pytest.mark.django_db
def test_bulk_deletion_refuses_the_structures_in_fiches_and_names_the_fiches(client, administrator):
    busy = StructureFactory(name="Régie Nord")
    ParticipationFactory(structure=busy, cooperation=CooperationFactory(title="Ressourcerie commune"))
    idle = StructureFactory(name="Entreprise sans fiche")
    response = client.post(
        reverse("admin:structures_structure_changelist"),
        {"action": "delete_selected", "_selected_action": [busy.pk, idle.pk], "post": "yes"},
    )
    assert "Aucune structure n'a été supprimée" in response.text
    assert "Régie Nord : <a" in response.text
    assert "Ressourcerie commune" in response.text
    assert Structure.objects.filter(pk__in=[busy.pk, idle.pk]).count() == 2


@pytest.mark.django_db
def test_a_structure_in_no_fiche_can_be_deleted(client, administrator):
    structure = StructureFactory()
    client.post(reverse("admin:structures_structure_delete", args=[structure.pk]), {"post": "yes"})
    assert not Structure.objects.filter(pk=structure.pk).exists()


@pytest.mark.django_db
def test_deleting_a_fiche_asks_for_confirmation_first(client, administrator):
    cooperation = CooperationFactory(title="Atelier vélo")
    url = reverse("admin:cooperations_cooperation_delete", args=[cooperation.pk])
    page = client.get(url)
    assert "Atelier vélo" in page.text
    assert 'name="post"' in page.text
    cooperation.refresh_from_db()  # still there until confirmed
