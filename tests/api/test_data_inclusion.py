"""/api/v1/data-inclusion/structures/: every record valid for data·inclusion's own model of a structure
(the `data-inclusion-schema` package, schema v1)."""

import pytest
from data_inclusion.schema.v1 import ReseauPorteur
from data_inclusion.schema.v1 import Structure as DataInclusionStructure
from django.urls import reverse

from structures.models import Network, Structure
from tests.factories import CommuneFactory, StructureFactory, real_places


def records(client):
    """Every record, page after page."""
    url, results = reverse("api:data-inclusion-structure-list") + "?page_size=100", []
    while url:
        page = client.get(url).json()
        results += page["results"]
        url = page["next"]
    return results


@pytest.mark.django_db
def test_a_structure_s_fields_take_data_inclusion_s_names_and_formats(client):
    places = real_places()
    structure = StructureFactory(
        name="Interm'Aide Emploi",
        kind=Structure.Kind.AI,
        siret="41234567800015",
        commune=CommuneFactory(code="59350", name="Lille", department=places["nord"]),
        address="12 rue Nationale",
        postal_code="59000",
        phone="03 20 00 00 00",
        email="contact@intermaide.example",
        website="https://intermaide.example/",
        description="Association intermédiaire de la métropole lilloise.",
    )
    structure.networks.add(Network.objects.create(name="COORACE"), Network.objects.create(name="Autre"))
    (record,) = records(client)
    assert DataInclusionStructure.model_validate(record)
    assert record == {
        "source": "cooperations-iae",
        "id": f"cooperations-iae--{structure.pk}",
        "nom": "Interm'Aide Emploi",
        "date_maj": structure.updated_at.date().isoformat(),
        "lien_source": f"http://testserver/structures/{structure.slug}/",
        "siret": "41234567800015",
        "commune": "Lille",
        "code_postal": "59000",
        "code_insee": "59350",
        "adresse": "12 rue Nationale",
        "telephone": "+33320000000",
        "courriel": "contact@intermaide.example",
        "site_web": "https://intermaide.example/",
        "description": "Association intermédiaire de la métropole lilloise.",
        "reseaux_porteurs": ["ai", "coorace"],
    }


def test_every_network_we_name_is_one_of_data_inclusion_s():
    from api.data_inclusion import KIND_NETWORKS, NETWORKS

    known = {network.value for network in ReseauPorteur}
    assert set(KIND_NETWORKS.values()) | NETWORKS <= known
