"""bench_export measures the list's exports and prints each goal; the figures are never asserted."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cooperations.exports import export_cooperations
from cooperations.seed import SeedLoader
from devtools import bench, synthetic
from devtools.management.commands.bench_export import _exported

pytestmark = pytest.mark.django_db


@pytest.fixture
def here(monkeypatch):
    """The test database stands for the bench database."""
    monkeypatch.setattr(bench, "use_bench_database", lambda **kwargs: None)


def test_the_benchmark_prints_each_goal_and_the_csv_s_fingerprint(here):
    SeedLoader().load(reference_only=True)
    synthetic.generate(40, structure_count=20, seed=3)
    out = io.StringIO()
    call_command("bench_export", repeat=1, stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "40 fiches publiées" in text
    for goal in ("CSV en 1.5 s ou moins", "CSV en mémoire constante", "XLSX en 5.0 s ou moins"):
        assert re.search(f"^Objectif {goal} : (atteint|MANQUÉ) ", text, re.MULTILINE), goal
    assert re.search(r"^\d objectifs atteints sur 3\.$", text, re.MULTILINE)
    # The fiches of the unfiltered list, in its order, as its export view writes them.
    content, _type, _name = export_cooperations(_exported(), "csv", base_url="https://example.org/")
    assert f"SHA-256 du CSV : {hashlib.sha256(content).hexdigest()}" in text


def test_an_empty_bench_database_is_refused(here):
    with pytest.raises(CommandError, match="est vide"):
        call_command("bench_export", stdout=io.StringIO(), stderr=io.StringIO())
