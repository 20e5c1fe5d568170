"""`manage.py export_open_data`: the files of the open data, valid for their own schema, written only
when they change and never half-written."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from frictionless import Resource, Schema, validate

from api import exports
from tests.factories import CooperationFactory, StructureFactory

OPENDATA = Path(__file__).resolve().parents[2] / "opendata"


def export(directory, *args):
    out = io.StringIO()
    call_command("export_open_data", str(directory), *args, stdout=out)
    return out.getvalue()


def test_the_schema_is_a_valid_table_schema_and_its_example_follows_it():
    schema = Schema.from_descriptor(str(OPENDATA / "schema.json"))
    assert schema.primary_key == ["identifiant"]
    report = Resource("exemple-valide.csv", schema="schema.json", basepath=str(OPENDATA)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_a_row_that_breaks_the_schema_is_caught(tmp_path):
    example = (OPENDATA / "exemple-valide.csv").read_text(encoding="utf-8")
    (tmp_path / "fiches.csv").write_text(example.replace(",strategic,", ",stratégique,", 1), encoding="utf-8")
    (tmp_path / "schema.json").write_bytes((OPENDATA / "schema.json").read_bytes())
    report = Resource("fiches.csv", schema="schema.json", basepath=str(tmp_path)).validate()
    assert report.flatten(["rowNumber", "fieldName", "type"]) == [[2, "niveau", "constraint-error"]]


def test_the_schema_folder_has_its_readme_and_changelog():
    readme = (OPENDATA / "README.md").read_text(encoding="utf-8")
    changelog = (OPENDATA / "CHANGELOG.md").read_text(encoding="utf-8")
    version = json.loads((OPENDATA / "schema.json").read_text(encoding="utf-8"))["version"]
    assert "Licence Ouverte" in readme
    assert f"## {version}" in changelog


@pytest.mark.django_db
def test_a_fresh_export_of_the_seed_is_a_valid_data_package(seeded, tmp_path):
    summary = export(tmp_path)
    assert "40 fiches" in summary and "5 fichiers écrits, 0 inchangés" in summary
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(exports.FILE_NAMES)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    with (tmp_path / "cooperations.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 40
    assert list(rows[0]) == [
        field["name"] for field in json.loads((OPENDATA / "schema.json").read_text())["fields"]
    ]
    fiches = json.loads((tmp_path / "cooperations.json").read_text(encoding="utf-8"))
    assert [fiche["slug"] for fiche in fiches] == [row["identifiant"] for row in rows]


@pytest.mark.django_db
def test_a_second_export_changes_nothing_and_a_change_rewrites_only_its_files(tmp_path):
    fiche = CooperationFactory(published=True, title="Légumerie partagée")
    StructureFactory(name="Chantier du Port")
    export(tmp_path)
    times = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    assert "0 fichiers écrits, 5 inchangés" in export(tmp_path)
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == times

    fiche.title = "Légumerie partagée du port"
    fiche.save()
    output = export(tmp_path)
    assert "écrit : cooperations.csv" in output and "écrit : cooperations.json" in output
    assert "2 fichiers écrits, 3 inchangés" in output
    assert "Légumerie partagée du port" in (tmp_path / "cooperations.csv").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_a_dry_run_says_what_would_change_and_writes_nothing(tmp_path):
    CooperationFactory(published=True)
    output = export(tmp_path / "donnees", "--dry-run")
    assert "5 fichiers à écrire" in output
    assert not (tmp_path / "donnees").exists()


@pytest.mark.django_db
def test_a_failed_write_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    CooperationFactory(published=True, title="Première version")
    export(tmp_path)
    before = (tmp_path / "cooperations.csv").read_bytes()
    CooperationFactory(published=True, title="Seconde fiche")

    def fail(*args, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(exports.os, "fsync", fail)
    with pytest.raises(OSError):
        export(tmp_path)
    assert (tmp_path / "cooperations.csv").read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(exports.FILE_NAMES)  # no leftover


@pytest.mark.django_db
def test_the_files_give_the_fiches_addresses_on_site_url(tmp_path, settings):
    settings.SITE_URL = "https://cooperations.example"
    fiche = CooperationFactory(published=True)
    export(tmp_path)
    with (tmp_path / "cooperations.csv").open(encoding="utf-8", newline="") as file:
        rows = {row["identifiant"]: row for row in csv.DictReader(file)}
    address = f"https://cooperations.example{fiche.get_absolute_url()}"
    assert rows[fiche.slug]["adresse"] == address
    details = {item["slug"]: item for item in json.loads((tmp_path / "cooperations.json").read_text())}
    assert details[fiche.slug]["url"] == address
