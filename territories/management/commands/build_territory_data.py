"""Derive territories/data/cog-<year>.json.gz from an unpacked @etalab/decoupage-administratif package."""

import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

PACKAGE_NAME = "@etalab/decoupage-administratif"
DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# Overseas collectivities (Saint-Pierre-et-Miquelon, Polynésie française…) are outside the 18 regions
# and 101 departments, so they are left out along with their communes.
KEPT_ZONES = {"metro", "drom"}
LABELS = {"regions": "régions", "departments": "départements", "epci": "EPCI", "communes": "communes"}


class Command(BaseCommand):
    help = (
        "Construit le fichier de référence des territoires (régions, départements, EPCI, communes) "
        "à partir du paquet npm @etalab/decoupage-administratif décompressé."
    )

    def add_arguments(self, parser):
        parser.add_argument("package", type=Path, help="Dossier du paquet décompressé (contenant data/).")
        parser.add_argument("--year", type=int, required=True, help="Millésime du COG (2026 pour la 6.0.0).")
        parser.add_argument("--output", type=Path, help="Fichier produit (par défaut territories/data/).")
        parser.add_argument("--dry-run", action="store_true", help="Affiche les effectifs sans écrire.")

    def handle(self, *args, package, year, output, dry_run, **options):
        meta = read_json(package / "package.json")
        if meta.get("name") != PACKAGE_NAME:
            raise CommandError(f"{package} n'est pas le paquet {PACKAGE_NAME} ({meta.get('name')!r}).")
        data = build(package / "data", source=f"{PACKAGE_NAME}@{meta['version']}", year=year)
        counts = ", ".join(f"{len(data[key])} {label}" for key, label in LABELS.items())
        if dry_run:
            self.stdout.write(f"Essai à blanc : {counts} (rien n'est écrit).")
            return
        output = output or DATA_DIR / f"cog-{year}.json.gz"
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        # No name and no timestamp in the gzip header: the file is byte-identical from one build to the next.
        with open(output, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as gz:
            gz.write(payload)
        self.stdout.write(self.style.SUCCESS(f"{output} écrit ({output.stat().st_size} octets) : {counts}."))


def read_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"Lecture impossible de {path} : {error}") from error


def build(data_dir, *, source, year):
    """Compact rows, sorted by code: regions [code, name], departments [code, name, region],
    EPCI [code, name, kind], communes [code, name, department, EPCI or null, population or null]."""
    regions = [r for r in read_json(data_dir / "regions.json") if r["zone"] in KEPT_ZONES]
    departments = [d for d in read_json(data_dir / "departements.json") if d["zone"] in KEPT_ZONES]
    kept_departments = {d["code"] for d in departments}
    communes = [
        c
        for c in read_json(data_dir / "communes.json")
        if c["type"] == "commune-actuelle" and c["departement"] in kept_departments
    ]
    epcis = read_json(data_dir / "epci.json")
    epci_of = {member["code"]: epci["code"] for epci in epcis for member in epci["membres"]}
    return {
        "source": source,
        "year": year,
        "regions": sorted([r["code"], r["nom"]] for r in regions),
        "departments": sorted([d["code"], d["nom"], d["region"]] for d in departments),
        "epci": sorted([e["code"], e["nom"], e["type"]] for e in epcis),
        "communes": sorted(
            [c["code"], c["nom"], c["departement"], epci_of.get(c["code"]), c.get("population")]
            for c in communes
        ),
    }
