import csv
import io

import pytest
from django.contrib.auth.models import Permission

from cooperations.resources import CooperationResource
from spreadsheets.formats import SpreadsheetImportFormat


@pytest.fixture(autouse=True)
def shared_territory_index(monkeypatch, territory_index):
    # Building a TerritoryIndex reads 35k communes (1 to 2 s): every import of the session shares one.
    monkeypatch.setattr("cooperations.imports.TerritoryIndex", lambda: territory_index)
    monkeypatch.setattr("structures.resources.TerritoryIndex", lambda: territory_index)


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
