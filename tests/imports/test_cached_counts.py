"""An import writes in bulk, without signals: it must still refresh the directory's cached counts."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from .conftest import HEADER, csv_file

pytestmark = pytest.mark.django_db


def test_an_import_shows_at_once_in_the_cached_home_counts(client, tmp_path, reference):
    path = tmp_path / "fiches.csv"
    rows = [
        [*HEADER, "statut"],
        ["Ressourcerie", "simple", "59", "Interm'Aide Emploi (AI, porteur)", "publiée"],
    ]
    path.write_bytes(csv_file(rows))
    assert client.get(reverse("home")).context["cooperation_count"] == 0  # now cached

    call_command("import_cooperations", str(path), stdout=io.StringIO())

    response = client.get(reverse("home"))
    assert response.context["cooperation_count"] == 1
    assert response.context["structure_count"] == 1
