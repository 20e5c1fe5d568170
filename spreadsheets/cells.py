"""What a spreadsheet column accepts and how its cells are read: text, integers, lists, and values
designated by a code or a label (a Vocabulary), with a French message (CellError) for a bad cell."""

import contextlib
import contextvars
import difflib
import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lib.text import fold, normalize_text

MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Column:
    """One column of an import file: its header, what it accepts, how it is exported."""

    key: str
    header: str
    help: str
    aliases: tuple = ()
    required: str = ""  # when it must be filled, in words ("pour une nouvelle fiche")
    allowed: Any = ""  # the values it accepts, in words, or a callable giving them
    example: Any = ""
    export: Any = None  # instance -> cell value
    is_list: bool = False
    max_length: int | None = None  # characters, for a text column
    imported: bool = True  # False: written by exports for people to read, ignored by imports
    link: bool = False  # the export is a path on the site, written as a full address

    def allowed_text(self):
        allowed = str(self.allowed() if callable(self.allowed) else self.allowed)
        if self.max_length and not allowed:
            return _("%(limit)s caractères au plus") % {
                "limit": f"{self.max_length:,}".replace(",", "\u202f")
            }
        return allowed


# The language of the cells being written, read once by language_read_once(): get_language() reads a
# thread-and-task local, which cost an export of 10,000 fiches 0.3 s when called for each of its cells.
_language = contextvars.ContextVar("cell_language", default=None)


@contextlib.contextmanager
def language_read_once():
    """Within it, the label functions (per_language) take the active language as it is on entry."""
    token = _language.set(get_language())
    try:
        yield
    finally:
        _language.reset(token)


def per_language(function):
    """Remember a label function's results per language: gettext is slow when called for every cell."""
    cache = {}

    @functools.wraps(function)
    def wrapper(value):
        key = (_language.get() or get_language(), value)
        if key not in cache:
            cache[key] = function(value)
        return cache[key]

    return wrapper


class CellError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


_INTEGER = re.compile(r"-?\d+(?:[.,]0*)?")


def cell_text(value):
    """A cell as stripped text: 2015.0 read from a spreadsheet is "2015"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return normalize_text(value)


def parse_integer(value, *, minimum=0, maximum=None):
    """None for an empty cell; an int for 12, 12.0, "12", "12.0", "1 200"; CellError otherwise."""
    if isinstance(value, bool):
        raise CellError(_("« %(value)s » n'est pas un nombre entier.") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", cell_text(value))
        if not text:
            return None
        if not _INTEGER.fullmatch(text):
            raise CellError(_("« %(value)s » n'est pas un nombre entier.") % {"value": cell_text(value)})
        number = int(re.split(r"[.,]", text)[0])
    if maximum is not None and not minimum <= number <= maximum:
        raise CellError(
            _("« %(value)s » doit être compris entre %(minimum)s et %(maximum)s.")
            % {"value": number, "minimum": minimum, "maximum": maximum}
        )
    if number < minimum:
        raise CellError(_("« %(value)s » doit être un nombre positif.") % {"value": number})
    return number


def split_list(value):
    """The items of a list cell: separated by ";" or line breaks, blanks dropped."""
    return [item.strip() for item in re.split(r"[;\n]", cell_text(value)) if item.strip()]


# Vocabulary look-ups repeat the same few values ("AI", "porteur") thousands of times in a file.
folded = functools.lru_cache(maxsize=65536)(fold)


class Vocabulary:
    """Values designated by a code or a label, ignoring case, accents and punctuation."""

    def __init__(self, entries=()):
        self.labels = {}  # value -> label shown in messages and exports
        self.names = defaultdict(set)  # folded name -> values
        for value, label, *names in entries:
            self.add(value, label, *names)

    def add(self, value, label, *names):
        self.labels.setdefault(value, label)
        for name in (label, *names):
            if fold(name):
                self.names[fold(name)].add(value)

    def add_equivalents(self, groups):
        """Let every expression of a group of equivalent ones (« RQ ; régie de quartier ») name the value
        that one of them names, when they name exactly one between them."""
        for group in groups:
            values = set().union(*(self.names.get(folded(term), set()) for term in group))
            if len(values) == 1:
                value = next(iter(values))
                for term in group:
                    if folded(term):
                        self.names[folded(term)].add(value)

    def find(self, raw):
        values = self.names.get(folded(raw), ())
        return next(iter(values)) if len(values) == 1 else None

    def get(self, raw):
        values = self.names.get(folded(raw), ())
        if len(values) == 1:
            return next(iter(values))
        if values:
            raise CellError(
                _("« %(value)s » désigne plusieurs valeurs : %(labels)s ; précisez.")
                % {"value": raw, "labels": ", ".join(sorted(self.labels[v] for v in values))}
            )
        raise CellError(self.unknown_message(raw))

    def unknown_message(self, raw):
        close = difflib.get_close_matches(fold(raw), self.names, n=MAX_SUGGESTIONS, cutoff=0.6)
        suggestions = list(dict.fromkeys(self.labels[v] for name in close for v in sorted(self.names[name])))
        if suggestions:
            return _("« %(value)s » est inconnu ; vouliez-vous dire %(suggestions)s ?") % {
                "value": raw,
                "suggestions": _join_or(suggestions),
            }
        return _("« %(value)s » est inconnu. Valeurs possibles : %(choices)s.") % {
            "value": raw,
            "choices": self.choices_text(),
        }

    def choices_text(self, limit=12):
        labels = list(self.labels.values())
        if len(labels) > limit:
            return _("voir la feuille « Mode d'emploi » du modèle")
        return ", ".join(labels)


def _join_or(items):
    if len(items) == 1:
        return items[0]
    return _("%(items)s ou %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
