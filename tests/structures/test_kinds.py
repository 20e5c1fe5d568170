"""The kinds of structure, old and new, wherever kinds are used: spreadsheets, list filter, statistics."""

import pytest
from django.urls import reverse

from cooperations.participants import format_participant, parse_participant
from structures.models import Structure
from structures.resources import KINDS, kind_label
from tests.factories import CooperationFactory, StructureFactory

pytestmark = pytest.mark.django_db
Kind = Structure.Kind


def test_every_kind_is_written_in_files_under_a_label_that_reads_back_to_it():
    labels = [kind_label(kind) for kind in Kind]
    assert len(set(labels)) == len(labels)
    assert [KINDS.get(label) for label in labels] == list(Kind)


def test_the_codes_and_file_labels_of_the_first_kinds_are_kept():
    first = ["ACI", "AI", "EI", "ETTI", "EITI", "GEIQ", "EA", "EATT", "ESAT", "company", "public_body"]
    assert set(first + ["association", "network", "research_training", "other"]) <= set(Kind.values)
    assert [kind_label(k) for k in ("company", "public_body", "network", "other")] == [
        "entreprise",
        "acteur public",
        "réseau / fédération",
        "autre",
    ]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("Sept bailleurs sociaux (bailleur social, partenaire)", Kind.SOCIAL_LANDLORD),
        ("Ville de Rouen (collectivité territoriale, financeur)", Kind.LOCAL_AUTHORITY),
        ("DREETS Normandie (service de l'Etat)", Kind.STATE_SERVICE),
        ("Mission locale (service public de l'emploi, partenaire)", Kind.EMPLOYMENT_SERVICE),
        ("Fondation Accenture (fondation, financeur)", Kind.FOUNDATION),
        ("AFEJI (association gestionnaire, porteur)", Kind.MANAGING_ASSOCIATION),
        ("Tremplin (Ain) (SIAE, porteur)", Kind.SIAE),
        ("Groupe ACTEM (ges)", Kind.GES),
    ],
)
def test_a_participant_cell_reads_the_new_kinds_by_label_or_acronym(written, kind):
    participant = parse_participant(written)
    assert participant.kind == kind
    assert parse_participant(format_participant(participant.name, kind, participant.role)) == participant


@pytest.fixture
def fiches():
    landlord = StructureFactory(name="Sept bailleurs sociaux", kind=Kind.SOCIAL_LANDLORD)
    CooperationFactory(
        published=True,
        title="Gardiens d'immeuble",
        participants=[(StructureFactory(kind=Kind.AI), "lead"), landlord],
    )
    CooperationFactory(published=True, title="Légumerie", participants=[StructureFactory(kind=Kind.ACI)])


def test_the_list_filters_by_a_new_kind_and_offers_it_with_its_french_label(client, fiches):
    response = client.get(reverse("cooperations:list"), {"structure_kind": "social_landlord"})
    assert [c.title for c in response.context["cooperations"]] == ["Gardiens d'immeuble"]
    assert ("social_landlord", "Bailleur social") in response.context["filterset"].form.fields[
        "structure_kind"
    ].choices


def test_the_statistics_count_the_fiches_of_a_new_kind(client, fiches):
    html = client.get(reverse("statistics")).content.decode()
    assert "Bailleur social" in html
    assert f'href="{reverse("cooperations:list")}?structure_kind=social_landlord"' in html
