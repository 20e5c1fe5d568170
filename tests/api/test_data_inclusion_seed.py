"""The seeded structures, each valid for data·inclusion's own model (a module of its own: the seed
stays loaded for the whole module)."""

import pytest
from data_inclusion.schema.v1 import Structure as DataInclusionStructure

from structures.models import Structure
from tests.api.test_data_inclusion import records


@pytest.mark.django_db
def test_every_seeded_structure_is_a_valid_data_inclusion_structure(client, seeded):
    structures = records(client)
    assert len(structures) == Structure.objects.count() > 100
    for record in structures:
        DataInclusionStructure.model_validate(record)  # raises on the first invalid field
    assert {record["source"] for record in structures} == {"cooperations-iae"}
    assert len({record["id"] for record in structures}) == len(structures)
    networks = {network for record in structures for network in record["reseaux_porteurs"] or []}
    assert {"aci", "ai", "ei", "coorace"} <= networks
