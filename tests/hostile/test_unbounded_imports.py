"""CSV and JSON files built to exhaust the import: refused with a French message, in the admin and by
the command, never a traceback; reading the columns of a JSON file is linear in its keys."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cooperations.models import Cooperation
from spreadsheets.reading import MAX_COLUMNS, SpreadsheetError, read_table
from tests.imports.conftest import staff_user

pytestmark = pytest.mark.django_db
IMPORT = reverse("admin:cooperations_cooperation_import")

LONG_FIRST_LINE = b"titre;" + b"x" * 200_000 + b"\ntitre\nRessourcerie\n"
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
MANY_KEYS = json.dumps([{f"cle{n}": n} for n in range(80_000)]).encode()

FILES = {
    "long-line.csv": (
        LONG_FIRST_LINE,
        "Ligne 1 : une cellule compte plus de 131\u202f072 caractères ; 32\u202f767 au plus.",
    ),
    "deep.json": (DEEP_JSON, "Le fichier JSON imbrique des listes ou des objets sur trop de niveaux"),
    "keys.json": (MANY_KEYS, "Le fichier JSON compte plus de 1\u202f000 clés différentes"),
}


@pytest.fixture(autouse=True)
def csv_module_default_limit():
    """The csv module's cell limit is the process's: a library loaded by other tests (frictionless)
    raises it. The site's processes keep Python's default, which these files exceed."""
    before = csv.field_size_limit(128 * 1024)
    yield
    csv.field_size_limit(before)


@pytest.mark.parametrize("name", FILES)
def test_the_reader_refuses_it_with_a_french_message(name):
    data, message = FILES[name]
    with pytest.raises(SpreadsheetError) as refused:
        read_table(data)
    assert refused.value.message.startswith(message)


@pytest.mark.parametrize("name", FILES)
def test_the_admin_says_why(client, django_user_model, reference, name):
    client.force_login(staff_user(django_user_model, "admin", "view_cooperation", "import_cooperation"))
    data, message = FILES[name]
    file = io.BytesIO(data)
    file.name = name
    response = client.post(IMPORT, {"resource": "0", "format": "0", "import_file": file})
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Cooperation.objects.exists()


@pytest.mark.parametrize("name", FILES)
def test_the_command_fails_cleanly(tmp_path, name):
    data, message = FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError) as failed:
        call_command("import_cooperations", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert str(failed.value).startswith(f"{name} : {message}")


def test_many_keys_are_gathered_once_in_the_order_first_seen():
    """80,000 keys took 31.7 s when each row rebuilt the columns; they are now gathered in one pass."""
    rows = [{f"cle{n}": n for n in range(MAX_COLUMNS)} for _ in range(200)]
    rows[1] = {"cle1": "b", "cle0": "a"}  # a row may give its keys in another order, or fewer of them
    table = read_table(json.dumps(rows).encode())
    assert list(table.headers) == [f"cle{n}" for n in range(MAX_COLUMNS)]
