"""The embedded PostgreSQL (config/database.py): without DATABASE_URL, every process that loads the settings
finds a cluster kept in the project, made and started on first use, on a Unix socket only."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from config import database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cluster(tmp_path):
    data_dir = tmp_path / "postgres"
    yield data_dir
    if (data_dir / "postmaster.pid").exists():
        database._pg_ctl(data_dir, "-w", "-m", "immediate", "stop")


def connect(entry):
    return psycopg.connect(host=entry["HOST"], port=entry["PORT"], user=entry["USER"], dbname=entry["NAME"])


def test_a_new_cluster_is_made_started_and_given_its_database(cluster):
    entry = database.embedded_database("annuaire", cluster)

    assert (cluster / "PG_VERSION").read_text().strip() == "18"
    assert entry["HOST"] == str(cluster)
    with connect(entry) as connection:
        assert connection.execute("SELECT current_database()").fetchone() == ("annuaire",)
        # Nothing listens on a TCP port: a server already on 5432 is never in the way.
        assert connection.execute("SHOW listen_addresses").fetchone() == ("",)
        # Cases and sorting follow PostgreSQL's own rules, whatever the machine's locale.
        assert connection.execute(
            "SELECT lower('ÉCOLE'), datlocprovider FROM pg_database WHERE datname = 'annuaire'"
        ).fetchone() == ("école", "b")
        assert connection.execute(
            "SELECT default_version FROM pg_available_extensions WHERE name = 'unaccent'"
        ).fetchone()


def test_a_running_cluster_is_found_without_starting_anything(cluster, monkeypatch):
    database.embedded_database("annuaire", cluster)

    def no_start(data_dir):
        raise AssertionError("the running server should have been found")

    monkeypatch.setattr(database, "_start", no_start)
    entry = database.embedded_database("annuaire", cluster)
    with connect(entry) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_a_stopped_cluster_starts_again_with_its_data(cluster):
    entry = database.embedded_database("annuaire", cluster)
    with connect(entry) as connection:
        connection.execute("CREATE TABLE kept (word text)")
        connection.execute("INSERT INTO kept VALUES ('coopération')")
    assert database._pg_ctl(cluster, "-w", "-m", "fast", "stop").returncode == 0
    assert database._running_server(cluster) is None

    with connect(database.embedded_database("annuaire", cluster)) as connection:
        assert connection.execute("SELECT word FROM kept").fetchone() == ("coopération",)


def test_a_pid_file_left_by_a_server_that_died_does_not_block_the_start(cluster):
    database.embedded_database("annuaire", cluster)
    database._pg_ctl(cluster, "-w", "-m", "immediate", "stop")
    # As after a power cut: the file stays, naming a process that is not PostgreSQL.
    lines = ["1", str(cluster), "0", "5432", str(cluster), "", "0 0", "ready"]
    (cluster / "postmaster.pid").write_text("\n".join(lines) + "\n")

    with connect(database.embedded_database("annuaire", cluster)) as connection:
        assert connection.execute("SELECT 1").fetchone() == (1,)


def test_every_process_loading_the_settings_uses_the_projects_cluster_without_database_url():
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.db import connection;"
            " print(connection.settings_dict['HOST']); print(connection.cursor().connection.info.dbname)",
        ],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [str(ROOT / "var" / "postgres"), "cooperations"]


def test_database_url_names_another_server_and_the_embedded_one_is_left_alone(tmp_path):
    url = "postgres://someone@db.example.org:6543/annuaire"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            " d = settings.DATABASES['default']; print(d['HOST'], d['PORT'], d['NAME'], d['OPTIONS'])",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "db.example.org 6543 annuaire {'options': '-c jit=off'}"


def test_status_and_stop_say_what_they_did(cluster, monkeypatch, capsys):
    monkeypatch.setattr(database, "DATA_DIR", cluster)
    assert database.main(["database", "status"]) == 0
    assert "sera créée à la première commande" in capsys.readouterr().out
    database.embedded_database("annuaire", cluster)
    database.main(["database", "status"])
    assert "Base embarquée en marche" in capsys.readouterr().out
    assert database.main(["database", "stop"]) == 0
    assert capsys.readouterr().out.strip() == "Base embarquée arrêtée."
    assert database._running_server(cluster) is None
