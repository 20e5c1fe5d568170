"""load_territories: an idempotent, atomic upsert of the shipped reference file."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from territories.management.commands.load_territories import DATA_FILE
from territories.models import EPCI, Commune, Department, Region

pytestmark = pytest.mark.django_db

MODELS = [Region, Department, EPCI, Commune]


def counts():
    return [model.objects.count() for model in MODELS]


def load(*args):
    out, err = StringIO(), StringIO()
    call_command("load_territories", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def shipped_data():
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as file:
        return json.load(file)


@pytest.fixture
def write_data(tmp_path):
    def write(data):
        path = tmp_path / "cog.json.gz"
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as file:
            json.dump(data, file)
        return str(path)

    return write


def row(rows, code):
    return next(r for r in rows if r[0] == code)


def test_a_second_run_changes_nothing_and_says_so():
    before = counts()
    out, err = load()
    assert counts() == before == [18, 101, 1255, 34875]
    assert out.count("créations : 0, mises à jour : 0, suppressions : 0") == 4
    assert "Communes : 34875" in out
    assert "36249 territoires traités en" in out
    assert err == ""


def test_a_territory_missing_from_the_database_is_created():
    Commune.objects.filter(code="29083").delete()
    out, _ = load()
    assert Commune.objects.get(code="29083").search_name == "ile de sein"
    assert "Communes : 34875 (créations : 1, mises à jour : 0, suppressions : 0)" in out


def test_a_renamed_territory_is_updated_with_its_folded_name_and_slug(shipped_data, write_data):
    row(shipped_data["communes"], "93066")[1] = "Saint-Denis-en-France"
    row(shipped_data["departments"], "93")[1] = "Seine-Saint-Denis-Nord"
    out, _ = load("--file", write_data(shipped_data))
    commune = Commune.objects.get(code="93066")
    assert (commune.name, commune.search_name) == ("Saint-Denis-en-France", "saint denis en france")
    assert Department.objects.get(code="93").slug == "seine-saint-denis-nord"
    assert "Départements : 101 (créations : 0, mises à jour : 1, suppressions : 0)" in out
    assert "Communes : 34875 (créations : 0, mises à jour : 1, suppressions : 0)" in out
    assert counts() == [18, 101, 1255, 34875]


def test_a_territory_gone_from_the_file_is_deleted_when_unused_and_reported_when_used(
    shipped_data, write_data
):
    # Île-de-Sein (no EPCI, nothing points at it) disappears; the EPCI of Saint-Denis disappears
    # while its communes, still in the file, keep pointing at it.
    shipped_data["communes"].remove(row(shipped_data["communes"], "29083"))
    grand_paris = row(shipped_data["communes"], "93066")[3]
    shipped_data["epci"].remove(row(shipped_data["epci"], grand_paris))
    out, err = load("--file", write_data(shipped_data))
    assert not Commune.objects.filter(code="29083").exists()
    assert EPCI.objects.filter(code=grand_paris).exists()
    assert "Communes : 34874 (créations : 0, mises à jour : 0, suppressions : 1)" in out
    assert "EPCI : 1254 (créations : 0, mises à jour : 0, suppressions : 0)" in out
    assert (
        err
        == f"EPCI : {grand_paris} Métropole du Grand Paris n'est plus dans le fichier mais reste utilisé.\n"
    )


def test_a_dry_run_reports_the_changes_and_saves_nothing(shipped_data, write_data):
    row(shipped_data["regions"], "32")[1] = "Hauts-de-France et Picardie"
    out, _ = load("--dry-run", "--file", write_data(shipped_data))
    assert "Régions : 18 (créations : 0, mises à jour : 1, suppressions : 0)" in out
    assert "Essai à blanc : rien n'a été enregistré." in out
    assert Region.objects.get(code="32").name == "Hauts-de-France"


def test_an_unreadable_file_is_refused_before_anything_changes(tmp_path):
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(CommandError, match="Lecture impossible"):
        load("--file", str(broken))
    assert counts() == [18, 101, 1255, 34875]
