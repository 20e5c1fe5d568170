"""manage.py enrich_structures: a data·inclusion structures file matched with our structures, each match
filed as a complement that an editor takes or leaves field by field; nothing written to a structure."""

import io
import json
from pathlib import Path

import pytest
from data_inclusion.schema.v1 import Structure as DataInclusionStructure
from django.core.management import CommandError, call_command
from django.urls import reverse

from structures.models import Structure, StructureSuggestion
from tests.factories import CommuneFactory, DepartmentFactory, StructureFactory

FILES = Path(__file__).parent / "files"
SAMPLE = FILES / "data-inclusion-structures.json"


def enrich(*args):
    out = io.StringIO()
    call_command("enrich_structures", *args, stdout=out)
    return out.getvalue()


def test_the_sample_file_is_valid_for_data_inclusion_s_own_model():
    for record in json.loads(SAMPLE.read_text()):
        assert DataInclusionStructure.model_validate(record)


@pytest.fixture
def ours(db):
    rouen = CommuneFactory(code="76540", name="Rouen", department=DepartmentFactory(code="76"))
    lorient = CommuneFactory(code="56121", name="Lorient", department=DepartmentFactory(code="56"))
    return {
        "intermaide": StructureFactory(name="Interm'Aide Emploi", kind=Structure.Kind.AI, commune=rouen),
        "elan": StructureFactory(name="ELAN", kind=Structure.Kind.AI, department=lorient.department),
        "passerelle": StructureFactory(
            name="LA PASSERELLE", kind=Structure.Kind.SIAE, department=DepartmentFactory(code="69")
        ),
        "nowhere": StructureFactory(name="Régie sans registre", department=DepartmentFactory(code="59")),
    }


@pytest.mark.django_db
def test_matches_become_complements_and_the_counts_are_printed(ours):
    output = enrich(str(SAMPLE))
    assert output.splitlines()[-1] == (
        "14 enregistrement(s) lu(s), 1 écarté(s) ; 4 structure(s) : 2 rapprochée(s), 1 ambiguë(s), "
        "1 sans correspondance ; compléments : 2 nouveau(x), 0 mis à jour, 0 sans rien de neuf ; "
        "1 valeur(s) invalide(s) écartée(s)."
    )
    assert "ambiguë : LA PASSERELLE" in output
    suggestion = StructureSuggestion.objects.get(structure=ours["intermaide"])
    assert (suggestion.registry, suggestion.record_source, suggestion.match) == (
        "data·inclusion",
        "emplois-de-linclusion",
        "name",
    )
    assert suggestion.score == 100
    assert suggestion.values == {
        "siret": "41234567000019",
        "address": "12 rue de la République",
        "postal_code": "76000",
        "phone": "+33261911020",
        "email": "contact@intermaide.example",
        "website": "https://intermaide.example",
    }
    # An invalid value is left out, the rest is proposed.
    assert "phone" not in StructureSuggestion.objects.get(structure=ours["elan"]).values
    ours["intermaide"].refresh_from_db()
    assert ours["intermaide"].siret is None  # nothing written without an editor


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_and_a_second_run_files_nothing_twice(ours):
    assert "[essai, rien n'est enregistré]" in enrich(str(SAMPLE), "--dry-run")
    assert not StructureSuggestion.objects.exists()
    enrich(str(SAMPLE))
    again = enrich(str(SAMPLE))
    assert "compléments : 0 nouveau(x), 0 mis à jour, 2 sans rien de neuf" in again
    assert StructureSuggestion.objects.count() == 2


@pytest.mark.django_db
def test_a_csv_file_gives_the_same_complements(ours):
    enrich(str(FILES / "data-inclusion-structures.csv"))
    suggestion = StructureSuggestion.objects.get(structure=ours["intermaide"])
    assert suggestion.values["siret"] == "41234567000019"
    assert StructureSuggestion.objects.count() == 2


@pytest.mark.django_db
def test_a_siret_matches_before_any_name(ours):
    StructureFactory(name="Nom tout autre", siret="41234567000019")
    enrich(str(SAMPLE))
    suggestion = StructureSuggestion.objects.get(structure__name="Nom tout autre")
    assert (suggestion.match, suggestion.score) == ("siret", 100)


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_stops_with_a_french_message(tmp_path):
    broken = tmp_path / "structures.json"
    broken.write_text('[{"nom": "A"')
    with pytest.raises(CommandError, match="s'arrête avant sa fin"):
        enrich(str(broken))
    with pytest.raises(CommandError, match="Impossible de lire"):
        enrich(str(tmp_path / "absent.json"))


@pytest.mark.django_db
def test_an_editor_takes_some_fields_and_leaves_the_others(client, editor, ours):
    enrich(str(SAMPLE))
    suggestion = StructureSuggestion.objects.get(structure=ours["intermaide"])
    queue = client.get(reverse("editing:review")).content.decode()
    assert reverse("editing:review_structure_suggestion", args=[suggestion.pk]) in queue

    url = reverse("editing:review_structure_suggestion", args=[suggestion.pk])
    response = client.post(url, {"action": "accept", "accepted": ["siret", "phone"]})
    assert response.url == reverse("editing:review")
    structure = Structure.objects.get(pk=ours["intermaide"].pk)
    assert (structure.siret, structure.phone_display, structure.email) == (
        "41234567000019",
        "02 61 91 10 20",
        "",
    )
    record = structure.history.first()
    assert record.history_user == editor
    assert record.history_change_reason == "Complétée depuis data·inclusion (emplois-de-linclusion)"
    suggestion.refresh_from_db()
    assert suggestion.decisions["siret"] == "accepted" and suggestion.decisions["email"] == "dismissed"

    # A later file does not propose what was left again.
    enrich(str(SAMPLE))
    assert not StructureSuggestion.objects.pending().filter(structure=structure).exists()


@pytest.mark.django_db
def test_dismissing_a_complement_changes_nothing(client, editor, ours):
    enrich(str(SAMPLE))
    suggestion = StructureSuggestion.objects.get(structure=ours["elan"])
    client.post(reverse("editing:review_structure_suggestion", args=[suggestion.pk]), {"action": "dismiss"})
    suggestion.refresh_from_db()
    assert not suggestion.is_pending and set(suggestion.decisions.values()) == {"dismissed"}
    assert Structure.objects.get(pk=ours["elan"].pk).email == ""


@pytest.mark.django_db
def test_the_sample_enriches_nine_seeded_structures(seeded):
    output = enrich(str(SAMPLE))
    assert "9 rapprochée(s), 1 ambiguë(s)" in output
    assert StructureSuggestion.objects.count() == 9
