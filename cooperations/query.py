"""Reading what a person typed into clauses the search can look for: the web-search syntax
("quoted phrases", -exclusions, or), the field's synonyms (Synonym) and the words the directory knows.

A query is a list of OR-groups; a group is a list of clauses that must all hold; a clause holds when
one of its alternatives is found, and an alternative is a tuple of phrases (tuples of folded words)
that must all be found. « ensemblier insertion » gives two clauses: [ensemblier | ges | groupe
economique solidaire …] and [insertion].
"""

import re
from dataclasses import dataclass, replace

from django.db.models import CharField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from lib.cache import directory_cached
from lib.text import fold
from structures.models import Sector

from .models import Cooperation, Synonym
from .models.synonym import SEPARATOR, split_terms

# Words too common to narrow a search (the spirit of PostgreSQL's French stop words).
STOPWORDS = frozenset({
    "a", "au", "aux", "avec", "c", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "en", "et", "eux",
    "il", "ils", "j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me", "mes",
    "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que", "qui",
    "s", "sa", "se", "ses", "son", "sur", "t", "ta", "te", "tes", "toi", "ton", "tu", "un", "une", "vos",
    "votre", "vous", "y",
})  # fmt: skip
# The longest expression looked up among the synonyms, in words.
LONGEST_TERM = 8
# A bare number is a code or a year (department « 93 », « 2A », postal code « 76000 », year « 2013 »),
# never a figure of the text (« 93 % »): see search.number_condition().
NUMBER = re.compile(r"\d{1,5}|2[ab]")

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def singular(word):
    """Simple French plural folding: "boulangeries" -> "boulangerie", "animaux" -> "animal"."""
    if len(word) > 4 and word.endswith("eaux"):
        return word[:-1]
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def folded_words(text):
    return [singular(word) for word in fold(text).split()]


def key_words(text):
    """The words that carry the meaning of an expression: folded, stop words left out."""
    return tuple(word for word in folded_words(text) if word not in STOPWORDS)


@dataclass(frozen=True)
class Clause:
    excluded: bool
    alternatives: tuple  # of alternatives, each a tuple of phrases, each a tuple of folded words
    text: str = ""  # the words as typed, for messages
    # Places a commune name stands for: the fiches of these departments or EPCI also satisfy it.
    departments: tuple = ()
    epcis: tuple = ()
    # A bare number, found by the codes and years it may be (alternatives stay empty).
    number: str = ""

    @property
    def single_word(self):
        """The one word of a clause typed as a bare word with no synonym, else None."""
        if (
            len(self.alternatives) == 1
            and len(self.alternatives[0]) == 1
            and len(self.alternatives[0][0]) == 1
        ):
            return self.alternatives[0][0][0]
        return None

    def with_alternative_words(self, words):
        """The clause also satisfied by any of `words` (corrections of a misspelling)."""
        extra = tuple(((word,),) for word in words if ((word,),) not in self.alternatives)
        return replace(self, alternatives=self.alternatives + extra)

    def with_places(self, departments, epcis):
        return replace(self, departments=tuple(departments), epcis=tuple(epcis))


# A word of two parts of three letters or more joined by a hyphen: « éco-pâturage », « auto-école ».
HYPHENATED = r"([[:alpha:]]{3,}-[[:alpha:]]{3,})"


def _lines(*, hyphenated=False):
    """The lines of equivalent expressions (« GES ; ensemblier »), read in one query: the Synonym table,
    each sector with its short names, and, if asked, the hyphenated words of the published fiches'
    titles (a line without separator)."""
    sectors = Sector.objects.exclude(short_names="").values_list(
        Concat("name", Value(SEPARATOR), "short_names", output_field=CharField())
    )
    parts = [sectors]
    if hyphenated:
        titles = Cooperation.objects.published().values_list(
            RawSQL("(regexp_matches(title, %s, 'g'))[1]", [HYPHENATED], output_field=CharField())
        )
        parts.append(titles)
    return [line for (line,) in Synonym.objects.values_list("terms").union(*parts, all=True)]


def equivalence_groups():
    """[[expression, …]] of the expressions that mean the same thing: each line of the Synonym table,
    and each sector with its short names (« Bâtiment et travaux publics ; BTP »). What the search
    and the import both read: one definition of the field's vocabulary."""
    return [split_terms(line) for line in _lines()]


def synonyms():
    """{key words of an expression: the alternatives it stands for}, from equivalence_groups() and the
    hyphenated words of the titles, also found joined (« ecopaturage » finds « éco-pâturage », and
    « éco-pâturage » « écopâturage ») (cached)."""

    def read():
        table = {}
        for line in _lines(hyphenated=True):
            if SEPARATOR in line:
                terms, spelled = split_terms(line), folded_words
            else:  # As written, for the stemmer: « sous-traitance », not « sou traitance ».
                terms, spelled = [line, line.replace("-", "")], lambda term: fold(term).split()
            # Looked up by their key words; found as phrases (« clause d'insertion », not « clause » and
            # « insertion » anywhere in the fiche).
            group = {key_words(term): (tuple(spelled(term)),) for term in terms if key_words(term)}
            for words in group:
                table.setdefault(words, []).extend(group.values())
        return {words: tuple(dict.fromkeys(alternatives)) for words, alternatives in table.items()}

    return directory_cached("search_synonyms", read)


def _bare_clauses(words, table):
    """Clauses for a run of bare words, the longest expression found among the synonyms first."""
    clauses, i = [], 0
    while i < len(words):
        for length in range(min(LONGEST_TERM, len(words) - i), 0, -1):
            run = tuple(singular(word) for word in words[i : i + length])
            if run in table:
                clauses.append(Clause(False, table[run], " ".join(run)))
                i += length
                break
        else:
            if NUMBER.fullmatch(words[i]):
                clauses.append(Clause(False, (), words[i], number=words[i]))
            else:
                clauses.append(Clause(False, (((words[i],),),), words[i]))
            i += 1
    return clauses


def parse_query(text, table=None):
    """The OR-groups of clauses of a query; stop words are dropped (a phrase keeps them).

    Words are folded and kept in the plural: the French stemmer reduces them itself, and better than
    singular() would (« anges » and « ange » are not stemmed alike). The synonyms are looked up by
    their singular.
    """
    table = {} if table is None else table
    groups, current, run = [], [], []

    def close_run():
        current.extend(_bare_clauses(run, table))
        run.clear()

    for match in _TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            close_run()
            if current:
                groups.append(current)
                current = []
            continue
        if bare is not None and not (bare.startswith("-") and len(bare) > 1):
            run.extend(word for word in fold(bare).split() if word not in STOPWORDS)
            continue
        close_run()
        if bare is not None:
            minus, body = "-", bare[1:]
            words = [word for word in fold(body).split() if word not in STOPWORDS]
            current.extend(
                Clause(True, (), word, number=word)
                if NUMBER.fullmatch(word)
                else Clause(True, (((word,),),), word)
                for word in words
            )
            continue
        words = tuple(fold(quoted).split())
        if words and not all(word in STOPWORDS for word in words):
            current.append(Clause(bool(minus), ((words,),), quoted.strip()))
    close_run()
    if current:
        groups.append(current)
    # A group made only of exclusions would match nearly everything: it matches no fiche here.
    return [group for group in groups if any(not clause.excluded for clause in group)]
