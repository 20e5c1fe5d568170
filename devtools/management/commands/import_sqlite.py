from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db import DatabaseError, connection

from cooperations.models import Cooperation
from devtools import sqlite_import


class Command(BaseCommand):
    help = (
        "Copie une base SQLite locale du site (db.sqlite3, l'ancienne base par défaut) dans la base "
        "PostgreSQL : fiches, structures, comptes, historique, propositions, alertes, synonymes… avec "
        "leurs identifiants. Le contenu actuel de la base PostgreSQL est remplacé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "db.sqlite3"), help="Le fichier SQLite."
        )
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien copier.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Ne pas demander de confirmation."
        )

    def handle(self, *args, path, dry_run, interactive, verbosity, **options):
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"Le fichier {path} n'existe pas.")
        source = sqlite_import.open_sqlite(path.resolve())
        try:
            counts = sqlite_import.count_rows(source)
        except DatabaseError as error:
            raise CommandError(f"{path} n'est pas une base SQLite du site lisible : {error}") from error
        fiches = counts.get(Cooperation._meta.db_table, 0)
        self.stdout.write(f"{path} : {sum(counts.values())} lignes, dont {fiches} fiches.")
        if dry_run:
            for name, rows in sorted(counts.items()):
                if rows:
                    self.stdout.write(f"  {name} : {rows}")
            self.stdout.write("Essai : rien n'a été copié.")
            return
        database = connection.settings_dict["NAME"]
        existing = Cooperation.objects.count()
        if interactive and existing:
            answer = input(
                f"La base {database} contient déjà {existing} fiches, qui seront remplacées. "
                "Continuer ? [oui/non] "
            )
            if answer.strip().lower() not in {"o", "oui", "y", "yes"}:
                raise CommandError("Rien n'a été copié.")
        report = sqlite_import.copy_database(source)
        # Content types, permissions and the team's roles for what the SQLite file did not know yet.
        emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)
        call_command("rebuild_search_index", verbosity=0)
        for table in report.missing_tables:
            self.stdout.write(f"  table absente du fichier, laissée vide : {table}")
        for column in report.missing_columns:
            self.stdout.write(f"  colonne absente du fichier, valeur par défaut : {column}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.total} lignes copiées dans {database} ({len(report.rows)} tables), dont "
                f"{report.rows.get(Cooperation._meta.db_table, 0)} fiches."
            )
        )
