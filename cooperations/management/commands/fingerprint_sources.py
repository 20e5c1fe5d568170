from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cooperations.seed import FINGERPRINTS
from cooperations.seed_copies import documents_dir, fingerprints_of, read_fingerprints, write_fingerprints


class Command(BaseCommand):
    help = (
        "Écrit les empreintes des documents sources (fixtures/sources/fingerprints.json.gz) qui servent à "
        "vérifier que les fiches d'amorçage ne recopient pas leurs phrases. À relancer quand un document "
        "change ou s'ajoute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--documents", default=str(documents_dir()), help="Dossier des documents (*.txt)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Compare aux empreintes enregistrées sans rien écrire."
        )

    def handle(self, *args, documents=None, dry_run=False, **options):
        paths = sorted(Path(documents).glob("*.txt"))
        if not paths:
            raise CommandError(f"Aucun document (*.txt) dans {documents}.")
        texts = {path.name: path.read_text(encoding="utf-8") for path in paths}
        if dry_run:
            current = read_fingerprints(FINGERPRINTS) if FINGERPRINTS.exists() else {}
            if current != fingerprints_of(texts):
                raise CommandError(
                    f"Les empreintes de {FINGERPRINTS.name} ne correspondent plus aux documents."
                )
            self.stdout.write(
                self.style.SUCCESS(f"[essai à blanc] {len(texts)} documents, empreintes à jour.")
            )
            return
        write_fingerprints(fingerprints_of(texts), FINGERPRINTS)
        count = sum(len(hashes) for hashes in read_fingerprints(FINGERPRINTS).values())
        self.stdout.write(self.style.SUCCESS(f"{len(texts)} documents, {count} empreintes écrites."))
