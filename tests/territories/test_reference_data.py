"""The shipped Code officiel géographique 2026, as loaded into every test database."""

import pytest

from territories.models import EPCI, Commune, Department, Region

pytestmark = pytest.mark.django_db


def test_france_has_18_regions_101_departments_and_1255_epci():
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert EPCI.objects.count() == 1255


def test_every_current_commune_of_the_101_departments_is_loaded():
    # The package lists 34,969 current communes; 94 are in overseas collectivities outside the
    # 101 departments (Polynésie française, Nouvelle-Calédonie…) and are left out.
    assert Commune.objects.count() == 34875


def test_nord_belongs_to_hauts_de_france():
    nord = Department.objects.select_related("region").get(code="59")
    assert nord.name == "Nord"
    assert (nord.region.code, nord.region.name) == ("32", "Hauts-de-France")


def test_corsica_departments_keep_their_letter_codes():
    assert Department.objects.get(code="2A").name == "Corse-du-Sud"
    assert Department.objects.get(code="2B").name == "Haute-Corse"
    assert Commune.objects.get(code="2A004").name == "Ajaccio"


def test_overseas_departments_have_three_digit_codes_and_their_own_region():
    guadeloupe = Department.objects.select_related("region").get(code="971")
    assert guadeloupe.name == "Guadeloupe"
    assert (guadeloupe.region.code, guadeloupe.region.name) == ("01", "Guadeloupe")


def test_saint_denis_93066_is_in_seine_saint_denis_and_the_grand_paris_metropolis():
    commune = Commune.objects.select_related("department", "epci").get(code="93066")
    assert commune.name == "Saint-Denis"
    assert commune.department.name == "Seine-Saint-Denis"
    assert (commune.epci.name, commune.epci.kind) == ("Métropole du Grand Paris", EPCI.Kind.METRO)
    assert commune.population > 100_000


def test_the_slug_and_folded_name_are_filled_although_bulk_create_skips_save():
    department = Department.objects.get(code="95")
    assert (department.slug, department.search_name) == ("val-d-oise", "val d oise")
    assert Region.objects.get(code="93").slug == "provence-alpes-cote-d-azur"
    assert Commune.objects.get(code="59009").search_name == "villeneuve d ascq"


def test_every_epci_kind_is_present_and_lyon_is_alone_in_its_kind():
    kinds = set(EPCI.objects.values_list("kind", flat=True))
    assert kinds == set(EPCI.Kind.values)
    assert EPCI.objects.get(kind=EPCI.Kind.MET69).communes.filter(code="69123").exists()


def test_only_four_island_communes_belong_to_no_epci():
    orphans = Commune.objects.filter(epci=None).order_by("code").values_list("code", "name")
    assert list(orphans) == [
        ("22016", "Île-de-Bréhat"),
        ("29083", "Île-de-Sein"),
        ("29155", "Ouessant"),
        ("85113", "L'Île-d'Yeu"),
    ]
