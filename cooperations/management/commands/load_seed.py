from django.core.management.base import BaseCommand, CommandError

from cooperations.seed import FIXTURES_DIR, SeedError, SeedLoader


class Command(BaseCommand):
    help = (
        "Charge les fiches de référence (secteurs, formes, niveaux) et les coopérations des documents "
        "sources depuis fixtures/. Idempotent : un second chargement ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Valide et compte sans rien écrire.")
        parser.add_argument("--directory", default=str(FIXTURES_DIR), help="Dossier des fixtures.")
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="Ne charge que les secteurs, formes et niveaux, sans les fiches des documents sources.",
        )

    def handle(self, *args, dry_run=False, directory=None, reference_only=False, **options):
        try:
            report = SeedLoader(directory).load(dry_run=dry_run, reference_only=reference_only)
        except SeedError as error:
            raise CommandError(
                f"{len(error.errors)} erreur(s) dans les fixtures, rien n'a été écrit :\n" + str(error)
            ) from error
        prefix = "[essai à blanc] " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"{prefix}{report.summary()}"))
