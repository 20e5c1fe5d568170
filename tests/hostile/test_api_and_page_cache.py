"""The API is never answered from the page cache: its rate limit, `Accept` and `If-None-Match` are
the view's to answer, for every request."""

import pytest

pytestmark = pytest.mark.django_db
REGIONS = "/api/v1/regions/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_the_rate_limit_applies_to_answers_that_were_computed_before(client, settings):
    settings.API_ANON_RATE = "3/minute"
    statuses = [client.get(REGIONS).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_an_indented_answer_is_not_served_to_others(client):
    indented = client.get(REGIONS, HTTP_ACCEPT="application/json; indent=8")
    assert b"\n        " in indented.content
    plain = client.get(REGIONS)
    assert b"\n" not in plain.content.strip()


def test_a_client_that_has_the_answer_gets_304(client):
    first = client.get(REGIONS)
    again = client.get(REGIONS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again.content) == (304, b"")
