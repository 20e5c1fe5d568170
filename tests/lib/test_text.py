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


def test_slugs_are_cut_after_a_whole_word_within_the_given_length():
    assert slug_for("Un titre très long " * 10, max_length=20) == "un-titre-tres-long"
    assert (
        slug_for("Du chantier d'insertion à l'entreprise adaptée", max_length=26)
        == "du-chantier-d-insertion-a"
    )
    assert slug_for("abc defgh", max_length=3) == "abc"  # the word ends exactly at the limit
    assert slug_for("Anticonstitutionnellement", max_length=10) == "anticonsti"  # one word: cut inside


def test_a_slug_folds_apostrophes_like_every_other_punctuation():
    assert slug_for("Blanchisserie de l'ACI du Nord") == "blanchisserie-de-l-aci-du-nord"
