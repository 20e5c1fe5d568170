"""An import is recorded like any other change: versions, optimistic locking, search data."""

import pytest

from cooperations.models import Cooperation, Participation
from cooperations.search import refresh_search_index, text_search

from .conftest import HEADER, csv_file, run_import, staff_user

pytestmark = pytest.mark.django_db


def test_imported_fiches_their_participations_and_new_structures_get_a_version(reference, django_user_model):
    importer = staff_user(django_user_model, "marie", "import_cooperation")
    run_import(
        csv_file([HEADER, ["Cantine solidaire", "simple", "59; 62", "Resto Pévèle (EI, porteur)"]]),
        user=importer,
    )

    fiche = Cooperation.objects.get(title="Cantine solidaire")
    version = fiche.history.get()
    assert (version.history_type, version.history_user) == ("+", importer)
    assert sorted(d.department_id for d in version.departments.all()) == ["59", "62"]
    participation = fiche.participations.get()
    assert participation.history.get().history_type == "+"
    assert participation.structure.history.get().history_type == "+"


def test_an_import_that_changes_a_fiche_adds_a_version_and_moves_its_lock(reference):
    run_import(csv_file([HEADER, ["Cantine solidaire", "simple", "59", "Resto Pévèle (EI, porteur)"]]))
    fiche = Cooperation.objects.get()
    run_import(csv_file([HEADER, ["Cantine solidaire", "renforcée", "59", "Le Bocal (ACI, porteur)"]]))

    fiche_after = Cooperation.objects.get()
    assert fiche_after.version == fiche.version + 1
    assert [v.history_type for v in fiche_after.history.order_by("history_date", "history_id")] == ["+", "~"]
    assert Participation.history.filter(history_type="-").count() == 1


def test_an_unchanged_import_records_nothing(reference):
    rows = csv_file([HEADER, ["Cantine solidaire", "simple", "59", "Resto Pévèle (EI, porteur)"]])
    run_import(rows)
    versions = Cooperation.history.count()
    run_import(rows)
    assert Cooperation.history.count() == versions


def test_imported_fiches_are_found_by_their_participants_and_places(reference):
    # Published: a search that finds no published fiche falls back to approximate names on PostgreSQL.
    row = ["Cantine solidaire", "simple", "62", "Resto Pévèle (EI, porteur)", "publiée"]
    run_import(csv_file([[*HEADER, "statut"], row]))
    fiche = Cooperation.objects.get()
    assert list(text_search("pevele").filter(Cooperation.objects.all())) == [fiche]
    assert list(text_search("pas-de-calais").filter(Cooperation.objects.all())) == [fiche]


def test_imported_fiches_get_the_search_data_a_save_would_give_them(reference):
    """On PostgreSQL the new fiches' search data is computed within their INSERT, after their links
    and participations: it must be what the UPDATE run on every save writes."""
    header = [*HEADER, "régions", "communes", "formes", "résumé", "contexte"]
    rows = [
        [
            "Cantine solidaire",
            "simple",
            "59; 62",
            "Resto Pévèle (EI, porteur); Le Bocal (ACI)",
            "32",
            "Lille",
        ],
        ["Garage partagé", "renforcée", "93", "Garage Solidaire (AI, porteur)", "", ""],
    ]
    rows[0] += ["GME", "Des repas pour les salariés.", "Une cuisine commune."]
    rows[1] += ["", "", ""]
    assert run_import(csv_file([header, *rows])).summary().startswith("nouvelles : 2 ;")
    stored = dict(Cooperation.objects.values_list("title", "search_vector"))
    assert all(stored.values())
    refresh_search_index(cooperation_ids=Cooperation.objects.values_list("pk", flat=True))
    assert dict(Cooperation.objects.values_list("title", "search_vector")) == stored
