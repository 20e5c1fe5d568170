"""Load the shipped Code officiel géographique file into the database, idempotently."""

import gzip
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lib.text import fold, slug_for
from territories.models import EPCI, Commune, Department, Region
from territories.signals import territories_updated

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "cog-2026.json.gz"
BATCH_SIZE = 2000


class Command(BaseCommand):
    help = (
        "Charge ou met à jour les régions, départements, EPCI et communes depuis le fichier de référence "
        "livré avec le code (aucun accès réseau). Les territoires disparus du fichier sont supprimés "
        "s'ils ne sont plus utilisés, sinon signalés."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="Fichier .json.gz à charger.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Calcule les changements puis annule tout."
        )

    def handle(self, *args, file, dry_run, verbosity, **options):
        started = time.perf_counter()
        data = read_data(file)
        say = self.stdout.write if verbosity >= 1 else lambda message: None
        # Parents before children for the upserts, children before parents for the deletions.
        plan = [
            ("Régions", Region, [region_row(*row) for row in data["regions"]]),
            ("Départements", Department, [department_row(*row) for row in data["departments"]]),
            ("EPCI", EPCI, [epci_row(*row) for row in data["epci"]]),
            ("Communes", Commune, [commune_row(*row) for row in data["communes"]]),
        ]
        with transaction.atomic():
            results = {label: upsert(model, rows) for label, model, rows in plan}
            for label, model, _rows in plan:
                if results[label]["updated_codes"]:
                    territories_updated.send(sender=model, codes=results[label]["updated_codes"])
            for label, model, _rows in reversed(plan):
                result = results[label]
                result["deleted"], kept = delete_unused(model, result.pop("stale"))
                for territory in kept:
                    self.stderr.write(f"{label} : {territory} n'est plus dans le fichier mais reste utilisé.")
            for label, _model, rows in plan:
                say(f"{label} : {len(rows)} ({format_result(results[label])})")
            if dry_run:
                transaction.set_rollback(True)
        total = sum(len(rows) for _label, _model, rows in plan)
        elapsed = time.perf_counter() - started
        suffix = " Essai à blanc : rien n'a été enregistré." if dry_run else ""
        say(f"{total} territoires traités en {elapsed:.1f} s ({data['source']}).{suffix}")


def read_data(path):
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            return json.load(file)
    except (OSError, ValueError) as error:
        raise CommandError(f"Lecture impossible de {path} : {error}") from error


# Rows as column values: bulk_create() skips save(), so the derived columns are computed here. Region
# and department names are unique, so their slugs are too.
def region_row(code, name):
    return {"code": code, "name": name, "search_name": fold(name), "slug": slug_for(name, max_length=200)}


def department_row(code, name, region):
    return region_row(code, name) | {"region_id": region}


def epci_row(code, name, kind):
    return {"code": code, "name": name, "search_name": fold(name), "kind": kind}


def commune_row(code, name, department, epci, population):
    return {
        "code": code,
        "name": name,
        "search_name": fold(name),
        "department_id": department,
        "epci_id": epci,
        "population": population,
    }


def upsert(model, rows):
    """Insert new rows and update changed ones in batched upserts; unchanged rows are not written."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    attnames = [f.attname for f in fields]
    existing = {row[0]: row[1:] for row in model.objects.values_list("pk", *attnames)}
    changed = [row for row in rows if existing.get(row["code"]) != tuple(row[a] for a in attnames)]
    model.objects.bulk_create(
        [model(**row) for row in changed],
        batch_size=BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[f.name for f in fields],
    )
    updated = [row["code"] for row in changed if row["code"] in existing]
    return {
        "created": len(changed) - len(updated),
        "updated": len(updated),
        "updated_codes": updated,
        "stale": existing.keys() - {row["code"] for row in rows},
    }


def delete_unused(model, codes):
    """Delete the given territories unless something still points at them; return (deleted, kept)."""
    if not codes:
        return 0, []
    used = set()
    for relation in model._meta.related_objects:
        lookup = f"{relation.field.name}__in"
        used.update(
            relation.related_model._base_manager.filter(**{lookup: codes}).values_list(
                relation.field.name, flat=True
            )
        )
    model.objects.filter(pk__in=codes - used).delete()
    return len(codes - used), list(model.objects.filter(pk__in=used))


def format_result(result):
    return "créations : {created}, mises à jour : {updated}, suppressions : {deleted}".format(**result)
