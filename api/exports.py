"""The open-data files: every published fiche as a CSV described by a Table Schema (opendata/schema.json)
and as JSON in the API's detail format, the public structures in data·inclusion's shape, the schema
itself and a `datapackage.json` that ties them together (Frictionless Data Package).

Writing is idempotent and atomic: each file is built in memory, compared with the one in place, and
only a changed file is written, to a temporary file in the same folder then renamed over the old one,
so that a reader never sees half a file and an unchanged export touches nothing.
"""

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperations.models import Cooperation
from cooperations.participants import format_participant
from spreadsheets.formats import neutralise

from . import data_inclusion
from .serializers import CooperationDetailSerializer
from .views import public_structures

SCHEMA_PATH = Path(settings.BASE_DIR) / "opendata" / "schema.json"
LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


@dataclass
class File:
    name: str
    title: str
    media_type: str
    description: str


FILES = [
    File(
        "cooperations.csv",
        _("Fiches publiées (CSV)"),
        "text/csv",
        _("Une ligne par fiche, décrite par schema.json."),
    ),
    File(
        "cooperations.json",
        _("Fiches publiées (JSON)"),
        "application/json",
        _("Les fiches complètes, au format de /api/v1/cooperations/<identifiant>/."),
    ),
    File(
        "structures-data-inclusion.json",
        _("Structures (JSON, format data·inclusion)"),
        "application/json",
        _("Les structures publiques, au format du schéma des structures de data·inclusion (v1)."),
    ),
    File(
        "schema.json",
        _("Schéma des fiches (Table Schema)"),
        "application/json",
        _("Le schéma du fichier CSV."),
    ),
    File(
        "datapackage.json",
        _("Description du jeu de données (Data Package)"),
        "application/json",
        _("La liste des fichiers, leur licence et leur schéma."),
    ),
]
FILE_NAMES = {file.name: file for file in FILES}


def load_schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _codes(items, attribute):
    return "; ".join(str(getattr(item, attribute)) for item in items)


def _moment(value):
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def _source(source):
    details = ", ".join(str(part) for part in (source.publisher, source.year) if part)
    text = f"{source.title} ({details})" if details else source.title
    return f"{text} {source.url}" if source.url else text


SECTION_COLUMNS = {
    "contexte": "context",
    "objectifs": "objectives",
    "mise_en_oeuvre": "implementation",
    "resultats": "results",
    "facteurs_de_reussite": "success_factors",
    "difficultes": "difficulties",
    "indicateurs": "indicators",
    "reproductibilite": "replicability",
}


def csv_row(cooperation, base_url):
    """The fiche as the CSV's columns, from a fiche read with Cooperation.objects.for_detail()."""
    row = {
        "identifiant": cooperation.slug,
        "titre": cooperation.title,
        "adresse": base_url + cooperation.get_absolute_url(),
        "niveau": cooperation.level,
        "formes": _codes(cooperation.forms.all(), "code"),
        "echelle": cooperation.scope,
        "regions": _codes(cooperation.regions.all(), "code"),
        "departements": _codes(cooperation.departments.all(), "code"),
        "communes": _codes(cooperation.communes.all(), "code"),
        "secteurs": _codes(cooperation.sectors.all(), "slug"),
        "participants": "; ".join(
            format_participant(p.structure.name, p.structure.kind, p.role, p.structure.siret)
            for p in cooperation.participations.all()
        ),
        "annee_demarrage": cooperation.start_year,
        "emplois_crees": cooperation.jobs_created,
        "personnes_accompagnees": cooperation.people_supported,
        "autres_chiffres_cles": cooperation.figures_text,
        "resume": cooperation.summary,
        **{column: getattr(cooperation, field) for column, field in SECTION_COLUMNS.items()},
        "sources": "; ".join(_source(source) for source in cooperation.sources.all()),
        "date_publication": _moment(cooperation.published_at),
        "date_maj": _moment(cooperation.updated_at),
    }
    # The site's own rule for CSV cells: a text starting like a formula is never run as one.
    return ["" if row[name] is None else neutralise(row[name]) for name in FIELD_NAMES]


FIELD_NAMES = [field["name"] for field in load_schema()["fields"]]


def published_fiches():
    # Prefetched by chunks of 500 fiches, so that no query's list of ids grows with the directory.
    return Cooperation.objects.published().for_detail().order_by("slug").iterator(chunk_size=500)


def build_files(base_url):
    """{file name: bytes} of the whole export, and the number of fiches and structures in it."""
    fiches = list(published_fiches())
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(FIELD_NAMES)
    writer.writerows(csv_row(fiche, base_url) for fiche in fiches)
    context = {"base_url": base_url}
    details = CooperationDetailSerializer(fiches, many=True, context=context).data
    structures = list(public_structures().order_by("pk"))
    records = data_inclusion.DataInclusionStructureSerializer(structures, many=True, context=context).data
    contents = {
        "cooperations.csv": table.getvalue().encode("utf-8"),
        "cooperations.json": _json(details),
        "structures-data-inclusion.json": _json(records),
        "schema.json": SCHEMA_PATH.read_bytes(),
        "datapackage.json": _json(datapackage(base_url)),
    }
    return contents, len(fiches), len(structures)


def datapackage(base_url):
    schema = load_schema()
    return {
        "name": "cooperations-iae",
        "title": schema["title"],
        "description": schema["description"],
        "homepage": base_url + reverse("api:open_data"),
        "licenses": [LICENCE],
        "resources": [
            {
                "name": "cooperations",
                "path": "cooperations.csv",
                "title": str(FILE_NAMES["cooperations.csv"].title),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": "schema.json",
            },
            {
                "name": "cooperations-json",
                "path": "cooperations.json",
                "title": str(FILE_NAMES["cooperations.json"].title),
                "format": "json",
                "mediatype": "application/json",
                "profile": "data-resource",
            },
            {
                "name": "structures-data-inclusion",
                "path": "structures-data-inclusion.json",
                "title": str(FILE_NAMES["structures-data-inclusion.json"].title),
                "format": "json",
                "mediatype": "application/json",
                "profile": "data-resource",
            },
        ],
    }


def _json(data):
    return (json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n").encode("utf-8")


def write_files(directory, contents, *, dry_run=False):
    """Write the files whose content changed; the names of those written (or to write)."""
    directory = Path(directory)
    if not dry_run:
        directory.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, content in contents.items():
        path = directory / name
        if path.exists() and path.read_bytes() == content:
            continue
        changed.append(name)
        if not dry_run:
            _replace(path, content)
    return changed


def _replace(path, content):
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
