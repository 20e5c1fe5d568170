"""Restoring a version from the workspace: the restored fiche first, then a confirmation."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from cooperations.models import Cooperation, Participation
from tests.editing.test_history_pages import save_version
from tests.factories import (
    CommuneFactory,
    CooperationFactory,
    CooperationFormFactory,
    OutcomeFigureFactory,
    ParticipationFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def restore_url(cooperation, record):
    return reverse("editing:restore", args=[cooperation.pk, record.history_id])


@pytest.fixture
def rewritten(editor):
    """A published fiche whose first version had a lead, a form and a figure, since rewritten."""
    form = CooperationFormFactory(name="Groupement momentané d'entreprises")
    regie = StructureFactory(name="Régie de quartier Nord")
    cooperation = CooperationFactory(title="Première rédaction", published=True, forms=[form])
    ParticipationFactory(cooperation=cooperation, structure=regie, role=Participation.Role.LEAD)
    OutcomeFigureFactory(cooperation=cooperation, value=12, label="tonnes de linge")
    first = save_version(cooperation, editor, summary="La toute première description.")

    cooperation.forms.set([])
    cooperation.participations.all().delete()
    cooperation.figures.all().delete()
    save_version(cooperation, editor, title="Réécrite", summary="Une description réécrite.")
    return cooperation, first


def test_the_restore_page_shows_the_restored_fiche_and_changes_nothing_yet(client, editor, rewritten):
    cooperation, first = rewritten
    versions = cooperation.history.count()

    response = client.get(restore_url(cooperation, first))

    page = soup(response)
    preview = page.select_one(".restore-preview")
    assert preview.h1.get_text(strip=True) == "Première rédaction"
    assert "La toute première description." in preview.select_one(".fiche-summary").get_text()
    assert [a.get_text(strip=True) for a in preview.select(".fiche-participants li a")] == [
        "Régie de quartier Nord"
    ]
    assert "Porteur" in preview.select_one(".fiche-participants").get_text()
    assert "tonnes de linge" in preview.select_one(".fiche-figures").get_text()
    assert "Groupement momentané d'entreprises" in preview.select_one(".fiche-facts").get_text()
    changes = {row.th.get_text(strip=True) for row in page.select(".restore-changes tbody tr")}
    assert {"Titre", "Résumé", "Formes de coopération", "Participations", "Chiffres clés"} <= changes
    assert "Statut" not in changes  # publication is not part of a restore
    # Nothing is written until confirmed.
    cooperation.refresh_from_db()
    assert cooperation.title == "Réécrite"
    assert cooperation.history.count() == versions


def test_restoring_a_published_fiche_says_the_public_will_see_it(client, editor, rewritten):
    cooperation, first = rewritten
    response = client.get(restore_url(cooperation, first))
    assertContains(
        response,
        "Cette fiche est publiée : dès la confirmation, le public verra la version restaurée ci-dessous.",
    )
    buttons = [b.get_text(strip=True) for b in soup(response).select("form.restore-form button")]
    assert buttons == ["Restaurer et montrer au public"] * 2


def test_restoring_a_draft_says_it_stays_a_draft(client, editor):
    cooperation = CooperationFactory(title="Brouillon A")
    first = cooperation.history.first()
    save_version(cooperation, editor, title="Brouillon B")
    response = client.get(restore_url(cooperation, first))
    assertContains(response, "Cette fiche est un brouillon : la restauration ne la publie pas.")
    assertNotContains(response, "le public verra")


def test_confirming_restores_everything_as_a_new_version_by_its_author(client, editor, rewritten):
    cooperation, first = rewritten
    cooperation.refresh_from_db()
    response = client.post(restore_url(cooperation, first), {"version": cooperation.version}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("editing:history", args=[cooperation.pk])
    assertContains(response, "est restaurée.")
    cooperation.refresh_from_db()
    assert cooperation.title == "Première rédaction"
    assert [f.name for f in cooperation.forms.all()] == ["Groupement momentané d'entreprises"]
    assert [(p.structure.name, p.role) for p in cooperation.participations.all()] == [
        ("Régie de quartier Nord", Participation.Role.LEAD)
    ]
    assert [f.label for f in cooperation.figures.all()] == ["tonnes de linge"]
    assert cooperation.is_published
    latest = cooperation.history.first()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith("Restauration de la version du")


def test_a_save_made_after_the_page_was_shown_stops_the_restore(client, editor, rewritten):
    cooperation, first = rewritten
    cooperation.refresh_from_db()
    shown_version = cooperation.version
    colleague = UserFactory(editor=True, first_name="Marc", last_name="Petit")
    save_version(cooperation, colleague, title="Corrigée par Marc")

    response = client.post(restore_url(cooperation, first), {"version": shown_version}, follow=True)

    assertContains(response, "Marc Petit a enregistré la fiche le")
    assertContains(response, "rien n&#x27;est restauré")
    assert response.redirect_chain[-1][0] == restore_url(cooperation, first)
    cooperation.refresh_from_db()
    assert cooperation.title == "Corrigée par Marc"
    # The page shown again carries the new version: confirming it now restores.
    assert soup(response).select_one('input[name="version"]')["value"] == str(cooperation.version)


def test_a_confirmation_without_its_version_restores_nothing(client, editor, rewritten):
    cooperation, first = rewritten
    client.post(restore_url(cooperation, first), {})
    assert Cooperation.objects.get(pk=cooperation.pk).title == "Réécrite"


def test_a_deletion_record_or_another_fiches_version_is_not_found(client, editor, rewritten):
    cooperation, first = rewritten
    other = CooperationFactory().history.first()
    assert client.get(restore_url(cooperation, other)).status_code == 404


def test_the_restore_page_reads_a_constant_number_of_queries(
    client, editor, rewritten, django_assert_num_queries
):
    cooperation, first = rewritten
    client.get(restore_url(cooperation, first))
    # session, user, its own and its groups' permissions (4); the fiche, the version (2); the fiche
    # again for the restored copy (1); its six many-to-many fields as of the version (6), and the
    # communes' departments when it names communes (none here); participations as of the version and
    # their structures (2); figures (1); the latest version (1); the changes: six many-to-many fields
    # (6), participations, figures and structures (3); the level sheet (1)
    with django_assert_num_queries(27):
        client.get(restore_url(cooperation, first))


def test_the_restore_page_costs_the_same_for_one_or_three_communes(client, editor, django_assert_num_queries):
    counts = []
    for total in (1, 3):
        cooperation = CooperationFactory(communes=[CommuneFactory() for _ in range(total)])
        first = save_version(cooperation, editor, title="Avec ses communes")
        save_version(cooperation, editor, title="Réécrite")
        url = restore_url(cooperation, first)
        client.get(url)
        # as above, but no structure to read without participants (twice -1), and the communes'
        # departments in one query whatever their number (+1)
        with django_assert_num_queries(26):
            response = client.get(url)
        counts.append(len(soup(response).select(".restore-preview .fiche-facts li")))
    assert counts == [1, 3]


def test_the_restore_says_what_could_not_come_back(client, editor):
    cooperation = CooperationFactory(title="Avec l'ancienne régie")
    participation = ParticipationFactory(cooperation=cooperation, structure__name="Ancienne régie")
    version = save_version(cooperation, editor, summary="Avec sa régie.")
    structure = participation.structure
    participation.delete()
    structure.delete()
    save_version(cooperation, editor, title="Sans la régie")

    preview = soup(client.get(restore_url(cooperation, version))).select_one(".restore-preview")
    assert not preview.select(".fiche-participants")  # a deleted structure cannot come back

    cooperation.refresh_from_db()
    response = client.post(restore_url(cooperation, version), {"version": cooperation.version}, follow=True)
    warning = soup(response).select_one(".message-warning").get_text()
    assert warning.startswith("Non rétabli, car supprimé depuis\u00a0: Participation d'une structure")
    assert Cooperation.objects.get(pk=cooperation.pk).title == "Avec l'ancienne régie"
