"""The contact details the source documents give: loaded as written there, checked like any other."""

import shutil

import pytest
import yaml

from cooperations.seed import FIXTURES_DIR, SeedError, SeedLoader
from structures.models import Structure

pytestmark = pytest.mark.django_db


def test_the_structures_whose_document_gives_contact_details_have_them(seeded):
    coorace = Structure.objects.get(name="COORACE", kind="network")
    assert (coorace.address, coorace.postal_code, coorace.commune.name) == (
        "157 rue des Blains",
        "92220",
        "Bagneux",
    )
    assert (coorace.phone_display, coorace.email, coorace.website) == (
        "01 49 23 70 50",
        "contact@coorace.org",
        "https://www.coorace.org",
    )
    chacasol = Structure.objects.get(name="CHACASOL")
    assert (chacasol.address, chacasol.postal_code, chacasol.commune.name) == (
        "21 avenue du Général de Gaulle",
        "90100",
        "Delle",
    )
    # Written « 03.84.27 49 37 » in the document.
    assert (chacasol.phone.as_e164, chacasol.email) == ("+33384274937", "chacasol90@gmail.com")


def test_nothing_is_invented_for_the_others(seeded):
    with_contact = Structure.objects.exclude(email="", phone="", website="", address="")
    assert sorted(with_contact.values_list("name", flat=True)) == ["CHACASOL", "COORACE"]


def test_a_bad_or_unknown_contact_detail_is_named_with_its_structure_and_nothing_is_written(tmp_path):
    shutil.copytree(FIXTURES_DIR, tmp_path / "fixtures")
    path = tmp_path / "fixtures" / "seed" / "avise-cooperations-siae.yaml"
    data = yaml.safe_load(path.read_text())
    name = data["structures"][0]["name"]
    data["structures"][0]["contact"] = {"phone": "12 34", "fax": "01 02 03 04 05"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    before = Structure.objects.count()

    with pytest.raises(SeedError) as error:
        SeedLoader(tmp_path / "fixtures").load()

    where = f"avise-cooperations-siae.yaml, structure « {name} »"
    assert error.value.errors == [
        f"{where} : coordonnée inconnue « fax » (attendues : website, email, phone, address, postal_code)",
        f"{where} : « 12 34 » n'est pas un numéro de téléphone valide : dix chiffres pour la France "
        "(03 84 27 49 37), l'indicatif pour l'étranger (+32 2 555 12 12).",
    ]
    assert Structure.objects.count() == before
