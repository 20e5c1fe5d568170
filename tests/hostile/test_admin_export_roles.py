"""A staff account whose roles were removed reads nothing: not in /espace/, not through the admin's
exports, which hold drafts and internal notes."""

import pytest
from django.urls import reverse

from tests.factories import CooperationFactory, StructureFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPORTS = ["admin:cooperations_cooperation_export", "admin:structures_structure_export"]


@pytest.fixture
def de_roled(client):
    """Once an Éditeur: still staff, no group left."""
    user = UserFactory(editor=True)
    user.groups.clear()
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", EXPORTS)
def test_a_de_roled_account_cannot_export(client, de_roled, name):
    CooperationFactory(title="Brouillon secret")
    StructureFactory(name="Structure cachée")
    assert client.get(reverse("editing:dashboard")).status_code == 403
    get = client.get(reverse(name))
    post = client.post(reverse(name), {"format": "0", "resource": "0"})
    assert (get.status_code, post.status_code) == (403, 403)
    assert b"Brouillon secret" not in post.content and "Structure cachée".encode() not in post.content


@pytest.mark.parametrize("name", EXPORTS)
def test_an_editor_still_exports(client, editor, name):
    CooperationFactory(title="Brouillon à relire")
    response = client.post(reverse(name), {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
