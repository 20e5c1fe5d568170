"""bench_import measures the import and leaves the database as it found it."""

import io
import re

import pytest
from django.core.management import call_command

from cooperations.models import Cooperation, Participation
from lib.history import m2m_fields
from structures.models import Structure

pytestmark = pytest.mark.django_db


def test_the_benchmark_prints_its_figures_and_removes_what_it_imported(reference):
    out = io.StringIO()
    call_command("bench_import", rows=30, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Fichier : 30 lignes")
    assert lines[1].startswith(
        "Premier import : nouvelles : 30 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0 en "
    )
    assert lines[2].startswith(
        "Réimport identique : nouvelles : 0 ; modifiées : 0 ; inchangées : 30 ; en erreur : 0 en "
    )
    assert lines[3].startswith("Plancher bulk_create des mêmes lignes : ")
    assert lines[4].startswith("Mémoire maximale du processus : ")
    assert lines[5].startswith("Nettoyage : 30 fiches et 10 structures supprimées avec leurs versions (")
    goals = [line for line in lines if line.startswith("Objectif ")]
    assert len(goals) == 4 and all(re.search(r" : (atteint|MANQUÉ) \(", line) for line in goals)
    assert re.fullmatch(r"\d objectifs atteints sur 4\.", lines[-1])
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()
    assert not Participation.objects.exists()
    # Nor any of their versions, nor the versions of their links.
    for model in (Cooperation, Structure, Participation):
        assert not model.history.exists()
    for field in m2m_fields(Cooperation):
        assert not Cooperation._history_records.m2m_models[field].objects.exists()
