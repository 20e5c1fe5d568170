"""Load the reference sheets and the seeded fiches from the YAML files in fixtures/.

Loading is an upsert keyed on stable identifiers (sector slug, form code, source key, structure
folded name + kind, fiche slug) that saves a row only when something differs, so loading twice changes
nothing. Every file is validated before anything is written; errors name the file and the entry.

Each file also lists the cases of its document that are not fiches (`excluded`, see fixtures/README.md);
a case that earlier seeds published names its fiche's address, and that fiche goes back to draft; the
structures earlier seeds created and the files dropped (`removed_structures`) are deleted once no fiche
names them. So a database seeded before stays in step with the files.

Each fiche's level rests on a clause of levels.yaml and a sentence of its source (`level_basis`): both go
into the fiche's internal note, which editors read and the public never sees.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from lib.history import record_version, renamed
from lib.text import fold, slug_for
from structures.contact import CLEANERS, clean_contact
from structures.models import Network, Sector, Structure
from territories.models import Commune, Department, Region

from .models import (
    Cooperation,
    CooperationForm,
    LevelSheet,
    OutcomeFigure,
    Participation,
    Source,
)
from .seed_checks import SeedChecks
from .seed_copies import CopyCheck, read_fingerprints

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
# The copy check's data: the documents' fingerprints and the runs fiches may share with them.
FINGERPRINTS = FIXTURES_DIR / "sources" / "fingerprints.json.gz"
SECTION_KEYS = ("summary", *Cooperation.SECTION_FIELDS, "figures_text")
# The public texts of the files, set with French spacing as they are read (see french_spacing()).
PUBLIC_TEXT = {"title", *SECTION_KEYS, "label", "description", "definition", "objectives", "legal_frame"}
_BEFORE_HIGH_PUNCTUATION = re.compile(r" (?=[:;?!»])")


class SeedError(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class SeedReport:
    counts: Counter = field(default_factory=Counter)

    def add(self, model_label, outcome):
        self.counts[(model_label, outcome)] += 1

    def summary(self):
        labels = sorted({label for label, _ in self.counts})
        parts = []
        for label in labels:
            created, updated, unchanged, withdrawn, deleted = (
                self.counts[(label, o)] for o in ("created", "updated", "unchanged", "withdrawn", "deleted")
            )
            part = f"{label}: {created} créé(s), {updated} modifié(s), {unchanged} inchangé(s)"
            part += f", {withdrawn} remise(s) en brouillon" if withdrawn else ""
            parts.append(part + (f", {deleted} supprimée(s)" if deleted else ""))
        return " ; ".join(parts)


def french_spacing(text):
    """No-break spaces inside « » and before : ; ? !, so that no line of a page starts with one of them.

    The files keep plain spaces, easier to type and to review; names, which identify structures, and
    internal notes are left as written."""
    return _BEFORE_HIGH_PUNCTUATION.sub("\u00a0", text.replace("« ", "«\u00a0"))


def level_description(sheet):
    """A level's description closed by its clauses: what a fiche's source must describe to be filed there."""
    texts = [clause["text"].strip() for clause in sheet.get("clauses") or []]
    items = [f"- {text} ;" for text in texts[:-1]] + [f"- {text}." for text in texts[-1:]]
    closing = (
        "**Dans l'annuaire.** Une fiche est classée à ce niveau quand sa source décrit l'un de ces cas :"
    )
    return french_spacing("\n\n".join([(sheet.get("description") or "").strip(), closing, "\n".join(items)]))


def level_basis_note(basis, level, source_title):
    """The paragraph of a fiche's internal note that says why it has its level (see levels.yaml)."""
    clause = next(clause for clause in level["clauses"] if clause["id"] == basis["clause"])
    return (
        f"Niveau « {level['name']} », critère {clause['id']} de levels.yaml ({clause['text']}). "
        f"Phrase de la source qui le montre ({source_title}) : « {' '.join(basis['quote'].split())} »"
    )


def _set_public_text(entries):
    for entry in entries:
        for key in PUBLIC_TEXT & entry.keys():
            if isinstance(entry[key], str):
                entry[key] = french_spacing(entry[key])
        _set_public_text(entry.get("figures") or [])


def _read_yaml(path):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise SeedError([f"{path.name} : YAML illisible ({error})"]) from error


def _sync(instance, values):
    """Set `values` on `instance`; return the names of the fields that changed."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def _upsert(model, lookup, values, report, label):
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.save()
        report.add(label, "created")
        return instance
    if _sync(instance, values):
        instance.save()
        report.add(label, "updated")
    else:
        report.add(label, "unchanged")
    return instance


def _set_m2m(manager, wanted):
    """Replace the related set only when it differs: .set() on an equal set still costs writes."""
    current = set(manager.values_list("pk", flat=True))
    wanted_pks = {obj.pk for obj in wanted}
    if current != wanted_pks:
        manager.set(wanted)
        return True
    return False


class SeedLoader:
    def __init__(self, directory=FIXTURES_DIR):
        self.directory = Path(directory)
        self.errors = []
        self.report = SeedReport()

    def read(self):
        reference = self.directory / "reference"
        self.sectors = _read_yaml(reference / "sectors.yaml") or []
        self.forms = _read_yaml(reference / "forms.yaml") or []
        self.levels = _read_yaml(reference / "levels.yaml") or []
        self.networks = _read_yaml(reference / "networks.yaml") or []
        self.files = [
            (path.name, _read_yaml(path) or {}) for path in sorted((self.directory / "seed").glob("*.yaml"))
        ]
        sources = self.directory / "sources"
        if not (sources / FINGERPRINTS.name).exists():
            raise SeedError([f"sources/{FINGERPRINTS.name} manquant : lancez manage.py fingerprint_sources"])
        allowed = [entry["text"] for entry in _read_yaml(sources / "allowed.yaml") or []]
        self.copies = CopyCheck(read_fingerprints(sources / FINGERPRINTS.name), allowed)

    def validate(self):
        checks = SeedChecks(
            self.sectors, self.forms, self.levels, self.files, self.copies, networks=self.networks
        )
        self.errors += checks.errors()
        self.commune_departments = checks.commune_departments
        self.declared_structures = {
            (fold(entry["name"]), entry["kind"])
            for _name, data in self.files
            for entry in data.get("structures", [])
        }
        if self.errors:
            raise SeedError(self.errors)

    # --- Writing -----------------------------------------------------------------------------------
    def write(self):
        # Checked as written in the files (errors quote them so), stored with French spacing.
        _set_public_text(self.forms)
        _set_public_text(self.levels)
        for _name, data in self.files:
            _set_public_text(data.get("structures") or [])
            _set_public_text(data.get("cooperations") or [])
        sectors = {
            s["slug"]: _upsert(
                Sector,
                {"slug": s["slug"]},
                {"name": s["name"], "short_names": s.get("short_names", "")},
                self.report,
                "secteurs",
            )
            for s in self.sectors
        }
        forms = {}
        for position, sheet in enumerate(self.forms):
            values = {
                "name": sheet["name"],
                "short_name": sheet.get("short_name", ""),
                "summary": (sheet.get("summary") or "").strip(),
                "definition": (sheet.get("definition") or "").strip(),
                "objectives": (sheet.get("objectives") or "").strip(),
                "legal_frame": (sheet.get("legal_frame") or "").strip(),
                "position": position,
            }
            forms[sheet["code"]] = _upsert(
                CooperationForm, {"code": sheet["code"]}, values, self.report, "formes"
            )
        levels = {sheet["code"]: sheet for sheet in self.levels}
        for sheet in self.levels:
            values = {
                "summary": (sheet.get("summary") or "").strip(),
                "description": level_description(sheet),
            }
            _upsert(LevelSheet, {"code": sheet["code"]}, values, self.report, "niveaux")

        networks = {entry["slug"]: self._write_network(entry) for entry in self.networks}
        sources = {}
        structures = {}
        for _name, data in self.files:
            source = data["source"]
            if source["key"] not in sources:
                sources[source["key"]] = _upsert(
                    Source,
                    {"key": source["key"]},
                    {
                        "title": source["title"],
                        "publisher": source.get("publisher") or "",
                        "published_on": _date(source.get("published_on")),
                        "published_year": source.get("published_year"),
                        "url": source.get("url") or "",
                    },
                    self.report,
                    "sources",
                )
            for entry in data.get("structures", []):
                key = (fold(entry["name"]), entry["kind"])
                if key in structures:
                    continue  # The first file that declares a structure describes it.
                structures[key] = self._write_structure(entry, sectors)
        for _name, data in self.files:
            for entry in data.get("cooperations", []):
                # A case told by several documents is one fiche, kept in one file, citing them all.
                fiche_sources = [
                    sources[key] for key in [data["source"]["key"], *entry.get("also_sources", [])]
                ]
                basis = entry["level_basis"]
                quoted = sources[basis.get("source") or data["source"]["key"]]
                note = level_basis_note(basis, levels[entry["level"]], quoted.title)
                organisation = networks.get(data["source"].get("organisation"))
                self._write_cooperation(entry, fiche_sources, structures, forms, sectors, note, organisation)
            for entry in data.get("excluded", []):
                if entry.get("slug"):
                    self._withdraw(entry["slug"])
        for _name, data in self.files:
            for entry in data.get("removed_structures", []):
                self._remove_structure(entry)

    def _write_network(self, entry):
        """An organisation of networks.yaml, found by its slug, else by its name (a network structures
        named before it was described)."""
        values = {
            "name": entry["name"].strip(),
            "short_name": entry.get("short_name") or "",
            "kind": entry["kind"],
            "website": entry.get("website") or "",
            "description": french_spacing((entry.get("description") or "").strip()),
        }
        if Network.objects.filter(slug=entry["slug"]).exists():
            return _upsert(Network, {"slug": entry["slug"]}, values, self.report, "réseaux")
        name = values.pop("name")
        return _upsert(Network, {"name": name}, {**values, "slug": entry["slug"]}, self.report, "réseaux")

    def _write_structure(self, entry, sectors):
        commune = entry.get("commune") or None
        department = entry.get("department") or (self.commune_departments.get(commune) if commune else None)
        structure = Structure.objects.filter(search_name=fold(entry["name"]), kind=entry["kind"]).first()
        # Contact details as the document writes them (checked by SeedChecks), cleared when absent.
        contact, _errors = clean_contact(
            dict.fromkeys(CLEANERS, "") | {"website": entry.get("website")} | (entry.get("contact") or {})
        )
        values = {
            "name": entry["name"].strip(),
            "commune_id": commune,
            "department_id": department,
            **contact,
            "description": (entry.get("description") or "").strip(),
            "internal_note": (entry.get("internal_note") or "").strip(),
            "kind": entry["kind"],
        }
        structure = structure or self._seeded_under_another_kind(entry)
        if structure is None:
            structure = Structure(**values)
            structure.save()
            outcome = "created"
        else:
            outcome = "updated" if _sync(structure, values) else "unchanged"
            if outcome == "updated":
                structure.save()
        networks = [Network.objects.get_or_create(name=name)[0] for name in entry.get("networks", [])]
        changed = _set_m2m(structure.networks, networks)
        changed |= _set_m2m(structure.sectors, [sectors[s] for s in entry.get("sectors", [])])
        self.report.add("structures", "updated" if outcome == "unchanged" and changed else outcome)
        return structure

    def _seeded_under_another_kind(self, entry):
        """The structure an earlier seed created under this name with a kind the files no longer give
        it (its address is still the name's), to be given its new kind rather than left behind."""
        name = fold(entry["name"])
        candidates = [
            structure
            for structure in Structure.objects.filter(search_name=name, slug=slug_for(entry["name"]))
            if (name, structure.kind) not in self.declared_structures
        ]
        return candidates[0] if len(candidates) == 1 else None

    def _write_cooperation(self, entry, sources, structures, forms, sectors, level_note, organisation):
        slug = entry.get("slug") or slug_for(entry["title"])
        values = {
            "title": entry["title"].strip(),
            "status": Cooperation.Status.PUBLISHED,
            "level": entry["level"],
            "scope": entry.get("scope", Cooperation.Scope.LOCAL),
            "start_year": entry.get("start_year"),
            "jobs_created": entry.get("jobs_created"),
            "people_supported": entry.get("people_supported"),
            "organisation_id": organisation.pk if organisation else None,
            **{key: (entry.get(key) or "").strip() for key in SECTION_KEYS},
            "internal_note": "\n\n".join(
                filter(None, [(entry.get("internal_note") or "").strip(), level_note])
            ),
        }
        cooperation = Cooperation.objects.filter(slug=slug).first() or Cooperation(
            slug=slug, published_at=timezone.now(), **values
        )
        # The writes below are one version of the fiche in its history, recorded only if it changed.
        cooperation.skip_history_when_saving = True
        if cooperation.pk is None:
            cooperation.save()
            outcome = "created"
        else:
            outcome = "updated" if _sync(cooperation, values) else "unchanged"
            if cooperation.published_at is None:
                cooperation.published_at = timezone.now()
                outcome = "updated"
            if outcome == "updated":
                cooperation.save()
        changed = _set_m2m(cooperation.forms, [forms[c] for c in entry.get("forms", [])])
        changed |= _set_m2m(cooperation.sectors, [sectors[s] for s in entry["sectors"]])
        changed |= _set_m2m(
            cooperation.regions, list(Region.objects.filter(code__in=entry.get("regions", [])))
        )
        changed |= _set_m2m(
            cooperation.departments, list(Department.objects.filter(code__in=entry.get("departments", [])))
        )
        changed |= _set_m2m(
            cooperation.communes, list(Commune.objects.filter(code__in=entry.get("communes", [])))
        )
        changed |= _set_m2m(cooperation.sources, sources)
        changed |= self._sync_participations(cooperation, entry["participants"], structures)
        changed |= self._sync_figures(cooperation, entry.get("figures") or [])
        del cooperation.skip_history_when_saving
        outcome = "updated" if outcome == "unchanged" and changed else outcome
        if outcome != "unchanged":
            record_version(cooperation, "+" if outcome == "created" else "~")
        self.report.add("fiches", outcome)

    def _withdraw(self, slug):
        """Take back to draft the fiche an earlier seed published for a case the files now exclude, found
        by the address it has or had (a migration cut the long slugs of the first seeds)."""
        cooperation = Cooperation.objects.filter(slug=slug).first() or renamed(
            Cooperation.objects.all(), slug
        )
        if cooperation is None or cooperation.status != Cooperation.Status.PUBLISHED:
            return
        cooperation.status = Cooperation.Status.DRAFT
        cooperation.save()
        self.report.add("fiches", "withdrawn")

    def _remove_structure(self, entry):
        """Delete a structure an earlier seed created and the files dropped, once no fiche names it: left
        there, it would pass for one of the directory's own and stay on the public list. One a fiche still
        names (a fiche withdrawn to draft, or one an editor gave it) is left to the team, and one that never
        took part in a fiche is the directory's own, whatever its name."""
        structure = Structure.objects.filter(search_name=fold(entry["name"]), kind=entry["kind"]).first()
        if (
            structure is None
            or structure.participations.exists()
            or not Participation.history.filter(structure_id=structure.pk).exists()
        ):
            return
        structure.delete()
        self.report.add("structures", "deleted")

    def _sync_participations(self, cooperation, participants, structures):
        wanted = {structures[(fold(p["structure"]), p["kind"])].pk: p["role"] for p in participants}
        current = dict(cooperation.participations.values_list("structure_id", "role"))
        if wanted == current:
            return False
        cooperation.participations.exclude(structure_id__in=wanted).delete()
        for structure_id, role in wanted.items():
            Participation.objects.update_or_create(
                cooperation=cooperation, structure_id=structure_id, defaults={"role": role}
            )
        return True

    def _sync_figures(self, cooperation, figures):
        wanted = [
            (Decimal(str(f["value"])).quantize(Decimal("0.01")), f.get("unit") or "", f["label"].strip(), i)
            for i, f in enumerate(figures)
        ]
        current = list(cooperation.figures.values_list("value", "unit", "label", "position"))
        if wanted == current:
            return False
        cooperation.figures.all().delete()
        OutcomeFigure.objects.bulk_create(
            OutcomeFigure(cooperation=cooperation, value=v, unit=u, label=label, position=i)
            for v, u, label, i in wanted
        )
        return True

    @transaction.atomic
    def load(self, *, dry_run=False, reference_only=False):
        self.read()
        if reference_only:
            self.files = []  # sectors, forms and levels, without the seeded fiches
        self.validate()
        self.write()
        if dry_run:
            transaction.set_rollback(True)
        return self.report


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))
