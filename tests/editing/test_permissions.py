"""Who may do what, cell by cell: visitors read, éditeurs write and publish, administrateurs do all."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cooperations.models import Cooperation
from structures.models import Structure
from tests.factories import CooperationFactory, StructureFactory, UserFactory

ROLES = ("visitor", "editor", "administrator")

# fmt: off
MATRIX = {
    #                              visitor  editor  administrator
    "read a published fiche":      (True,   True,   True),
    "preview a draft":             (False,  True,   True),
    "edit a fiche":                (False,  True,   True),
    "publish a fiche":             (False,  True,   True),
    "delete a fiche":              (False,  False,  True),
    "edit a structure":            (False,  True,   True),
    "delete a structure":          (False,  False,  True),
    "import fiches and structures": (False, False,  True),
    "manage users":                (False,  False,  True),
}
# fmt: on


def read_published_fiche(client, user):
    cooperation = CooperationFactory(published=True, title="Blanchisserie partagée")
    response = client.get(cooperation.get_absolute_url())
    return response.status_code == 200 and "Blanchisserie partagée" in response.text


def preview_draft(client, user):
    cooperation = CooperationFactory(title="Conciergerie en projet")
    response = client.get(reverse("cooperations:preview", args=[cooperation.slug]))
    return response.status_code == 200 and "Conciergerie en projet" in response.text


def edit_fiche(client, user):
    cooperation = CooperationFactory()
    response = client.get(reverse("admin:cooperations_cooperation_change", args=[cooperation.pk]))
    return response.status_code == 200 and 'name="title"' in response.text


def publish_fiche(client, user):
    cooperation = CooperationFactory()
    client.post(
        reverse("admin:cooperations_cooperation_changelist"),
        {"action": "publish_selected", "_selected_action": [cooperation.pk]},
    )
    cooperation.refresh_from_db()
    return cooperation.is_published


def delete_fiche(client, user):
    cooperation = CooperationFactory()
    client.post(reverse("admin:cooperations_cooperation_delete", args=[cooperation.pk]), {"post": "yes"})
    return not Cooperation.objects.filter(pk=cooperation.pk).exists()


def edit_structure(client, user):
    structure = StructureFactory()
    response = client.get(reverse("admin:structures_structure_change", args=[structure.pk]))
    return response.status_code == 200 and 'name="name"' in response.text


def delete_structure(client, user):
    structure = StructureFactory()
    client.post(reverse("admin:structures_structure_delete", args=[structure.pk]), {"post": "yes"})
    return not Structure.objects.filter(pk=structure.pk).exists()


def import_data(client, user):
    # The import screens check these two permissions (IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import").
    return user.has_perm("cooperations.import_cooperation") and user.has_perm("structures.import_structure")


def manage_users(client, user):
    response = client.get(reverse("admin:auth_user_changelist"))
    return response.status_code == 200


ATTEMPTS = {
    "read a published fiche": read_published_fiche,
    "preview a draft": preview_draft,
    "edit a fiche": edit_fiche,
    "publish a fiche": publish_fiche,
    "delete a fiche": delete_fiche,
    "edit a structure": edit_structure,
    "delete a structure": delete_structure,
    "import fiches and structures": import_data,
    "manage users": manage_users,
}

CELLS = [
    (action, role, allowed)
    for action, row in MATRIX.items()
    for role, allowed in zip(ROLES, row, strict=True)
]


def test_the_matrix_covers_every_action_for_every_role():
    assert set(ATTEMPTS) == set(MATRIX)
    assert len(CELLS) == len(MATRIX) * len(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "role", "allowed"), CELLS, ids=[f"{r} may {a}: {ok}" for a, r, ok in CELLS]
)
def test_each_role_may_do_exactly_what_the_matrix_says(client, action, role, allowed):
    if role == "visitor":
        user = AnonymousUser()
    else:
        user = UserFactory(**{role: True})
        client.force_login(user)
    assert ATTEMPTS[action](client, user) is allowed
