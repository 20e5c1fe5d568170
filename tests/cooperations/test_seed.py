import shutil

import pytest
import yaml
from django.db.models import Count, Q

from cooperations.models import Cooperation, Participation
from cooperations.seed import FIXTURES_DIR, SeedError, SeedLoader
from structures.models import Structure

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    return SeedLoader().load()


def test_the_seed_publishes_every_fiche_of_the_files(seeded):
    expected = sum(
        len(yaml.safe_load(p.read_text())["cooperations"]) for p in (FIXTURES_DIR / "seed").glob("*.yaml")
    )
    assert expected >= 45
    assert Cooperation.objects.published().count() == expected
    assert not Cooperation.objects.exclude(status=Cooperation.Status.PUBLISHED).exists()


def test_every_published_fiche_is_complete(seeded):
    incomplete = (
        Cooperation.objects.published()
        .annotate(
            n_participants=Count("participations", distinct=True),
            n_departments=Count("departments", distinct=True),
            n_regions=Count("regions", distinct=True),
            n_sectors=Count("sectors", distinct=True),
            n_sources=Count("sources", distinct=True),
        )
        .filter(
            Q(title="")
            | Q(level="")
            | Q(summary="")
            | Q(n_participants=0)
            | Q(n_sectors=0)
            | Q(n_sources=0)
            | (Q(n_departments=0) & Q(n_regions=0) & ~Q(scope=Cooperation.Scope.NATIONAL))
        )
    )
    assert list(incomplete.values_list("title", flat=True)) == []


def test_every_participant_has_a_kind_and_no_two_structures_share_a_folded_name_and_kind(seeded):
    assert not Structure.objects.filter(participations__isnull=False, kind="").exists()
    duplicates = Structure.objects.values("search_name", "kind").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(duplicates) == []


def test_every_fiche_has_a_lead_or_partner(seeded):
    without = Cooperation.objects.published().exclude(
        participations__role__in=[Participation.Role.LEAD, Participation.Role.PARTNER]
    )
    assert list(without.values_list("title", flat=True)) == []


def test_places_are_consistent_with_the_reference_data(seeded):
    for cooperation in Cooperation.objects.prefetch_related("communes", "departments"):
        departments = {d.code for d in cooperation.departments.all()}
        for commune in cooperation.communes.all():
            assert commune.department_id in departments, (cooperation.title, commune.code)
    for structure in Structure.objects.filter(commune__isnull=False).select_related("commune"):
        assert structure.department_id == structure.commune.department_id


def test_loading_twice_changes_nothing(seeded):
    updated_at = dict(Cooperation.objects.values_list("slug", "updated_at"))
    second = SeedLoader().load()
    assert {outcome for (_label, outcome) in second.counts} == {"unchanged"}
    assert dict(Cooperation.objects.values_list("slug", "updated_at")) == updated_at


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
