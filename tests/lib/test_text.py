import pytest

from lib.text import fold, slug_for


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Villeneuve-d'Ascq", "villeneuve d ascq"),
        ("VILLENEUVE D’ASCQ", "villeneuve d ascq"),
        ("  Seine--Saint-Denis ", "seine saint denis"),
        ("Écopôle alimentaire", "ecopole alimentaire"),
        ("Cœur de Savoie", "coeur de savoie"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_ignores_case_accents_hyphens_and_apostrophes(value, expected):
    assert fold(value) == expected


def test_slugs_fold_accents_and_punctuation():
    assert slug_for("Écopôle alimentaire d'Audruicq") == "ecopole-alimentaire-d-audruicq"
    assert slug_for("Œuvre : « Cœur » !") == "oeuvre-coeur"


def test_slugs_are_cut_at_the_given_length_without_a_trailing_hyphen():
    assert slug_for("Un titre très long " * 10, max_length=20) == "un-titre-tres-long-u"
