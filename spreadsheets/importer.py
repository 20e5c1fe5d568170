"""The batched import of spreadsheet rows, shared by the cooperation and structure imports.

An importer reads every row first (cells to values, with a French message per bad cell), then looks
up what the rows refer to in a few queries for the whole file, compares each row with what is stored
(new, updated, unchanged), and writes only when no row has an error: in one transaction, with
bulk_create / bulk_update, so that a file of thousands of rows costs a few dozen queries.
"""

import difflib
import gc
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from lib.sql import ids_subquery, insert_rows

from .cells import cell_text, split_list
from .formats import unneutralise
from .reading import header_key

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
CHUNK = 1000  # rows per IN (...) query and per bulk write
# The advisory lock every import holds, and how long an import waits for another to end.
IMPORT_LOCK_KEY = 0x1A9_0C00B  # any constant of our own
IMPORT_LOCK_WAIT = 10  # seconds


def import_lock():
    """Take the imports' lock for the current transaction, waiting up to IMPORT_LOCK_WAIT seconds; False
    when another import still holds it."""
    deadline = time.monotonic() + IMPORT_LOCK_WAIT
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
            if cursor.fetchone()[0]:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.2)


# --- Headers ---------------------------------------------------------------------------------------
def match_headers(table, columns):
    """({column key: cell index}, {column key: header as written, else the column's own}, [file errors]).

    A column absent from the file still has its French header, for the errors that name it (a new fiche
    without a level: « colonne niveau »)."""
    known = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            known[header_key(name)] = column
    indexes, labels, errors, unknown = {}, {}, [], []
    for index, header in enumerate(table.headers):
        letter = get_column_letter(index + 1)
        if not header_key(header):
            if any(values[index] != "" for _line, values in table.rows):
                errors.append(
                    _("La colonne %(letter)s n'a pas de titre mais contient des valeurs.")
                    % {"letter": letter}
                )
            continue
        column = known.get(header_key(header))
        if column is None:
            unknown.append((letter, header))
        elif column.key in indexes:
            errors.append(
                _(
                    "Les colonnes %(first)s et %(second)s désignent toutes deux « %(header)s » : "
                    "gardez-en une."
                )
                % {
                    "first": get_column_letter(indexes[column.key] + 1),
                    "second": letter,
                    "header": column.header,
                }
            )
        else:
            indexes[column.key], labels[column.key] = index, header
    expected = ", ".join(str(c.header) for c in columns if c.imported)
    if not indexes:
        return (
            {},
            {},
            [_("Aucune colonne n'est reconnue. Colonnes attendues : %(expected)s.") % {"expected": expected}],
        )
    for letter, header in unknown:
        close = difflib.get_close_matches(header_key(header), known, n=1, cutoff=0.6)
        hint = (
            _(" ; vouliez-vous dire « %(header)s » ?") % {"header": known[close[0]].header} if close else "."
        )
        errors.append(
            _("La colonne %(letter)s « %(header)s » est inconnue%(hint)s Renommez-la ou supprimez-la.")
            % {"letter": letter, "header": header, "hint": hint}
        )
    return indexes, {column.key: str(column.header) for column in columns} | labels, errors


# --- Rows ------------------------------------------------------------------------------------------
class Row:
    """One line of the file: its cells, then what the importer made of it."""

    def __init__(self, line, cells, indexes, labels, *, spreadsheet=True):
        self.line = line
        self.cells = cells
        self.indexes = indexes
        self.labels = labels
        self.spreadsheet = spreadsheet
        self.status = ""
        self.label = ""  # what the row is about, e.g. the fiche's title
        self.errors = []  # [(column label, message)]
        self.warnings = []
        self.changes = []  # [(column label, description)]
        self.linked = []  # [(label, admin address)]: stored objects the row will be linked to
        self.instance = None

    def has(self, key):
        return key in self.indexes

    def value(self, key):
        value = self.cells[self.indexes[key]] if key in self.indexes else ""
        return unneutralise(value) if self.spreadsheet else value

    def text(self, key):
        return cell_text(self.value(key))

    def list(self, key):
        return [unneutralise(item) if self.spreadsheet else item for item in split_list(self.value(key))]

    def error(self, key, message):
        self.errors.append((self.labels.get(key, key), message))

    def change(self, key, description):
        self.changes.append((self.labels.get(key, key), description))

    def messages(self):
        """Every error of the row as a sentence naming the line and the column."""
        return [
            _("Ligne %(line)s, colonne %(column)s : %(message)s")
            % {"line": self.line, "column": column, "message": message}
            if column
            else _("Ligne %(line)s : %(message)s") % {"line": self.line, "message": message}
            for column, message in self.errors
        ]


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    @property
    def counts(self):
        return Counter(row.status for row in self.rows)

    @property
    def has_errors(self):
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def messages(self):
        return [*self.file_errors, *(m for row in self.rows for m in row.messages())]

    def summary(self):
        counts = self.counts
        return _(
            "nouvelles : %(new)s ; modifiées : %(update)s ; inchangées : %(unchanged)s ; "
            "en erreur : %(error)s"
        ) % {
            "new": counts[NEW],
            "update": counts[UPDATE],
            "unchanged": counts[UNCHANGED],
            "error": counts[ERROR],
        }


# --- The importer ----------------------------------------------------------------------------------
class BatchImporter:
    """Subclasses define the columns and four steps: prepare, parse, resolve, compare; then write."""

    columns = ()

    def __init__(self, *, user=None, progress=None):
        self.columns_by_key = {column.key: column for column in self.columns}
        self.user = user
        self.progress = progress or (lambda step, done, total: None)

    def run(self, table):
        """Import the rows of `table` and return the ImportReport.

        Writes happen even for a dry run, inside the caller's transaction, which then rolls them back:
        the preview runs the very writes that confirming will.
        """
        # Tens of thousands of objects are created and kept until the end: the cyclic garbage collector
        # would scan them again and again (a third of the time) for cycles there are not.
        collecting = gc.isenabled()
        gc.disable()
        try:
            # One import at a time, from its first read to its commit: two overlapping imports would
            # each plan against what the other is about to change (the same new slug, structure...).
            with transaction.atomic():
                if not import_lock():
                    busy = _(
                        "Un autre import est en cours : rien n'a été importé. Réessayez dans une minute ; "
                        "l'aperçu tiendra compte de ce que l'autre import aura changé."
                    )
                    return ImportReport(file_errors=[busy])
                return self._run(table)
        finally:
            if collecting:
                gc.enable()

    def _run(self, table):
        report = ImportReport()
        indexes, labels, report.file_errors = match_headers(table, self.columns)
        if report.file_errors:
            return report
        spreadsheet = table.kind != "json"
        rows = [Row(line, cells, indexes, labels, spreadsheet=spreadsheet) for line, cells in table.rows]
        report.rows = rows
        self.prepare(rows)
        step = _("Vérification")
        for done, row in enumerate(rows, 1):
            self.parse(row)
            if done % 500 == 0 or done == len(rows):
                self.progress(step, done, len(rows))
        self.resolve(rows)
        for row in rows:
            if not row.errors:
                self.compare(row)
            row.status = ERROR if row.errors else row.status
        if not report.has_errors:
            try:
                with transaction.atomic():
                    self.write([row for row in rows if row.status in (NEW, UPDATE)])
            except IntegrityError:
                # Saved meanwhile by someone the lock does not hold back (an edit in the admin).
                report.file_errors.append(
                    _(
                        "Rien n'a été importé : des fiches ou des structures du fichier ont été "
                        "enregistrées ailleurs pendant l'import. Envoyez le fichier à nouveau ; l'aperçu "
                        "tiendra compte de ces changements."
                    )
                )
        return report

    def text(self, row, key):
        """The cell's text; None, with an error for the row, when it is longer than its column allows."""
        text = row.text(key)
        limit = self.columns_by_key[key].max_length
        if limit and len(text) > limit:
            row.error(
                key,
                _("Le texte compte %(length)s caractères ; %(limit)s au plus.")
                % {"length": _number(len(text)), "limit": _number(limit)},
            )
            return None
        return text

    def prepare(self, rows):
        """Load the reference data the rows will be looked up in (a few queries)."""

    def parse(self, row):
        """Turn the cells of one row into values, recording an error per bad cell."""
        raise NotImplementedError

    def resolve(self, rows):
        """Look up, for all rows at once, the stored objects they designate."""

    def compare(self, row):
        """Set row.status to NEW, UPDATE or UNCHANGED, and row.changes."""
        raise NotImplementedError

    def write(self, rows):
        """Save the new and updated rows, in bulk."""
        raise NotImplementedError


def _number(value):
    return f"{value:,}".replace(",", "\u202f")


def free_slug(base, taken):
    """`base`, or `base-2`, `base-3`… : the first not in `taken` (a set of slugs), then added to it."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class LinkSync:
    """The links of one many-to-many field for the imported objects: stored, to add, to remove."""

    def __init__(self, model, name):
        model_field = model._meta.get_field(name)
        self.through = model_field.remote_field.through
        self.source = model_field.m2m_field_name() + "_id"
        self.target = model_field.m2m_reverse_field_name() + "_id"
        self.current = defaultdict(dict)  # owner pk -> {target pk: link pk}
        self.to_add = []  # (owner instance, target pk): the owner may get its pk only when written
        self.to_remove = []  # link pks

    def load(self, owner_pks):
        for chunk in chunks(owner_pks):
            links = self.through.objects.filter(**{f"{self.source}__in": ids_subquery(chunk)})
            for pk, owner, target in links.values_list("pk", self.source, self.target):
                self.current[owner][target] = pk

    def stored(self, owner):
        return set(self.current.get(owner.pk, ())) if owner.pk else set()

    def plan(self, owner, wanted):
        """Record what makes the owner's links `wanted` (pks, or instances that may not be saved yet).

        Return (added, removed): the targets added and the target pks removed.
        """
        current = self.current.get(owner.pk, {}) if owner.pk else {}
        wanted_pks = {_pk(target) for target in wanted}
        added = [target for target in wanted if _pk(target) is None or _pk(target) not in current]
        removed = set(current) - wanted_pks
        self.to_add += [(owner, target) for target in added]
        self.to_remove += [current[target] for target in removed]
        return added, removed

    def write(self):
        for chunk in chunks(self.to_remove):
            self.through.objects.filter(pk__in=chunk).delete()
        links = [(owner.pk, _pk(target)) for owner, target in self.to_add]
        insert_rows(self.through, [self.source, self.target], links)


def _pk(target):
    return target if isinstance(target, int | str) else target.pk
