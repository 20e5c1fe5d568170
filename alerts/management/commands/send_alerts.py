from django.core.management.base import BaseCommand, CommandError

from lib.progress import ProgressBar

from ...digests import send_due_digests


class Command(BaseCommand):
    help = (
        "Envoie les alertes dues : à chaque personne qui suit une recherche ou une fiche, les fiches "
        "publiées ou modifiées depuis son dernier e-mail, au plus une fois par jour ou par semaine selon "
        "son choix. Efface les demandes non confirmées depuis sept jours. Sans danger à relancer : rien "
        "n'est envoyé deux fois. À lancer par cron, par exemple toutes les heures."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compter ce qui serait envoyé, sans rien envoyer ni effacer.",
        )

    def handle(self, *args, dry_run=False, **options):
        bar = ProgressBar(self.stdout)
        report = send_due_digests(dry_run=dry_run, progress=lambda done, total: bar("Alertes", done, total))
        bar.finish()
        prefix = "Essai, rien n'est envoyé ni effacé : " if dry_run else ""
        self.stdout.write(prefix + report.summary())
        if report.failed:
            raise CommandError(f"{report.failed} alerte(s) n'ont pas pu être envoyées ; voir le journal.")
