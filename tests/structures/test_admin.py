"""Structures and sectors in the admin: their addresses follow the one rule for slugs, and a structure's
address may be changed, its old one then leading to the new."""

import pytest
from django.urls import reverse

from structures.models import Sector, Structure
from tests.editing.helpers import form_values
from tests.factories import CooperationFactory, ParticipationFactory, StructureFactory

pytestmark = pytest.mark.django_db


def post_form(client, url, **changes):
    data = {**form_values(client.get(url).context["adminform"].form), **changes}
    return client.post(url, data)


def test_a_structures_address_may_be_changed_and_the_old_one_redirects(client, editor):
    structure = StructureFactory(name="Les Anges Gardins", kind="ACI")
    ParticipationFactory(cooperation=CooperationFactory(published=True), structure=structure)
    old = structure.get_absolute_url()
    post_form(
        client, reverse("admin:structures_structure_change", args=[structure.pk]), slug="Anges Gardins (62)"
    )
    structure.refresh_from_db()
    assert structure.slug == "anges-gardins-62"
    response = client.get(old)
    assert (response.status_code, response.url) == (301, "/structures/anges-gardins-62/")


def test_a_new_structure_left_without_address_gets_it_from_its_name(client, editor):
    post_form(client, reverse("admin:structures_structure_add"), name="Régie de l'Ouest", kind="association")
    assert Structure.objects.get().slug == "regie-de-l-ouest"


def test_restoring_a_version_of_a_structure_keeps_its_current_address(client, administrator):
    structure = StructureFactory(name="Tremplin", kind="EI")
    structure.description = "Première version"
    structure.save()
    first = structure.history.get(description="Première version")
    structure.slug, structure.description = "tremplin-energie", "Seconde version"
    structure.save()
    client.post(reverse("admin:structures_structure_restore", args=[structure.pk, first.history_id]))
    structure.refresh_from_db()
    assert (structure.description, structure.slug) == ("Première version", "tremplin-energie")


def test_a_sectors_code_follows_the_one_rule_for_slugs(client, administrator):
    client.post(reverse("admin:structures_sector_add"), {"name": "Propreté de l'espace public", "slug": ""})
    assert Sector.objects.get().slug == "proprete-de-l-espace-public"
