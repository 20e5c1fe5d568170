import pytest
from django.urls import reverse

from cooperations.models import Cooperation, Participation
from structures.models import Structure
from tests.editing.helpers import admin_form_data, change_url, history_url
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    OutcomeFigureFactory,
    ParticipationFactory,
    SectorFactory,
    StructureFactory,
    UserFactory,
)


def edit(client, cooperation, **changes):
    """Open the change form of `cooperation`, change some fields, save; returns the response."""
    data = admin_form_data(client.get(change_url(cooperation)), **changes)
    response = client.post(change_url(cooperation), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def restore(client, cooperation, record):
    url = reverse("admin:cooperations_cooperation_restore", args=[cooperation.pk, record.history_id])
    return client.post(url, follow=True)


@pytest.mark.django_db
def test_an_admin_save_is_one_version_with_its_author_and_its_many_to_many_values(client, editor):
    cooperation = CooperationFactory()
    scic = CooperationFormFactory(name="Société coopérative d'intérêt collectif")
    versions_before = cooperation.history.count()
    edit(client, cooperation, title="Blanchisserie partagée", forms=[str(scic.pk)])
    assert cooperation.history.count() == versions_before + 1
    latest = cooperation.history.first()
    assert latest.history_user == editor
    assert latest.title == "Blanchisserie partagée"
    assert [form.cooperationform for form in latest.forms.all()] == [scic]


@pytest.mark.django_db
def test_the_history_page_shows_who_changed_what_with_labels_and_values(client, editor):
    cooperation = CooperationFactory(title="Blanchisserie")
    structure = StructureFactory(name="Régie de quartier Nord")
    data = admin_form_data(
        client.get(change_url(cooperation)), title="Blanchisserie partagée", level="strategic"
    )
    data |= {"participations-0-structure": str(structure.pk), "participations-0-role": "lead"}
    client.post(change_url(cooperation), data)

    page = client.get(history_url(cooperation)).text
    assert "Inès Durand" in page
    assert "<strong>Titre</strong> : <del>Blanchisserie</del> → <ins>Blanchisserie partagée</ins>" in page
    assert (
        "<strong>Niveau</strong> : <del>Coopération simple</del> → <ins>Coopération stratégique</ins>" in page
    )
    assert (
        "<strong>Participations</strong> : <del>—</del> → <ins>Régie de quartier Nord (Porteur)</ins>" in page
    )
    # Bookkeeping is left out of the differences.
    assert "<strong>Version</strong>" not in page


@pytest.mark.django_db
def test_restoring_the_first_version_brings_back_fields_forms_participations_and_figures(client, editor):
    form = CooperationFormFactory()
    cooperation = CooperationFactory(title="Première rédaction", published=True)
    cooperation.forms.set([form])
    lead = ParticipationFactory(cooperation=cooperation, role=Participation.Role.LEAD)
    partner = ParticipationFactory(cooperation=cooperation)
    OutcomeFigureFactory(cooperation=cooperation, value=12, label="tonnes de linge")
    edit(client, cooperation, title="Première rédaction, relue")
    first = cooperation.history.first()  # the version saved in the admin, with everything above

    data = admin_form_data(client.get(change_url(cooperation)), title="Réécrite", forms=[])
    data |= {
        "participations-0-role": "partner",  # the lead becomes a partner
        "participations-1-DELETE": "on",  # the partner leaves
        "figures-0-DELETE": "on",
    }
    client.post(change_url(cooperation), data)
    cooperation.refresh_from_db()
    assert cooperation.title == "Réécrite"
    assert cooperation.participations.count() == 1

    response = restore(client, cooperation, first)
    assert "est restaurée" in response.text
    cooperation.refresh_from_db()
    assert cooperation.title == "Première rédaction, relue"
    assert list(cooperation.forms.all()) == [form]
    assert dict(cooperation.participations.values_list("structure_id", "role")) == {
        lead.structure_id: Participation.Role.LEAD,
        partner.structure_id: Participation.Role.PARTNER,
    }
    assert [f.label for f in cooperation.figures.all()] == ["tonnes de linge"]
    assert cooperation.is_published  # publication is not part of a restore


@pytest.mark.django_db
def test_a_restore_is_itself_a_version_that_can_be_undone(client, editor):
    cooperation = CooperationFactory(title="Version A")
    edit(client, cooperation, title="Version B")
    version_b = cooperation.history.first()
    edit(client, cooperation, title="Version C")
    restore(client, cooperation, cooperation.history.last())  # back to A (factory creation)

    latest = cooperation.history.first()
    assert latest.title == "Version A"
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Restauration de la version du")

    restore(client, cooperation, version_b)
    cooperation.refresh_from_db()
    assert cooperation.title == "Version B"


@pytest.mark.django_db
def test_restore_tells_what_could_not_come_back(client, editor):
    cooperation = CooperationFactory()
    participation = ParticipationFactory(cooperation=cooperation, structure__name="Ancienne régie")
    edit(client, cooperation, title="Avec l'ancienne régie")
    version = cooperation.history.first()
    structure = participation.structure
    participation.delete()
    structure.delete()

    response = restore(client, cooperation, version)
    assert "Non rétabli, car supprimé depuis" in response.text
    assert cooperation.participations.count() == 0


@pytest.mark.django_db
def test_restore_is_refused_to_visitors_and_answers_only_post(client):
    cooperation = CooperationFactory(title="Intacte")
    record = cooperation.history.first()
    url = reverse("admin:cooperations_cooperation_restore", args=[cooperation.pk, record.history_id])
    assert client.post(url).status_code == 302  # to the admin sign-in
    client.force_login(UserFactory(editor=True))
    assert client.get(url).status_code == 405


@pytest.mark.django_db
def test_structure_changes_are_recorded_and_restorable(client, editor):
    sector = SectorFactory(name="Propreté")
    structure = StructureFactory(name="Régie Nord")
    structure.sectors.set([sector])
    url = reverse("admin:structures_structure_change", args=[structure.pk])
    client.post(url, admin_form_data(client.get(url), name="Régie Nord-Est", sectors=[]))
    structure.refresh_from_db()
    assert structure.name == "Régie Nord-Est"

    page = client.get(reverse("admin:structures_structure_history", args=[structure.pk])).text
    assert "<strong>Nom</strong> : <del>Régie Nord</del> → <ins>Régie Nord-Est</ins>" in page
    assert "<strong>Secteurs d&#x27;activité</strong> : <del>Propreté</del> → <ins>—</ins>" in page

    # The factory's creation then the set() of sectors: the second record holds the sector.
    with_sector = structure.history.order_by("history_date")[1]
    client.post(reverse("admin:structures_structure_restore", args=[structure.pk, with_sector.history_id]))
    structure.refresh_from_db()
    assert structure.name == "Régie Nord"
    assert list(structure.sectors.all()) == [sector]


@pytest.mark.django_db
def test_the_history_page_costs_the_same_for_3_or_12_versions(client, editor, django_assert_max_num_queries):
    cooperation = CooperationFactory()
    ParticipationFactory(cooperation=cooperation)
    for n in range(11):
        edit(client, cooperation, title=f"Titre {n}")
    # Session, user, its two kinds of permissions (4); the fiche, read by the restore check and by
    # simple-history (2); count and page of versions, and the version before the page (3); one query
    # per many-to-many field (6); participations, figures and structures (3); users' content type (1).
    with django_assert_max_num_queries(19):
        response = client.get(history_url(cooperation))
    assert response.status_code == 200
    assert response.text.count("Voir et restaurer cette version") == 11
    # Each opens the workspace's restore page, which shows the restored fiche before any change.
    record = cooperation.history.last()
    assert reverse("editing:restore", args=[cooperation.pk, record.history_id]) in response.text


@pytest.mark.django_db
def test_a_deleted_fiche_is_listed_and_restored_as_a_draft_with_its_participations(client):
    administrator = UserFactory(administrator=True)
    client.force_login(administrator)
    form = CooperationFormFactory()
    cooperation = CooperationFactory(title="Ressourcerie commune", published=True)
    cooperation.forms.set([form])
    participation = ParticipationFactory(cooperation=cooperation, role=Participation.Role.LEAD)
    OutcomeFigureFactory(cooperation=cooperation)
    pk = cooperation.pk
    client.post(reverse("admin:cooperations_cooperation_delete", args=[pk]), {"post": "yes"})
    assert not Cooperation.objects.filter(pk=pk).exists()

    listing = client.get(reverse("admin:cooperations_cooperation_deleted"))
    assert "Ressourcerie commune" in listing.text
    [record] = listing.context["records"]

    response = client.post(
        reverse("admin:cooperations_cooperation_restore_deleted", args=[record.history_id]), follow=True
    )
    assert "est rétablie, en brouillon" in response.text
    restored = Cooperation.objects.get(pk=pk)
    assert restored.status == Cooperation.Status.DRAFT
    assert list(restored.forms.all()) == [form]
    assert list(restored.participations.values_list("structure_id", "role")) == [
        (participation.structure_id, Participation.Role.LEAD)
    ]
    assert restored.figures.count() == 1
    assert restored.history.first().history_change_reason == "Fiche supprimée puis rétablie"
    assert "Ressourcerie commune" not in client.get(reverse("admin:cooperations_cooperation_deleted")).text


@pytest.mark.django_db
def test_the_changelist_links_to_the_deleted_fiches(client, editor):
    page = client.get(reverse("admin:cooperations_cooperation_changelist"))
    assert reverse("admin:cooperations_cooperation_deleted") in page.text


@pytest.mark.django_db
def test_structures_keep_one_version_per_admin_save():
    structure = StructureFactory()
    before = structure.history.count()
    structure.name = "Renommée"
    structure.save()
    assert structure.history.count() == before + 1
    assert Structure.history.filter(id=structure.pk).first().name == "Renommée"


@pytest.mark.django_db
def test_changes_made_from_the_other_side_of_a_relation_are_versions_of_the_fiches():
    first, second = CooperationFactory(), CooperationFactory()
    sector = SectorFactory()
    before = {c.pk: c.history.count() for c in (first, second)}

    sector.cooperations.add(first, second)
    sector.cooperations.clear()

    for cooperation in (first, second):
        assert cooperation.history.count() == before[cooperation.pk] + 2
        assert list(cooperation.history.first().sectors.all()) == []
    assert not hasattr(sector, "history")
