"""manage.py enrich_structures FILE [--dry-run]: suggest what a data·inclusion structures file knows of
our structures, for the editors to take or leave in the review queue (structures/enrichment.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lib.progress import ProgressBar
from spreadsheets.reading import SpreadsheetError

from ...enrichment import file_suggestions, match, read_records
from ...models import Structure


class Command(BaseCommand):
    help = (
        "Rapproche nos structures d'un fichier de structures data·inclusion (schéma v1, CSV ou JSON) : "
        "par SIRET, sinon par nom et lieu ; chaque rapprochement qui apporte une information devient un "
        "complément à examiner dans « À examiner ». Aucune structure n'est modifiée."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier de structures (CSV ou JSON), tel que publié.")
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien enregistrer.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire « {file} » : {error.strerror}.") from error
        try:
            records, invalid = read_records(data)
        except SpreadsheetError as error:
            raise CommandError(f"« {path.name} » : {error.message}") from error
        structures = list(Structure.objects.order_by("pk"))
        progress = ProgressBar(self.stdout)
        outcome = match(records, structures, progress)
        progress("rapprochement", len(structures), len(structures))
        progress.finish()
        with transaction.atomic():
            counts = file_suggestions(outcome)
            if dry_run:
                transaction.set_rollback(True)
        verbosity = options["verbosity"]
        for message in invalid[:20] if verbosity > 1 else []:
            self.stdout.write(f"  valeur écartée, {message}")
        for structure, close in outcome.ambiguous if verbosity else []:
            names = " ; ".join(f"{record.name} ({round(score)})" for record, score in close)
            self.stdout.write(f"  ambiguë : {structure.name} (n° {structure.pk}) ↔ {names}")
        prefix = "[essai, rien n'est enregistré] " if dry_run else ""
        self.stdout.write(
            f"{prefix}{outcome.records} enregistrement(s) lu(s), {outcome.skipped} écarté(s) ; "
            f"{len(structures)} structure(s) : {len(outcome.matched)} rapprochée(s), "
            f"{len(outcome.ambiguous)} ambiguë(s), {outcome.unmatched} sans correspondance ; "
            f"compléments : {counts['created']} nouveau(x), {counts['updated']} mis à jour, "
            f"{counts['unchanged']} sans rien de neuf ; {len(invalid)} valeur(s) invalide(s) écartée(s)."
        )
