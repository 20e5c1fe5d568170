"""Any query string on a list, search or export address gets an answer, never a server error.

Hypothesis draws query strings from the parameters the pages read and from unknown ones, with values
of every kind: unicode, huge numbers, SQL- and HTML-looking text, NUL bytes, repeated parameters.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from territories.models import Region
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    SectorFactory,
    StructureFactory,
    real_places,
)

pytestmark = pytest.mark.django_db

PARAMETERS = [
    "q", "region", "department", "level", "form", "structure_kind", "sector", "year_min", "year_max",
    "sort", "page", "kind", "format",
]  # fmt: skip
NASTY = [
    "' OR 1=1 --",
    "'; DROP TABLE cooperations_cooperation; --",
    '"><script>alert(1)</script>',
    "{{7*7}}",
    "%00",
    "\x00",
    "a\x00b",
    "9" * 40,
    "-1",
    "1e308",
    "NaN",
    "ÉCOPÔLE œuvre ß 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🤝",
    "\u202e\u200b",
    " ",
    '"unclosed phrase -',
    "or or -",
    "29",
    "53",
    "simple",
    "title",
    "ACI",
    "xlsx",
    "json",
]
values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=60),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
keys = st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=12))
queries = st.lists(st.tuples(keys, values), max_size=8)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def directory():
    places = real_places()
    form = CooperationFormFactory(code="gme")
    sector = SectorFactory(slug="alimentation")
    for title in ("Légumerie partagée", "Recyclerie du port"):
        CooperationFactory(
            published=True,
            title=title,
            forms=[form],
            sectors=[sector],
            departments=[places["nord"]],
            participants=[StructureFactory(department=places["nord"])],
            start_year=2015,
        )
    return places


def addresses(places):
    return [
        reverse("cooperations:list"),
        reverse("structures:list"),
        reverse("territories:index"),
        places["hdf"].get_absolute_url(),
        places["nord"].get_absolute_url(),
        reverse("cooperations:export"),
    ]


@FUZZ
@given(query=queries)
def test_no_query_string_makes_a_server_error(client, directory, query):
    for url in addresses(directory):
        response = client.get(f"{url}?{urlencode(query)}")
        assert response.status_code < 500, (url, query)
        if response.streaming:  # the CSV export: its rows are read as it is sent
            assert b"".join(response.streaming_content).startswith("\ufeff".encode()), (url, query)


@FUZZ
@given(query=queries)
def test_no_query_string_makes_a_server_error_when_htmx_asks_for_the_results(client, directory, query):
    response = client.get(
        f"{reverse('cooperations:list')}?{urlencode(query)}", headers={"HX-Request": "true"}
    )
    assert response.status_code < 500, query


def test_the_real_regions_are_there_to_be_fuzzed():
    # The region pages above are real ones: the test database holds the official territories.
    assert Region.objects.filter(code="32", slug="hauts-de-france").exists()
