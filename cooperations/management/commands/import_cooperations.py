from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cooperations.resources import CooperationResource
from lib.progress import ProgressBar
from spreadsheets.formats import SpreadsheetImportFormat
from spreadsheets.reading import SpreadsheetError, check_size


class Command(BaseCommand):
    help = (
        "Importe des fiches coopération depuis un tableur (CSV, XLSX, XLS, ODS ou JSON, une ligne par "
        "fiche). "
        "Tout ou rien : au moindre problème, rien n'est enregistré et la commande se termine en erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Le fichier à importer.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Vérifie et résume ce qui changerait, sans rien enregistrer.",
        )
        parser.add_argument(
            "--user",
            help="Le compte à qui attribuer l'import ; ses droits de publication s'appliquent. Sans compte, "
            "l'import peut publier.",
        )

    def handle(self, *args, file, dry_run, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Le fichier « {file} » n'existe pas.")
        account = self._user(user)
        progress = ProgressBar(self.stderr)
        try:
            check_size(path.stat().st_size)
            dataset = SpreadsheetImportFormat().create_dataset(path.read_bytes())
        except SpreadsheetError as error:
            raise CommandError(f"{path.name} : {error.message} Rien n'a été enregistré.") from error
        resource = CooperationResource(progress=progress)
        result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True, user=account)
        progress.finish()
        report = result.report
        for message in report.messages():
            self.stderr.write(message)
        for row in report.rows:
            for warning in row.warnings:
                self.stderr.write(f"Ligne {row.line} : {warning}")
        summary = f"{path.name} : {report.summary() if report.rows else 'fichier refusé'}."
        if report.has_errors:
            raise CommandError(f"{summary} Rien n'a été enregistré : corrigez les erreurs ci-dessus.")
        if dry_run:
            summary += " Simulation : rien n'a été enregistré."
        self.stdout.write(summary)

    def _user(self, username):
        if not username:
            return None
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as error:
            raise CommandError(f"Aucun compte « {username} ».") from error
