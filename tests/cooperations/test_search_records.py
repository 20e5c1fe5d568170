"""Each search of the list is recorded (folded query, filters, count, day) with nothing that identifies
the visitor, even when the page cache serves the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperations.models import SearchRecord
from cooperations.models.search_record import QUERY_LENGTH
from tests.factories import CooperationFactory, SectorFactory

URL = reverse("cooperations:list")


@pytest.fixture
def fiches(db):
    food = SectorFactory(slug="food", name="Alimentation")
    CooperationFactory(published=True, title="Épicerie solidaire", sectors=[food])
    CooperationFactory(published=True, title="Épicerie sociale")
    return food


def test_a_search_is_recorded_folded_with_its_filters_and_count(client, fiches):
    client.get(URL, {"q": "  ÉPICERIE   ", "sector": ["food", "inconnu"], "sort": "title", "page": "1"})
    record = SearchRecord.objects.get()
    assert record.query == "epicerie"
    assert record.filters == {"sector": "food"}  # known filters only; not the sort
    assert record.result_count == 1
    assert record.searched_on == timezone.localdate()


def test_nothing_identifying_the_visitor_is_kept(client, fiches):
    client.get(URL, {"q": "épicerie"}, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Navigateur/1.0")
    fields = {field.name for field in SearchRecord._meta.get_fields()}
    assert fields == {"id", "query", "filters", "result_count", "searched_on"}
    assert isinstance(SearchRecord.objects.get().searched_on, datetime.date)  # a day, no time


def test_a_search_without_result_is_recorded_with_zero(client, fiches):
    client.get(URL, {"q": "blanchisserie"})
    assert list(SearchRecord.objects.values_list("query", "result_count")) == [("blanchisserie", 0)]


def test_the_list_without_search_and_the_next_pages_are_not_recorded(client, fiches):
    client.get(URL)
    client.get(URL, {"sector": "food"})
    client.get(URL, {"q": "épicerie", "page": "2"})
    assert not SearchRecord.objects.exists()


def test_a_long_query_is_stored_cut_to_its_bound(client, fiches):
    client.get(URL, {"q": "épicerie " * 22})  # 198 characters: accepted by the list
    assert len(SearchRecord.objects.get().query) <= QUERY_LENGTH


def test_a_page_served_by_the_page_cache_is_counted_too(client, fiches, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 300
    client.get(URL, {"q": "épicerie"})
    # The second time the page comes from the cache: no query but the record's INSERT.
    with django_assert_num_queries(1):
        response = client.get(URL, {"q": "épicerie"})
    assert response.status_code == 200
    assert list(SearchRecord.objects.values_list("query", "result_count")) == [("epicerie", 2)] * 2
