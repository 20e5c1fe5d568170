"""Our structures completed from a data·inclusion structures file (schema v1, CSV or JSON).

Each of our structures is matched with the file's records: by SIRET first, then by folded name within
its commune or department, scored from 0 to 100 (rapidfuzz). A match is decisive when it scores at
least MATCH and leads the next record by MARGIN; a structure with close records but no decisive one is
ambiguous. Each decisive match that knows something the structure does not becomes a
StructureSuggestion, which an editor takes or leaves field by field in the review queue: nothing is
written to a structure here. Records of our own (source « cooperations-iae ») are passed over.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from stdnum.fr import siret as siret_number

from lib.text import fold
from spreadsheets.reading import read_table
from territories.models import Commune

from .contact import clean_contact
from .models import Structure, StructureSuggestion

REGISTRY = "data·inclusion"
OWN_SOURCE = "cooperations-iae"
MATCH = 90  # a name this close (0-100) designates the structure
CLOSE = 75  # from this score, a record is worth naming among the ambiguous ones
MARGIN = 5  # how far a decisive record leads the next one
MAX_FILE_SIZE = 512 * 1024 * 1024  # the national file is some 100 MB of JSON
MAX_ROWS = 2_000_000
DESCRIPTION_LENGTH = 2000
# The record's fields, and the structure's fields they fill.
FIELDS = {
    "siret": "siret",
    "adresse": "address",
    "code_postal": "postal_code",
    "code_insee": "commune",
    "telephone": "phone",
    "courriel": "email",
    "site_web": "website",
    "description": "description",
}


@dataclass
class Record:
    source: str
    id: str
    name: str
    key: str  # folded name
    siret: str
    department: str
    commune: str
    url: str
    values: dict  # {structure field: value as the structure stores it}


@dataclass
class Outcome:
    matched: list = field(default_factory=list)  # [(structure, record, score, match)]
    ambiguous: list = field(default_factory=list)  # [(structure, [(record, score)])]
    unmatched: int = 0
    records: int = 0
    skipped: int = 0  # records of our own, or without a name
    invalid: list = field(default_factory=list)  # French messages about values left out


def read_records(data):
    """The file's records (bytes of a CSV or JSON file); SpreadsheetError when it cannot be read."""
    table = read_table(data, max_size=MAX_FILE_SIZE, max_rows=MAX_ROWS)
    headers = [str(h).strip() for h in table.headers]
    communes = dict(Commune.objects.values_list("code", "department_id"))
    outcome_invalid = []
    records = []
    for line, cells in table.rows:
        row = {h: ("" if c is None else str(c).strip()) for h, c in zip(headers, cells, strict=False)}
        records.append(_record(row, line, communes, outcome_invalid))
    return records, outcome_invalid


def _record(row, line, communes, invalid):
    source = row.get("source", "")
    name = row.get("nom", "")
    commune = row.get("code_insee", "").upper()
    department = communes.get(commune) or _department_of_postal_code(row.get("code_postal", ""))
    values = {}
    for key, target in FIELDS.items():
        if row.get(key):
            values[target] = row[key]
    values, errors = _cleaned(values, communes)
    invalid += [f"ligne {line} ({name or '?'}) : {message}" for message in errors]
    return Record(
        source=source,
        id=row.get("id", "") or f"{source}--ligne-{line}",
        name=name,
        key=fold(name),
        siret=values.get("siret", ""),
        department=department or "",
        commune=commune if commune in communes else "",
        url=row.get("lien_source", "")[:500],
        values=values,
    )


def _department_of_postal_code(code):
    if not re.fullmatch(r"\d{5}", code):
        return ""
    return code[:3] if code.startswith("97") else code[:2]


def _cleaned(values, communes):
    """The values as a structure stores them, those it would refuse left out (with a message each)."""
    cleaned, errors = clean_contact(
        {k: v for k, v in values.items() if k in ("website", "email", "phone", "address", "postal_code")}
    )
    cleaned = {k: v.as_e164 if k == "phone" else v for k, v in cleaned.items() if v}
    messages = list(errors.values())
    siret = re.sub(r"\s", "", values.get("siret", ""))
    if siret:
        if siret_number.is_valid(siret):
            cleaned["siret"] = siret
        else:
            messages.append(f"« {siret} » n'est pas un SIRET valide")
    if values.get("commune") in communes:
        cleaned["commune"] = values["commune"]
    description = values.get("description", "")
    if 5 <= len(description) <= DESCRIPTION_LENGTH:
        cleaned["description"] = description
    return cleaned, messages


def match(records, structures, progress=None):
    """Outcome of matching each of `structures` with `records`; progress(step, done, total) is told
    every hundred structures."""
    outcome = Outcome(records=len(records))
    by_siret, by_department, by_name = {}, defaultdict(list), defaultdict(list)
    for record in records:
        if record.source == OWN_SOURCE or not record.key:
            outcome.skipped += 1
            continue
        if record.siret:
            by_siret.setdefault(record.siret, record)
        if record.department:
            by_department[record.department].append(record)
        by_name[record.key].append(record)
    for index, structure in enumerate(structures):
        if progress and index % 100 == 0:
            progress("rapprochement", index, len(structures))
        found = by_siret.get(structure.siret) if structure.siret else None
        if found:
            outcome.matched.append((structure, found, 100, StructureSuggestion.Match.SIRET))
            continue
        scored = _scored(structure, by_department, by_name)
        close = [(record, score) for record, score in scored if score >= CLOSE]
        if close and close[0][1] >= MATCH and (len(close) == 1 or close[0][1] - close[1][1] >= MARGIN):
            outcome.matched.append(
                (structure, close[0][0], round(close[0][1]), StructureSuggestion.Match.NAME)
            )
        elif close:
            outcome.ambiguous.append((structure, close[:5]))
        else:
            outcome.unmatched += 1
    return outcome


def _scored(structure, by_department, by_name):
    """The records that may be `structure`, best first: those of its department (or its commune, which
    counts as a bonus), or those of exactly its name when it has no department."""
    if structure.department_id:
        candidates = by_department.get(structure.department_id, [])
    else:
        candidates = by_name.get(structure.search_name, [])
    scored = []
    for record in candidates:
        score = fuzz.token_sort_ratio(structure.search_name, record.key)
        if structure.commune_id and record.commune == structure.commune_id:
            score = min(100, score + 5)
        scored.append((record, score))
    return sorted(scored, key=lambda pair: -pair[1])


def new_values(structure, record):
    """The record's values that the structure lacks or states otherwise, as it would store them; what
    an editor already dismissed for this structure is not proposed again."""
    dismissed = set()
    for suggestion in structure.suggestions.exclude(status=StructureSuggestion.Status.PENDING):
        dismissed |= {
            (name, str(suggestion.values.get(name)))
            for name, decision in suggestion.decisions.items()
            if decision == "dismissed"
        }
    values = {}
    for name, value in record.values.items():
        current = getattr(structure, Structure._meta.get_field(name).attname)
        if name == "phone" and current:
            current = current.as_e164
        if name == "description" and structure.description:
            continue  # ours is written for the directory: never replaced by a registry's
        if str(current or "") == str(value) or (name, str(value)) in dismissed:
            continue
        values[name] = value
    return values


def file_suggestions(outcome):
    """Create or update one pending suggestion per decisive match that brings something new.

    Returns (created, updated, unchanged)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for structure, record, score, how in outcome.matched:
        values = new_values(structure, record)
        if not values:
            counts["unchanged"] += 1
            continue
        pending = structure.suggestions.pending().filter(registry=REGISTRY, record_id=record.id[:200]).first()
        fields = {
            "record_source": record.source[:100],
            "record_name": record.name[:200],
            "record_url": record.url,
            "match": how,
            "score": score,
            "values": values,
        }
        if pending is None:
            StructureSuggestion.objects.create(
                structure=structure, registry=REGISTRY, record_id=record.id[:200], **fields
            )
            counts["created"] += 1
        elif pending.values != values or pending.score != score:
            for name, value in fields.items():
                setattr(pending, name, value)
            pending.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts
