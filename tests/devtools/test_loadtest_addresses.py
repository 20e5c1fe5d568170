"""The load test's addresses (manage.py loadtest_addresses): many, distinct, of every kind, the same
every run, and each a page that answers 200."""

import io
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from cooperations.seed import SeedLoader
from devtools import synthetic
from devtools.loadtest_addresses import DEFAULT_COUNT, Generator, by_kind, read_queries

pytestmark = pytest.mark.django_db
QUERIES = settings.BASE_DIR / "loadtest" / "queries.txt"


@pytest.fixture
def directory():
    SeedLoader().load(reference_only=True)
    return synthetic.generate(60, structure_count=40, seed=3)


def test_the_queries_file_holds_200_distinct_french_queries():
    queries = read_queries(QUERIES)
    assert len(queries) == 200
    assert len(set(queries)) == 200
    assert "insertion" in queries and "légumerie" in queries and "legumerie" in queries


def test_the_default_gives_at_least_2000_distinct_addresses_of_every_kind(directory):
    addresses = Generator(queries=read_queries(QUERIES)).addresses()
    assert DEFAULT_COUNT >= 2000
    assert len(addresses) == DEFAULT_COUNT
    assert len({address.url for address in addresses}) == len(addresses)
    counts = by_kind(addresses)
    # Every fiche of this small directory, the rest lists and searches.
    assert counts["fiche"] == 60
    assert counts["search"] == 500 and counts["list"] == DEFAULT_COUNT - 560
    # The most popular address is the unfiltered list.
    assert (addresses[0].kind, addresses[0].url) == ("list", "/cooperations/")
    searched = {parse_qs(urlsplit(a.url).query)["q"][0] for a in addresses if a.kind == "search"}
    assert searched == set(read_queries(QUERIES))
    filters = Counter(
        name
        for address in addresses
        if address.kind == "list"
        for name in parse_qs(urlsplit(address.url).query)
    )
    for name in ("region", "department", "level", "form", "structure_kind", "kinds", "sector", "page"):
        assert filters[name] > 0, name
    assert filters["year_min"] + filters["year_max"] > 0


def test_the_same_database_and_seed_give_the_same_addresses(directory):
    queries = read_queries(QUERIES)
    first = Generator(queries=queries, seed=5).addresses(300)
    assert Generator(queries=queries, seed=5).addresses(300) == first
    assert Generator(queries=queries, seed=6).addresses(300) != first


def test_every_address_answers_200(client, directory):
    addresses = Generator(queries=read_queries(QUERIES), seed=2).addresses(160)
    assert all(by_kind(addresses).values())
    failed = [
        (address.url, status)
        for address in addresses
        if (status := client.get(address.url).status_code) != 200
    ]
    assert failed == []


def test_the_command_writes_one_address_a_line_with_its_kind(directory, tmp_path):
    output = tmp_path / "urls.txt"
    out = io.StringIO()
    call_command("loadtest_addresses", count=120, output=str(output), stdout=out)
    lines = output.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == 120
    assert all(line.split("\t")[0] in {"fiche", "list", "search"} for line in lines)
    assert all(line.split("\t")[1].startswith("/cooperations/") for line in lines)
    assert "120 adresses distinctes" in out.getvalue()


def test_the_command_checks_the_answers_and_writes_nothing_on_a_dry_run(directory, tmp_path):
    output = tmp_path / "urls.txt"
    out = io.StringIO()
    call_command("loadtest_addresses", count=40, check=True, dry_run=True, output=str(output), stdout=out)
    assert not output.exists()
    assert "toutes répondent 200" in out.getvalue()
