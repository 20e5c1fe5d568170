"""The search data of a fiche follows the names it copies (cooperations/dependencies.py): territories,
forms, sectors and participants, renamed by a save or by load_territories."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from territories.management.commands.load_territories import DATA_FILE
from territories.models import Commune, Department, Region
from tests.factories import CooperationFactory, SectorFactory, StructureFactory, real_places

pytestmark = pytest.mark.django_db


def found(client, query):
    response = client.get(reverse("cooperations:list"), {"q": query})
    assert response.status_code == 200
    return [card.title for card in response.context["cooperations"]]


def test_renaming_a_region_refreshes_the_fiches_of_its_departments_and_its_own(client):
    places = real_places()
    CooperationFactory(published=True, title="Légumerie", departments=[places["nord"]])
    CooperationFactory(published=True, title="Réseau régional", regions=[places["hdf"]])
    CooperationFactory(published=True, title="Garage lyonnais", departments=[places["rhone"]])
    region = Region.objects.get(code="32")
    region.name = "Flandres-Picardie"
    region.save()

    assert sorted(found(client, "flandres picardie")) == ["Légumerie", "Réseau régional"]


def test_renaming_a_department_or_a_commune_refreshes_their_fiches(client):
    places = real_places()
    commune = Commune.objects.filter(department=places["nord"]).order_by("code").first()
    CooperationFactory(published=True, title="Légumerie", departments=[places["nord"]], communes=[commune])
    department = Department.objects.get(code="59")
    department.name = "Septentrion"
    department.save()
    commune.name = "Bourg-Quiparle"
    commune.save()

    assert found(client, "septentrion") == ["Légumerie"]
    assert found(client, "quiparle") == ["Légumerie"]


def test_a_save_that_changes_no_copied_name_rewrites_no_search_data():
    structure = StructureFactory(name="Atelier Dupont")
    CooperationFactory(published=True, participants=[structure])
    structure.phone = "0320000000"
    with CaptureQueriesContext(connection) as queries:
        structure.save()

    assert not [q["sql"] for q in queries.captured_queries if "search_vector" in q["sql"]]


def test_renaming_a_sector_refreshes_its_fiches(client):
    sector = SectorFactory(name="Maraîchage")
    CooperationFactory(published=True, title="Jardins partagés", sectors=[sector])
    sector.name = "Horticulture"
    sector.save()

    assert found(client, "horticulture") == ["Jardins partagés"]


def test_load_territories_refreshes_the_fiches_of_a_renamed_territory(client, tmp_path):
    places = real_places()
    CooperationFactory(published=True, title="Légumerie", departments=[places["nord"]])
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as file:
        data = json.load(file)
    next(row for row in data["departments"] if row[0] == "59")[1] = "Septentrion"
    path = tmp_path / "cog.json.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as file:
        json.dump(data, file)
    call_command("load_territories", "--file", str(path), stdout=StringIO())

    assert found(client, "septentrion") == ["Légumerie"]
