"""Finding a region, department or commune from a code or a name, in forms and in bulk imports."""

import contextlib

import pytest

from territories.lookups import (
    TerritoryIndex,
    TerritoryLookupError,
    find_commune,
    find_department,
    find_region,
)
from territories.models import Commune

pytestmark = pytest.mark.django_db

FIND = {"region": find_region, "department": find_department, "commune": find_commune}

FOUND = [
    ("department", "93", "93"),
    ("department", "2a", "2A"),
    ("department", "2A", "2A"),
    ("department", "1", "01"),
    ("department", "01", "01"),
    ("department", "971", "971"),
    ("department", 93, "93"),
    ("department", 1.0, "01"),  # a number cell read from a spreadsheet
    ("department", "seine saint denis", "93"),
    ("department", "SEINE-SAINT-DENIS", "93"),
    ("department", "Cote d’Or", "21"),
    ("department", "93 Seine-Saint-Denis", "93"),
    ("department", "Seine-Saint-Denis (93)", "93"),
    ("region", "Hauts de France", "32"),
    ("region", "hauts-de-france", "32"),
    ("region", "32", "32"),
    ("region", "32 Hauts-de-France", "32"),
    ("region", "provence alpes cote d'azur", "93"),
    ("region", "1", "01"),
    ("commune", "Villeneuve d'Ascq", "59009"),
    ("commune", "villeneuve-d-ascq", "59009"),
    ("commune", "  VILLENEUVE D’ASCQ ", "59009"),
    ("commune", "Saint-Denis (93)", "93066"),
    ("commune", "Saint-Denis (974)", "97411"),
    ("commune", "Saint-Denis (La Réunion)", "97411"),
    ("commune", "93066", "93066"),
    ("commune", "93066 Saint-Denis", "93066"),
    ("commune", "2a004", "2A004"),
    ("commune", "Ajaccio (20)", "2A004"),
    ("commune", 1001, "01001"),  # a spreadsheet dropped the leading zero
    ("commune", "Château-Chinon (Ville)", "58062"),  # parentheses belonging to the name
    ("commune", "Château-Chinon (Ville) (58)", "58062"),
]

SAINT_DENIS = ["Saint-Denis (11)", "Saint-Denis (30)", "Saint-Denis (93)", "Saint-Denis (974)"]

REFUSED = [
    (
        "department",
        "Seine St Denis",
        "« Seine St Denis » est inconnu ; vouliez-vous dire 93 Seine-Saint-Denis ?",
        ["93 Seine-Saint-Denis"],
    ),
    (
        "commune",
        "Saint-Denis",
        "« Saint-Denis » désigne plusieurs communes : Saint-Denis (11, Aude), Saint-Denis (30, Gard), "
        "Saint-Denis (93, Seine-Saint-Denis), Saint-Denis (974, La Réunion) ; ajoutez le département, "
        "par exemple « Saint-Denis (11) ».",
        SAINT_DENIS,
    ),
    (
        "commune",
        "Saint-Denis (75)",
        "« Saint-Denis (75) » est inconnu ; vouliez-vous dire Saint-Denis (11), Saint-Denis (30), "
        "Saint-Denis (93) ou Saint-Denis (974) ?",
        SAINT_DENIS,
    ),
    (
        "commune",
        "Sant-Denis (93)",
        "« Sant-Denis (93) » est inconnu ; vouliez-vous dire Saint-Denis (93) ?",
        ["Saint-Denis (93)"],
    ),
    ("commune", "Lile", "« Lile » est inconnu ; vouliez-vous dire Lille (59) ?", ["Lille (59)"]),
    ("commune", "93200", "« 93200 » est inconnu.", []),  # a postal code, not an INSEE code
    (
        "department",
        "20",
        "« 20 » désigne plusieurs départements : 2A Corse-du-Sud, 2B Haute-Corse ; indiquez le code, "
        "par exemple « 2A ».",
        ["2A Corse-du-Sud", "2B Haute-Corse"],
    ),
    (
        "department",
        "Corse",
        "« Corse » est inconnu ; vouliez-vous dire 2A Corse-du-Sud ou 2B Haute-Corse ?",
        ["2A Corse-du-Sud", "2B Haute-Corse"],
    ),
    ("department", "93 Nord", "« 93 Nord » est inconnu ; vouliez-vous dire 59 Nord ?", ["59 Nord"]),
    ("department", "99", "« 99 » est inconnu.", []),
    ("department", "", "Indiquez un département.", []),
    ("commune", None, "Indiquez une commune.", []),
    (
        "region",
        "Hauts de Seine",
        "« Hauts de Seine » est inconnu ; vouliez-vous dire 32 Hauts-de-France ?",
        ["32 Hauts-de-France"],
    ),
]


def resolve_with_index(index, kind, value):
    return getattr(index, kind)(value)


@pytest.mark.parametrize(("kind", "value", "code"), FOUND)
def test_a_code_or_a_name_finds_the_territory(kind, value, code, territory_index):
    assert FIND[kind](value).code == code
    assert resolve_with_index(territory_index, kind, value).code == code


@pytest.mark.parametrize(("kind", "value", "message", "suggestions"), REFUSED)
def test_an_unknown_or_ambiguous_value_is_refused_with_a_french_message(
    kind, value, message, suggestions, territory_index
):
    with pytest.raises(TerritoryLookupError) as found:
        FIND[kind](value)
    with pytest.raises(TerritoryLookupError) as indexed:
        resolve_with_index(territory_index, kind, value)
    assert (found.value.message, found.value.suggestions) == (message, suggestions)
    assert (indexed.value.message, indexed.value.suggestions) == (message, suggestions)
    assert str(found.value) == message
    assert isinstance(found.value, ValueError)


@pytest.mark.parametrize("suggestion", SAINT_DENIS + ["93 Seine-Saint-Denis"])
def test_every_suggestion_can_be_typed_back_as_is(suggestion, territory_index):
    kind = "department" if suggestion[0].isdigit() else "commune"
    assert str(FIND[kind](suggestion)) == suggestion
    assert str(resolve_with_index(territory_index, kind, suggestion)) == suggestion


def test_homonyms_in_one_department_are_told_apart_by_their_insee_code():
    Commune.objects.create(code="93999", name="Saint-Denis", department_id="93")
    index = TerritoryIndex()
    expected = (
        "« Saint-Denis (93) » désigne plusieurs communes du même département : 93066 Saint-Denis, "
        "93999 Saint-Denis ; indiquez le code INSEE, par exemple « 93066 ».",
        ["93066 Saint-Denis", "93999 Saint-Denis"],
    )
    for resolve in (find_commune, index.commune):
        with pytest.raises(TerritoryLookupError) as error:
            resolve("Saint-Denis (93)")
        assert (error.value.message, error.value.suggestions) == expected
        assert resolve("93999 Saint-Denis").code == "93999"


@pytest.mark.parametrize(("kind", "value"), [(k, v) for k, v, _ in FOUND] + [(k, v) for k, v, *_ in REFUSED])
def test_find_takes_at_most_three_indexed_queries(kind, value, django_assert_max_num_queries):
    # By code or by folded name; for "Name (qualifier)", the name alone; for an unknown value, the
    # candidates for suggestions (every region or department, or communes sharing a word).
    with django_assert_max_num_queries(3), contextlib.suppress(TerritoryLookupError):
        FIND[kind](value)


def test_find_by_code_or_name_takes_a_single_query(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the commune with its department and region
        commune = find_commune("93066")
        assert commune.department.region.name == "Île-de-France"
    with django_assert_max_num_queries(1):  # the department with its region, by folded name
        assert find_department("seine saint denis").region.code == "11"


def test_the_index_is_built_in_three_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # regions, departments, communes
        index = TerritoryIndex()
    assert index.commune("93066").department.region.code == "11"


def test_the_index_resolves_a_thousand_values_without_a_query(territory_index, django_assert_max_num_queries):
    communes = list(Commune.objects.order_by("code")[:1000])
    # Codes, "Name (department)" and shouted names, as a spreadsheet would mix them.
    values = [
        [c.code, str(c), f"{c.name.upper()} ({c.department_id})"][i % 3] for i, c in enumerate(communes)
    ]
    with django_assert_max_num_queries(0):
        resolved = [territory_index.commune(value) for value in values]
    assert [c.code for c in resolved] == [c.code for c in communes]


def test_a_row_with_departments_tells_homonymous_communes_apart(territory_index):
    with pytest.raises(TerritoryLookupError):
        find_commune("Saint-Omer")  # Calvados and Pas-de-Calais each have one
    assert find_commune("Saint-Omer", departments=["62"]).code == "62765"
    assert territory_index.commune("Saint-Omer", ["59", "62"]).code == "62765"
    assert territory_index.commune("Saint-Omer", ["14"]).code == "14635"


def test_homonyms_outside_the_rows_departments_are_still_ambiguous(territory_index):
    with pytest.raises(TerritoryLookupError) as refused:
        territory_index.commune("Saint-Omer", ["59"])
    assert refused.value.suggestions == ["Saint-Omer (14)", "Saint-Omer (62)"]


def test_suggestions_for_a_misspelt_commune_start_with_the_rows_departments(territory_index):
    with pytest.raises(TerritoryLookupError) as refused:
        territory_index.commune("Saint Omere", ["62"])
    assert refused.value.suggestions[0] == "Saint-Omer (62)"
    assert refused.value.message.startswith(
        "« Saint Omere » est inconnu ; vouliez-vous dire Saint-Omer (62), "
    )
