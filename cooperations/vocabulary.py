"""The directory's own words, to tolerate misspellings and to say « Vouliez-vous dire … ? », and the
commune names a query may contain.

The words are those of the published fiches' titles, their participants' names and places, the forms,
sectors (and their short names) and regions and departments, the synonyms, and the words of the
published fiches' public text (summary, sections, figures; never the internal note): what a director
is likely to type, and nothing a visitor cannot read. They are read once per change of the directory
(lib.cache), and only when a search finds nothing; the words of the text at most once an hour. A query
word the directory does not know is compared with them by pg_trgm's similarity(); a hyphenated word is
also offered joined (« ecopaturage » for « éco-pâturage »).
"""

from difflib import SequenceMatcher

from django.core.cache import cache
from django.db import connection

from lib.cache import directory_cached
from structures.models import Sector, Structure
from territories.models import Commune, Department, Region

from .models import Cooperation, CooperationForm, Participation
from .query import STOPWORDS, equivalence_groups, fold, singular

# Words shorter than this are codes (EA, GE, RQ) or stop words: never corrected.
MIN_LENGTH = 4
# How close a directory word must be to stand for a misspelled one (pg_trgm's similarity(), from 0 to 1),
# and how many of the closest are weighed.
SIMILARITY = 0.3
CANDIDATES = 5
TEXT_WORDS_SECONDS = 3600


def _text_words():
    """The distinct words of the published fiches' public text, as written (lower case), read by
    PostgreSQL: ts_stat over the `simple` configuration, which keeps every word and hyphenated whole."""
    columns = ", ".join(("summary", *Cooperation.SECTION_FIELDS, "figures_text"))
    documents = (
        f"SELECT to_tsvector('simple', concat_ws(' ', {columns})) FROM {Cooperation._meta.db_table}"
        f" WHERE status = '{Cooperation.Status.PUBLISHED}'"
    )

    def read():
        with connection.cursor() as cursor:
            cursor.execute("SELECT word FROM ts_stat(%s) WHERE length(word) >= %s", [documents, MIN_LENGTH])
            return [word for (word,) in cursor.fetchall()]

    # Reading every text costs about 4 s on 10,000 fiches (40 ms on a few hundred): kept for an hour
    # whatever changes, rather than read again after each save. A new fiche's words are offered as
    # corrections within the hour; its title and places at once.
    return cache.get_or_set("search:text_words", read, TEXT_WORDS_SECONDS)


def _read_words():
    published = Cooperation.objects.published()
    texts = [
        *published.values_list("title", flat=True),
        *Participation.objects.filter(cooperation__status=Cooperation.Status.PUBLISHED).values_list(
            "structure__name", flat=True
        ),
        *published.values_list("communes__name", flat=True),
        *Region.objects.values_list("name", flat=True),
        *Department.objects.values_list("name", flat=True),
        *CooperationForm.objects.values_list("name", flat=True),
        *Sector.objects.values_list("name", flat=True),
        *(str(label) for label in Structure.Kind.labels),
        *(term for terms in equivalence_groups() for term in terms),
        *_text_words(),
    ]
    words = {}
    for text in filter(None, texts):
        for raw in text.replace("’", "'").split():
            raw = raw.strip('.,:;!?()«»"').lower()
            if "-" in raw.strip("-"):  # « éco-pâturage » typed without its hyphen
                key = singular(fold(raw).replace(" ", ""))
                if len(key) >= MIN_LENGTH and key.isalpha():
                    words.setdefault(key, raw)
            for display in raw.replace("'", " ").replace("-", " ").split():
                key = singular(fold(display))
                if len(key) >= MIN_LENGTH and key not in STOPWORDS and " " not in key:
                    words.setdefault(key, display)
    return words


def is_known(word, words):
    """Whether the directory writes `word` (folded) as such: a hyphenated word joined (« ecopaturage »)
    is only a correction of what is typed."""
    key = singular(word)
    return key in words and " " not in fold(words[key])


def directory_words():
    """{folded word: how it is written}, e.g. {"ecopole": "écopôle"} (cached)."""
    return directory_cached("search_words", _read_words)


def corrections(unknown, words):
    """{misspelled word: the closest directory word} for the words of `unknown` close to one."""
    unknown = [word for word in unknown if len(word) >= MIN_LENGTH]
    if not unknown or not words:
        return {}
    # pg_trgm picks the few closest by trigrams, which favour short words (« gard » for « gardnis »);
    # the edit ratio chooses among them (« gardin »): right for 744 of 778 misspelt words of the
    # seeded directory, where the trigrams' first choice was for 725.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT q, w FROM (SELECT q, w, row_number() OVER"
            " (PARTITION BY q ORDER BY similarity(q, w) DESC, w) AS r"
            " FROM unnest(%s::text[]) AS q, unnest(%s::text[]) AS w WHERE similarity(q, w) >= %s) AS c"
            " WHERE r <= %s",
            [unknown, sorted(words), SIMILARITY, CANDIDATES],
        )
        candidates = {}
        for word, candidate in cursor.fetchall():
            candidates.setdefault(word, []).append(candidate)
    return {
        word: max(found, key=lambda candidate: (SequenceMatcher(None, word, candidate).ratio(), candidate))
        for word, found in candidates.items()
    }


def communes_named(phrases):
    """{folded name: {"label": its name, "departments": {code: name}, "epcis": {code: name}}} of the
    communes named among `phrases` (folded); a name several communes bear gathers them."""
    if not phrases:
        return {}
    found = {}
    rows = Commune.objects.filter(search_name__in=phrases).values_list(
        "search_name", "name", "department_id", "department__name", "epci_id", "epci__name"
    )
    for name, label, department, department_name, epci, epci_name in rows:
        place = found.setdefault(name, {"label": label, "departments": {}, "epcis": {}})
        place["departments"][department] = department_name
        if epci:
            place["epcis"][epci] = epci_name
    return found
