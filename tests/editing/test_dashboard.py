import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from proposals.models import Correction, Proposal
from tests.factories import CooperationFactory, ParticipationFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


def panel(response, title_id):
    page = BeautifulSoup(response.content, "html.parser")
    return page.find(id=title_id).find_parent("section")


def test_the_dashboard_lists_my_drafts_all_drafts_and_recent_changes(client, editor):
    colleague = UserFactory(editor=True, first_name="Marc", last_name="Petit")
    mine = CooperationFactory(title="Ma coopération", created_by=editor, updated_by=editor)
    theirs = CooperationFactory(title="Leur coopération", created_by=colleague, updated_by=colleague)
    CooperationFactory(title="Une fiche publiée", published=True, updated_by=colleague)

    response = client.get(reverse("editing:dashboard"))

    my_drafts = [a.get_text() for a in panel(response, "my-drafts-title").select(".fiche-rows a")]
    assert my_drafts == ["Ma coopération"]
    drafts = panel(response, "drafts-title")
    assert [a.get_text() for a in drafts.select(".fiche-rows a")] == ["Leur coopération", "Ma coopération"]
    assert "(2)" in drafts.h2.get_text()
    recent = panel(response, "recent-title").select(".fiche-rows li")
    assert recent[0].a.get_text() == "Une fiche publiée"
    assert "par Marc Petit" in recent[0].get_text()
    assert recent[1].a["href"] == reverse("editing:cooperation_edit", args=[theirs.pk])
    assert mine.pk


def test_the_dashboard_names_who_saved_each_fiche_even_without_an_account(client, editor):
    proposed = CooperationFactory(title="Proposée")
    Proposal.objects.create(cooperation=proposed, contact_name="Marie", contact_email="marie@example.org")
    CooperationFactory(title="Importée")
    CooperationFactory(title="Écrite", updated_by=editor)

    recent = panel(client.get(reverse("editing:dashboard")), "recent-title").select(".fiche-rows li")

    authors = {
        li.a.get_text(): " ".join(li.select_one(".fiche-row-meta").get_text().split()) for li in recent
    }
    assert authors["Proposée"].startswith("Brouillon par une proposition en ligne, le ")
    assert authors["Importée"].startswith("Brouillon par un import, le ")
    assert authors["Écrite"].startswith("Brouillon par Inès Durand, le ")
    assert not any("quelqu'un" in author for author in authors.values())


def test_the_dashboard_counts_what_waits_for_review(client, editor):
    fiche = CooperationFactory(published=True)
    Proposal.objects.create(cooperation=CooperationFactory(), contact_name="A", contact_email="a@example.org")
    Correction.objects.create(cooperation=fiche, message="Le téléphone a changé.", email="b@example.org")
    Correction.objects.create(
        cooperation=fiche, message="Déjà vue.", email="c@example.org", status=Correction.Status.DISMISSED
    )

    waiting = panel(client.get(reverse("editing:dashboard")), "waiting-title")

    lines = [" ".join(li.get_text().split()) for li in waiting.select("li")]
    assert lines == ["1 proposition en attente", "1 correction en attente"]
    assert waiting.a["href"] == reverse("editing:review")


def test_fiches_to_complete_name_what_they_lack(client, editor):
    reachable = StructureFactory(email="contact@aci.example")
    complete = CooperationFactory(title="Complète", start_year=2020, results="Dix emplois.")
    ParticipationFactory(cooperation=complete, structure=reachable, role="lead")
    ParticipationFactory(cooperation=complete)
    CooperationFactory(title="Vide")

    gaps = panel(client.get(reverse("editing:dashboard")), "gaps-title")

    rows = gaps.select(".fiche-rows li")
    assert [row.a.get_text() for row in rows] == ["Vide"]
    assert [tag.get_text() for tag in rows[0].select(".tag-gap")] == [
        "contact",
        "résultats",
        "participants",
        "année de démarrage",
    ]
    counts = [" ".join(li.get_text().split()) for li in gaps.select(".gap-counts li")]
    assert counts == [
        "1 fiche sans contact joignable",
        "1 fiche sans résultat",
        "1 fiche avec un seul participant ou aucun",
        "1 fiche sans année de démarrage",
    ]


def test_the_dashboard_reads_a_constant_number_of_queries(client, editor, django_assert_num_queries):
    for _ in range(12):
        fiche = CooperationFactory(updated_by=editor)
        ParticipationFactory(cooperation=fiche)
    # Session, user, then the user's and the groups' permissions; then my drafts, all drafts, their
    # count, the proposals waiting, the user's organisations and the corrections waiting on fiches they
    # follow, the recent changes, the gap counts, the fiches to complete; the structures' gaps, their
    # likely duplicates and the complements waiting; my organisations (none here: no fiches read).
    with django_assert_num_queries(17):
        client.get(reverse("editing:dashboard"))


def test_the_dashboard_counts_the_structures_to_complete_and_links_to_them(client, editor):
    StructureFactory(name="DIRECCTE", kind="state_service")
    StructureFactory(name="DIRECCTE Île-de-France", kind="state_service", siret="41234567000019")
    StructureFactory(name="Atelier Vélo", email="contact@velo.example")
    page = BeautifulSoup(client.get(reverse("editing:dashboard")).content, "html.parser")
    links = [
        (" ".join(a.get_text().split()), a["href"])
        for a in page.select("#structures-title + .dashboard-counts a")
    ]
    assert links == [
        ("2 structures sans coordonnées", reverse("editing:structures") + "?without_contact=1"),
        ("2 structures sans SIRET", reverse("editing:structures") + "?without_siret=1"),
        ("2 doublons possibles", reverse("editing:duplicates")),
        ("0 complément à examiner", reverse("editing:review")),
    ]
