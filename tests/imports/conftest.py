import csv
import io

import pytest
from django.contrib.auth.models import Permission

from cooperations.models import CooperationForm, Source
from cooperations.resources import CooperationResource
from spreadsheets.formats import SpreadsheetImportFormat
from structures.models import Sector


@pytest.fixture(autouse=True)
def shared_territory_index(monkeypatch, territory_index):
    # Building a TerritoryIndex reads 35k communes (1 to 2 s): every import of the session shares one.
    monkeypatch.setattr("cooperations.imports.TerritoryIndex", lambda: territory_index)
    monkeypatch.setattr("structures.resources.TerritoryIndex", lambda: territory_index)


@pytest.fixture
def reference(db):
    """The forms, sectors and source the files below refer to."""
    return {
        "gme": CooperationForm.objects.create(
            code="gme", short_name="GME", name="Groupement momentané d'entreprises"
        ),
        "mutualisation": CooperationForm.objects.create(
            code="mutualisation", short_name="Mutualisation", name="Mutualisation de moyens et de fonctions"
        ),
        "reemploi": Sector.objects.create(slug="reemploi-recyclage", name="Réemploi, recyclage et déchets"),
        "alimentation": Sector.objects.create(slug="alimentation", name="Alimentation et circuits courts"),
        "source": Source.objects.create(key="avise-cooperations-siae", title="Les coopérations des SIAE"),
    }


def csv_file(rows, *, delimiter=";", encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def run_import(data, *, user=None, dry_run=False):
    """The import as the admin and the command run it: read the file, then import_data in a transaction."""
    dataset = SpreadsheetImportFormat().create_dataset(data)
    return (
        CooperationResource().import_data(dataset, dry_run=dry_run, use_transactions=True, user=user).report
    )


def staff_user(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username, password="secret", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return django_user_model.objects.get(pk=user.pk)  # a fresh copy: permissions are cached per instance


HEADER = ["titre", "niveau", "départements", "participants"]
