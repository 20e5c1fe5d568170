import shutil

import pytest
import yaml

from cooperations.models import Cooperation, CooperationForm, LevelSheet
from cooperations.seed import FIXTURES_DIR, SeedError, SeedLoader
from structures.models import Sector, Structure

pytestmark = pytest.mark.django_db


def test_a_dry_run_writes_nothing(db):
    report = SeedLoader().load(dry_run=True)
    assert report.counts[("fiches", "created")] > 0
    assert not Cooperation.objects.exists()


def test_a_fixture_error_names_the_file_and_the_entry_and_writes_nothing(db, tmp_path):
    shutil.copytree(FIXTURES_DIR, tmp_path / "fixtures")
    path = tmp_path / "fixtures" / "seed" / "avise-cooperations-siae.yaml"
    data = yaml.safe_load(path.read_text())
    data["cooperations"][0]["level"] = "tres-fort"
    data["cooperations"][0]["departments"] = ["999"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))

    with pytest.raises(SeedError) as error:
        SeedLoader(tmp_path / "fixtures").load()

    title = data["cooperations"][0]["title"]
    assert (
        f"avise-cooperations-siae.yaml, fiche « {title} » : niveau inconnu « tres-fort »"
        in error.value.errors
    )
    assert (
        f"avise-cooperations-siae.yaml, fiche « {title} » : département inconnu « 999 »" in error.value.errors
    )
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()


def test_the_reference_alone_loads_sectors_forms_and_levels_without_any_fiche(db):
    report = SeedLoader().load(reference_only=True)

    assert report.counts[("secteurs", "created")] == Sector.objects.count() > 0
    assert report.counts[("formes", "created")] == CooperationForm.objects.count() > 0
    assert LevelSheet.objects.count() == 3
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()
