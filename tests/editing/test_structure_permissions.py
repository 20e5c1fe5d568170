"""Who may do what with structures and sources in /espace/: visitors sign in, people without a role get a
403, Éditeurs and Administrateurs do every action (a merge included, since it can be undone)."""

import pytest
from django.urls import reverse

from structures.models import Structure, StructureMerge, StructureSuggestion
from tests.factories import SourceFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects():
    structure = StructureFactory(name="Atelier Vélo")
    other = StructureFactory(name="ATELIER VELO", kind=Structure.Kind.EI)
    absorbed = StructureFactory(name="Absorbée")
    survivor = StructureFactory(name="Gardée")
    absorbed_history = absorbed.history.first()
    merge = StructureMerge.objects.create(
        survivor=survivor, absorbed_id=absorbed.pk, absorbed_name="Absorbée", absorbed_slug=absorbed.slug
    )
    suggestion = StructureSuggestion.objects.create(
        structure=structure,
        registry="data·inclusion",
        record_id="dora--1",
        record_name="Atelier Vélo",
        match="name",
        score=95,
        values={"email": "contact@velo.example"},
    )
    return {
        "structure": structure,
        "other": other,
        "merge": merge,
        "suggestion": suggestion,
        "record": structure.history.first(),
        "absorbed_history": absorbed_history,
        "source": SourceFactory(),
    }


def actions(o):
    """(method, url, data, status for Éditeurs and Administrateurs) of every structure and source action."""
    structure, other = o["structure"], o["other"]
    edit = reverse("editing:structure_edit", args=[structure.pk])
    restore = reverse("editing:structure_restore", args=[structure.pk, o["record"].history_id])
    merge = reverse("editing:structure_merge")
    return [
        ("get", reverse("editing:structures"), None, 200),
        ("get", reverse("editing:structure_new"), None, 200),
        ("post", reverse("editing:structure_new"), {"name": ""}, 200),  # the form back with its error
        ("get", edit, None, 200),
        ("post", edit, {"name": ""}, 200),
        ("post", edit, {"action": "registry-search", "registry-q": ""}, 200),
        ("get", reverse("editing:structure_history", args=[structure.pk]), None, 200),
        ("get", reverse("editing:structure_compare", args=[structure.pk]), None, 200),
        ("get", restore, None, 200),
        ("post", restore, {"version": "0"}, 302),  # refused as stale, with a message
        ("get", reverse("editing:duplicates"), None, 200),
        ("post", reverse("editing:duplicate_dismiss"), {"a": structure.pk, "b": other.pk}, 302),
        ("get", f"{merge}?a={structure.pk}", None, 200),
        ("get", f"{merge}?a={structure.pk}&b={other.pk}", None, 200),
        ("post", merge, {"a": structure.pk, "b": other.pk}, 200),  # no choice made: the form again
        ("post", reverse("editing:structure_merge_undo", args=[o["merge"].pk]), None, 302),
        ("get", reverse("editing:review_structure_suggestion", args=[o["suggestion"].pk]), None, 200),
        (
            "post",
            reverse("editing:review_structure_suggestion", args=[o["suggestion"].pk]),
            {"action": "dismiss"},
            302,
        ),
        ("get", reverse("editing:sources"), None, 200),
        ("get", reverse("editing:source_new"), None, 200),
        ("post", reverse("editing:source_new"), {"title": ""}, 200),
        ("get", reverse("editing:source_edit", args=[o["source"].pk]), None, 200),
        ("post", reverse("editing:source_quick_create"), {"new-source-title": ""}, 422),
    ]


def test_a_visitor_is_sent_to_sign_in_for_every_action(client, objects):
    for method, url, data, _status in actions(objects):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url


def test_a_signed_in_person_without_a_role_is_refused_every_action(client, objects):
    client.force_login(UserFactory())
    for method, url, data, _status in actions(objects):
        assert getattr(client, method)(url, data).status_code == 403, url


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_editors_and_administrators_may_do_every_action(client, objects, role):
    client.force_login(UserFactory(**{role: True}))
    for method, url, data, status in actions(objects):
        assert getattr(client, method)(url, data).status_code == status, url


def test_editors_merge_but_do_not_delete_structures(client):
    editor = UserFactory(editor=True)
    assert editor.has_perm("structures.merge_structure")
    assert not editor.has_perm("structures.delete_structure")
