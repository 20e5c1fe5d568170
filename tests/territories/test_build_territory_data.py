"""build_territory_data: the shipped file is derived reproducibly from the npm package."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


@pytest.fixture
def package(tmp_path):
    """A miniature @etalab/decoupage-administratif package, one row of each case."""
    files = {
        "package.json": {"name": "@etalab/decoupage-administratif", "version": "6.0.0"},
        "data/regions.json": [
            {"code": "32", "nom": "Hauts-de-France", "zone": "metro"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "zone": "com"},
        ],
        "data/departements.json": [
            {"code": "59", "nom": "Nord", "region": "32", "zone": "metro"},
            {"code": "975", "nom": "Saint-Pierre-et-Miquelon", "region": "975", "zone": "com"},
        ],
        "data/epci.json": [
            {
                "code": "200093201",
                "nom": "Métropole Européenne de Lille",
                "type": "METRO",
                "membres": [
                    {"code": "59009", "nom": "Villeneuve-d'Ascq"},
                ],
            },
        ],
        "data/communes.json": [
            {
                "code": "59009",
                "nom": "Villeneuve-d'Ascq",
                "departement": "59",
                "type": "commune-actuelle",
                "population": 62681,
            },
            {"code": "59183", "nom": "Dunkerque", "departement": "59", "type": "commune-actuelle"},
            {"code": "59540", "nom": "Saint-Pol-sur-Mer", "departement": "59", "type": "commune-deleguee"},
            {"code": "97501", "nom": "Miquelon-Langlade", "departement": "975", "type": "commune-actuelle"},
        ],
    }
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(json.dumps(content), encoding="utf-8")
    return tmp_path


def build(package, output, *args):
    out = StringIO()
    call_command(
        "build_territory_data", str(package), "--year", "2026", "--output", str(output), *args, stdout=out
    )
    return out.getvalue()


def test_it_keeps_current_communes_of_the_departments_with_their_epci(package, tmp_path):
    output = tmp_path / "cog.json.gz"
    build(package, output)
    data = json.loads(gzip.decompress(output.read_bytes()))
    assert data == {
        "source": "@etalab/decoupage-administratif@6.0.0",
        "year": 2026,
        "regions": [["32", "Hauts-de-France"]],
        "departments": [["59", "Nord", "32"]],
        "epci": [["200093201", "Métropole Européenne de Lille", "METRO"]],
        "communes": [
            ["59009", "Villeneuve-d'Ascq", "59", "200093201", 62681],
            ["59183", "Dunkerque", "59", None, None],
        ],
    }


def test_two_builds_of_the_same_package_are_byte_identical(package, tmp_path):
    build(package, tmp_path / "first.json.gz")
    build(package, tmp_path / "second.json.gz")
    assert (tmp_path / "first.json.gz").read_bytes() == (tmp_path / "second.json.gz").read_bytes()


def test_a_dry_run_prints_the_counts_and_writes_nothing(package, tmp_path):
    out = build(package, tmp_path / "cog.json.gz", "--dry-run")
    assert "1 régions, 1 départements, 1 EPCI, 2 communes" in out
    assert not (tmp_path / "cog.json.gz").exists()


def test_another_package_is_refused(package, tmp_path):
    (package / "package.json").write_text('{"name": "left-pad", "version": "1.3.0"}')
    with pytest.raises(CommandError, match="n'est pas le paquet @etalab/decoupage-administratif"):
        build(package, tmp_path / "cog.json.gz")
