"""Imports that overlap run one after the other (PostgreSQL advisory lock), and a row saved elsewhere
in the middle of an import is reported in French rather than as a database error."""

import threading
import time

import pytest
from django.db import connection, connections

from cooperations.imports import CooperationImporter
from cooperations.models import Cooperation
from spreadsheets.importer import IMPORT_LOCK_KEY

from .conftest import csv_file, run_import

FILE = csv_file([["titre", "niveau"], ["Blanchisserie partagée", "simple"]])
CHANGED_MEANWHILE = (
    "Rien n'a été importé : des fiches ou des structures du fichier ont été enregistrées ailleurs pendant "
    "l'import. Envoyez le fichier à nouveau ; l'aperçu tiendra compte de ces changements."
)
BUSY = (
    "Un autre import est en cours : rien n'a été importé. Réessayez dans une minute ; l'aperçu tiendra "
    "compte de ce que l'autre import aura changé."
)


@pytest.mark.django_db
def test_a_fiche_saved_elsewhere_during_the_import_is_reported_in_french(monkeypatch):
    write = CooperationImporter.write

    def write_after_an_editor(self, rows):
        # An editor creates the same fiche in the admin between the preview's reads and its writes.
        Cooperation.objects.create(
            title="Blanchisserie partagée", slug="blanchisserie-partagee", level="simple"
        )
        write(self, rows)

    monkeypatch.setattr(CooperationImporter, "write", write_after_an_editor)
    report = run_import(FILE)
    assert report.file_errors == [CHANGED_MEANWHILE]
    assert report.has_errors
    assert not Cooperation.objects.exists()


class OtherImport(threading.Thread):
    """Another server process holding the imports' lock until `release` is set."""

    def __init__(self):
        super().__init__()
        self.locked, self.release = threading.Event(), threading.Event()

    def run(self):
        other = connections.create_connection("default")
        try:
            other.set_autocommit(False)
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
            self.locked.set()
            self.release.wait(timeout=10)
            other.rollback()
        finally:
            other.close()

    def __enter__(self):
        self.start()
        self.locked.wait(timeout=10)
        return self

    def __exit__(self, *exc_info):
        self.release.set()
        self.join()


@pytest.mark.django_db
def test_an_import_waits_for_the_one_in_progress_then_runs():
    with OtherImport() as other:
        threading.Timer(0.5, other.release.set).start()
        started = time.monotonic()
        report = run_import(FILE)
    assert time.monotonic() - started >= 0.5
    assert report.file_errors == []
    assert Cooperation.objects.get().title == "Blanchisserie partagée"


@pytest.mark.django_db
def test_an_import_still_blocked_after_its_wait_is_refused_in_french(monkeypatch):
    monkeypatch.setattr("spreadsheets.importer.IMPORT_LOCK_WAIT", 0.3)
    with OtherImport():
        report = run_import(FILE)
    assert report.file_errors == [BUSY]
    assert not Cooperation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_file_at_once_give_one_new_fiche_then_an_unchanged_one(monkeypatch):
    resolve = CooperationImporter.resolve

    def slow_resolve(self, rows):
        resolve(self, rows)
        time.sleep(0.3)  # both imports have read what is stored before either writes, without the lock

    monkeypatch.setattr(CooperationImporter, "resolve", slow_resolve)
    start, statuses, failures = threading.Barrier(2), [], []

    def one_import():
        try:
            start.wait()
            statuses.append([row.status for row in run_import(FILE).rows])
        except Exception as error:  # reported below, with the other thread's outcome
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(statuses) == [["new"], ["unchanged"]]
    assert Cooperation.objects.count() == 1
