"""/espace/fiches/<pk>/historique/: every version with author and time, any two compared field by field."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    ParticipationFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def save_version(cooperation, user, **fields):
    """Save `cooperation` with `fields` changed, as `user`: one version."""
    cooperation.refresh_from_db()
    for name, value in fields.items():
        setattr(cooperation, name, value)
    cooperation._history_user = user
    cooperation.save()
    return cooperation.history.first()


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def text(element):
    """The element's text with its runs of spaces and line breaks as one space (no-break spaces kept)."""
    return re.sub(r"[ \t\n]+", " ", element.get_text()).strip()


def history_url(cooperation):
    return reverse("editing:history", args=[cooperation.pk])


def compare_url(cooperation, first, second):
    return reverse("editing:compare", args=[cooperation.pk]) + f"?de={first.history_id}&a={second.history_id}"


def test_every_version_is_listed_with_its_author_time_and_changes(client, editor):
    cooperation = CooperationFactory(title="Blanchisserie")
    marc = UserFactory(first_name="Marc", last_name="Petit")
    save_version(cooperation, marc, title="Blanchisserie partagée")
    save_version(cooperation, editor, level="strategic")

    versions = soup(client.get(history_url(cooperation))).select("li.version")

    assert len(versions) == 3
    newest, middle, first = (text(v.select_one(".version-when")) for v in versions)
    assert "Inès Durand · modification" in newest and "version actuelle" in newest
    assert "Marc Petit · modification" in middle
    assert "création" in first
    assert text(versions[0].select_one(".version-changes li")) == (
        "Niveau : Coopération simple → Coopération stratégique"
    )
    assert text(versions[1].select_one(".version-changes li")) == (
        "Titre : Blanchisserie → Blanchisserie partagée"
    )
    assert text(versions[2]).endswith("Première version.")
    # Any version but the current one opens a restore, which asks for confirmation first.
    restore_links = [a["href"] for a in soup(client.get(history_url(cooperation))).select(".version-picks a")]
    assert len(restore_links) == 2


def test_versions_saved_in_the_same_minute_are_told_apart_by_their_second(client, editor):
    cooperation = CooperationFactory(title="Blanchisserie")
    first = cooperation.history.first()
    second = save_version(cooperation, editor, title="Blanchisserie partagée")
    cooperation.history.filter(history_id=first.history_id).update(
        history_date=second.history_date.replace(second=10, microsecond=0)
    )
    cooperation.history.filter(history_id=second.history_id).update(
        history_date=second.history_date.replace(second=42, microsecond=0)
    )
    page = soup(client.get(compare_url(cooperation, first, second)))
    options = [text(option) for option in page.select("select[name=de] option") if option.get("value")]
    assert len(set(options)) == 2
    assert options[0].startswith("Version 2 · ") and options[0].endswith(":42, par Inès Durand")
    assert options[1].startswith("Version 1 · ") and options[1].endswith(":10, par un import")
    whens = [
        text(strong) for strong in soup(client.get(history_url(cooperation))).select(".version-when strong")
    ]
    assert [when[-3:] for when in whens] == [":42", ":10"]


def test_a_proposed_fiche_s_first_version_names_where_it_came_from(client, editor):
    cooperation = CooperationFactory(title="Blanchisserie")
    cooperation.history.update(history_change_reason="Proposée en ligne")
    [version] = soup(client.get(history_url(cooperation))).select("li.version")
    assert "· une proposition en ligne · création" in text(version.select_one(".version-when"))


def test_two_versions_are_compared_field_by_field_in_either_order(client, editor):
    structure = StructureFactory(name="Régie de quartier Nord")
    cooperation = CooperationFactory(title="Blanchisserie", summary="Une blanchisserie.")
    first = cooperation.history.first()
    scic = CooperationFormFactory(name="Société coopérative d'intérêt collectif")
    save_version(cooperation, editor, title="Blanchisserie partagée")
    cooperation.forms.set([scic])
    ParticipationFactory(cooperation=cooperation, structure=structure, role="lead")
    latest = save_version(cooperation, editor, summary="Une blanchisserie partagée par trois SIAE.")

    for url in (compare_url(cooperation, first, latest), compare_url(cooperation, latest, first)):
        table = soup(client.get(url)).select_one("table.version-diff")
        headings = [th.get_text(strip=True) for th in table.select("thead th")]
        assert headings[0] == "Rubrique"
        assert headings[1].startswith("Version 1 · ") and headings[2].startswith(
            f"Version {cooperation.history.count()} · "
        )
        rows = {
            row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.select("td")]
            for row in table.select("tbody tr")
        }
        assert rows == {
            "Titre": ["Blanchisserie", "Blanchisserie partagée"],
            "Résumé": ["Une blanchisserie.", "Une blanchisserie partagée par trois SIAE."],
            "Formes de coopération": ["—", "Société coopérative d'intérêt collectif"],
            "Participations": ["—", "Régie de quartier Nord (Porteur)"],
        }


def test_comparing_opens_on_the_last_change_when_no_version_is_chosen(client, editor):
    cooperation = CooperationFactory(title="Avant")
    save_version(cooperation, editor, title="Après")
    rows = soup(client.get(reverse("editing:compare", args=[cooperation.pk]))).select(
        "table.version-diff tbody tr"
    )
    assert [[cell.get_text(strip=True) for cell in row.select("th, td")] for row in rows] == [
        ["Titre", "Avant", "Après"]
    ]


def test_comparing_a_version_with_itself_or_with_another_fiche_says_why_not(client, editor):
    cooperation = CooperationFactory()
    version = cooperation.history.first()
    other = CooperationFactory().history.first()

    response = client.get(compare_url(cooperation, version, version))
    assertContains(response, "Choisissez deux versions différentes.")
    assert not soup(response).select("table.version-diff")

    response = client.get(compare_url(cooperation, version, other))
    assertContains(response, "Cette version n&#x27;appartient pas à l&#x27;historique de la fiche.")
    response = client.get(reverse("editing:compare", args=[cooperation.pk]) + "?de=abc")
    assertContains(response, "Choisissez la seconde version à comparer.")


def test_the_internal_note_is_shown_to_staff_only_here(client, editor):
    # The history is staff-only: a note for the team may appear in its comparison.
    cooperation = CooperationFactory()
    save_version(cooperation, editor, internal_note="Le document ne nomme pas la commune.")
    client.logout()
    response = client.get(reverse("editing:compare", args=[cooperation.pk]))
    assert response.status_code == 302 and "Le document" not in response.text


def test_the_history_page_costs_the_same_for_3_or_12_versions(client, editor, django_assert_num_queries):
    cooperation = CooperationFactory()
    ParticipationFactory(cooperation=cooperation)
    counts = []
    for total in (3, 12):
        while cooperation.history.count() < total:
            save_version(cooperation, editor, title=f"Titre {cooperation.history.count()}")
        client.get(history_url(cooperation))
        # session, user, its own and its groups' permissions (4); the fiche (1); count and page of
        # versions with their authors (2); the version before the page is not needed on page 1 (0);
        # one per many-to-many field (6); participations, figures, structures (3)
        with django_assert_num_queries(16):
            response = client.get(history_url(cooperation))
        counts.append(len(soup(response).select("li.version")))
    assert counts == [3, 12]


def test_the_comparison_reads_a_constant_number_of_queries(client, editor, django_assert_num_queries):
    cooperation = CooperationFactory()
    ParticipationFactory(cooperation=cooperation)
    first = cooperation.history.first()
    for n in range(5):
        latest = save_version(cooperation, editor, title=f"Titre {n}")
    url = compare_url(cooperation, first, latest)
    client.get(url)
    # session, user, its own and its groups' permissions (4); the fiche (1); the two versions chosen,
    # with their authors (2); one per many-to-many field (6); participations, figures, structures (3);
    # the versions offered by each of the two choices (2); their numbers (1)
    with django_assert_num_queries(19):
        response = client.get(url)
    assert len(soup(response).select("table.version-diff tbody tr")) == 2  # title, participations


def test_each_page_of_the_history_says_what_its_versions_changed(client, editor):
    cooperation = CooperationFactory(title="Titre 0")
    for n in range(1, 25):
        save_version(cooperation, editor, title=f"Titre {n}")
    first_page = soup(client.get(history_url(cooperation))).select("li.version")
    # The last of page 1 is compared with the version before it, on page 2, read for the purpose.
    assert text(first_page[-1].select_one(".version-changes li")) == "Titre\u00a0: Titre 4 → Titre 5"

    page = soup(client.get(history_url(cooperation) + "?page=2"))
    versions = page.select("li.version")
    assert len(versions) == 5  # 25 versions, 20 a page
    assert text(versions[0].select_one(".version-changes li")) == "Titre\u00a0: Titre 3 → Titre 4"
    assert text(versions[-1]).endswith("Première version.")
    assert page.select_one('nav.pagination a[aria-current="page"]').get_text(strip=True).endswith("2")
