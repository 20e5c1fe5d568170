"""The unfiltered list's facet counts, kept in a table on each change (cooperations/facet_counts.py),
always equal to the counts over the fiches (facets.py)."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from cooperations import facet_counts
from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation, FacetCount, FacetKey, Participation
from structures.models import Structure
from territories.models import Department
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    SectorFactory,
    StructureFactory,
    real_places,
)

pytestmark = pytest.mark.django_db


def recounted():
    return CooperationFilter(QueryDict(), queryset=Cooperation.objects.published()).recount()


def kept():
    return CooperationFilter.every_fiche_counts()


@pytest.fixture
def directory():
    places = real_places()
    gme, ptce = CooperationFormFactory(code="gme"), CooperationFormFactory(code="ptce")
    food = SectorFactory(name="Alimentation", slug="alimentation")
    aci, ei = StructureFactory(kind=Structure.Kind.ACI), StructureFactory(kind=Structure.Kind.EI)
    fiches = {
        "nord": CooperationFactory(
            published=True, departments=[places["nord"]], forms=[gme], sectors=[food], participants=[aci, ei]
        ),
        "two": CooperationFactory(
            published=True, departments=[places["nord"], places["pas-de-calais"]], forms=[gme, ptce]
        ),
        "regional": CooperationFactory(
            published=True, scope="regional", departments=[places["rhone"]], participants=[aci]
        ),
        "region": CooperationFactory(published=True, regions=[places["hdf"]], level="strategic"),
        "national": CooperationFactory(published=True, scope="national", departments=[places["guadeloupe"]]),
        "draft": CooperationFactory(departments=[places["nord"]], forms=[ptce], participants=[ei]),
    }
    return places, fiches, (gme, ptce, food, aci, ei)


def test_the_kept_counts_are_the_counts_over_the_fiches(directory):
    counts = kept()
    assert counts == recounted()
    assert counts["form"] == {"gme": 2, "ptce": 1}
    # Nord: its two fiches, the regional one of its region, and the national one, counted everywhere.
    assert counts["department"]["59"] == 4 and counts["department"]["13"] == 1


def test_they_follow_each_kind_of_change(directory):
    places, fiches, (gme, ptce, food, aci, ei) = directory
    fiches["draft"].status = Cooperation.Status.PUBLISHED
    fiches["draft"].save()
    assert kept() == recounted()
    fiches["nord"].status = Cooperation.Status.DRAFT
    fiches["nord"].save()
    assert kept() == recounted()
    fiches["two"].forms.remove(ptce)
    fiches["two"].sectors.add(food)
    fiches["regional"].regions.add(places["hdf"])
    assert kept() == recounted()
    Participation.objects.create(cooperation=fiches["two"], structure=ei)
    aci.kind = Structure.Kind.EA
    aci.save()
    assert kept() == recounted()
    gme.code = "gme-renamed"
    gme.save()
    assert kept() == recounted()
    rhone = Department.objects.get(code="69")
    rhone.region = places["hdf"]
    rhone.save()
    assert kept() == recounted()
    fiches["national"].scope = "local"
    fiches["national"].save()
    fiches["region"].delete()
    assert kept() == recounted()


def test_a_rebuild_gives_the_same_counts(directory):
    before = kept()
    facet_counts.rebuild()
    assert kept() == before


def test_the_unfiltered_list_reads_its_counts_from_the_table(client, directory):
    response = client.get(reverse("cooperations:list"))
    assert response.context["page"].paginator.count == 5
    Cooperation.objects.filter(pk=directory[1]["nord"].pk).update(level="strategic")  # no signal
    response = client.get(reverse("cooperations:list"), {"sort": "recent"})
    # The table was not told: it still counts the fiche as simple, which the recount would not.
    assert response.context["filterset"].counts["level"] == kept()["level"] != recounted()["level"]


def test_merging_the_moves_keeps_the_counts(directory, monkeypatch):
    places, fiches, (gme, ptce, food, aci, ei) = directory
    before = kept()
    monkeypatch.setattr(facet_counts, "MERGE_EVERY", 1)
    fiches["two"].forms.add(ptce)  # already there: no move, no merge
    fiches["draft"].status = Cooperation.Status.PUBLISHED
    fiches["draft"].save()  # moves, then merged into one row per value
    rows = list(FacetCount.objects.values_list("facet", "value"))

    assert len(rows) == len(set(rows))
    assert kept() == recounted() != before


def test_deleting_fiches_then_their_structures_leaves_no_key_and_no_count(directory):
    # The participations' signals rewrite a fiche's keys while the fiche is being deleted.
    Cooperation.objects.all().delete()
    Structure.objects.all().delete()

    assert not FacetKey.objects.exists()
    assert kept() == recounted() == {name: {} for name in kept()}
