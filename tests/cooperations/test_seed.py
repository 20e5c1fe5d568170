import pytest
import yaml
from django.db.models import Count, Q

from cooperations.models import Cooperation, Participation
from cooperations.seed import FIXTURES_DIR, SeedLoader
from structures.models import Structure

pytestmark = pytest.mark.django_db


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


def test_each_seeded_fiche_has_one_version_in_its_history(seeded):
    versions = Cooperation.history.values("id").annotate(n=Count("history_id"))
    assert {row["n"] for row in versions} == {1}


def test_loading_twice_changes_nothing(seeded):
    updated_at = dict(Cooperation.objects.values_list("slug", "updated_at"))
    history_rows = Cooperation.history.count()
    second = SeedLoader().load()
    assert {outcome for (_label, outcome) in second.counts} == {"unchanged"}
    assert dict(Cooperation.objects.values_list("slug", "updated_at")) == updated_at
    assert Cooperation.history.count() == history_rows
