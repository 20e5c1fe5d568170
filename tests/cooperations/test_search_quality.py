"""The relevance set (fixtures/search/relevance.yaml) run on the seeded fiches, in CI: the search may
not fall below the figures it reached when the thresholds were set."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cooperations.search_quality import Case, RelevanceSetError, measure, read_cases

# Measured on the seeded fiches (see the README, « Recherche »): 100 % recall@10, 100 % first, 100 % top 3
# (before: 93.4 %, 96.4 % and 90.9 %); a query or two of slack each.
MIN_RECALL_AT_10 = 0.99
MIN_FIRST_SHARE = 0.98
MIN_TOP3_SHARE = 0.98


@pytest.fixture
def seed(seeded, db):
    return seeded


def test_the_relevance_set_has_at_least_sixty_queries_of_every_kind():
    cases = read_cases()
    assert len(cases) >= 60
    kinds = {"trade", "place", "number", "kind", "form", "typo", "name", "mixed"}
    assert {case.kind for case in cases} == kinds
    assert all(case.expected for case in cases)


def test_the_search_stays_above_its_measured_thresholds(seed):
    report = measure()
    misses = [(o.case.query, o.misses) for o in report.misses]
    assert report.recall_at_10 >= MIN_RECALL_AT_10, misses
    assert report.first_share >= MIN_FIRST_SHARE, misses
    assert report.top3_share >= MIN_TOP3_SHARE, misses


def test_the_command_prints_the_figures_and_each_miss(seed, tmp_path):
    path = tmp_path / "set.yaml"
    path.write_text(
        '- {query: "boulangerie", kind: trade, first: "Bou\'Sol"}\n'
        '- {query: "boulangerie", kind: trade, first: "TRIVEO"}\n',
        encoding="utf-8",
    )
    out = StringIO()
    with pytest.raises(CommandError, match="Sous les seuils : en premier 50.0% < 90.0%"):
        call_command("search_quality", file=str(path), min_first=0.9, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "✗ « boulangerie » (trade)"
    assert lines[1].startswith("    attendue en premier : TRIVEO\xa0: une SAS commune")
    assert lines[2].startswith("    trouvées : Bou'Sol")
    assert lines[-1] == (
        "2 requêtes ; manquées : 1 ; rappel@10 : 50.0% ; attendue en premier : 50.0% ; "
        "attendues dans les 3 premières : 100.0%"
    )


def test_a_title_naming_no_fiche_is_refused_rather_than_ignored(seed):
    with pytest.raises(RelevanceSetError, match="« Fiche disparue » désigne 0 fiches publiées"):
        measure([Case("boulangerie", "trade", {}, "Fiche disparue", [], [])])
