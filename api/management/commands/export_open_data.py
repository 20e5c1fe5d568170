from django.conf import settings
from django.core.management.base import BaseCommand

from api.exports import build_files, write_files
from lib.urls import site_url


class Command(BaseCommand):
    help = (
        "Écrit les données ouvertes dans DOSSIER (par défaut OPEN_DATA_DIR) : fiches publiées en CSV et en "
        "JSON, structures au format data·inclusion, schéma et datapackage.json. Seuls les fichiers qui "
        "ont changé sont réécrits, chacun d'un coup (fichier temporaire puis renommage)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=None, help="Dossier de destination.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Dire ce qui changerait, sans rien écrire."
        )

    def handle(self, *args, directory=None, dry_run=False, **options):
        directory = directory or settings.OPEN_DATA_DIR
        contents, fiches, structures = build_files(site_url())
        changed = write_files(directory, contents, dry_run=dry_run)
        for name in changed:
            self.stdout.write(f"{'à écrire' if dry_run else 'écrit'} : {name}")
        unchanged = len(contents) - len(changed)
        verb = "à écrire" if dry_run else "écrits"
        self.stdout.write(
            self.style.SUCCESS(
                f"{fiches} fiches, {structures} structures dans {directory} : "
                f"{len(changed)} fichiers {verb}, {unchanged} inchangés."
            )
        )
