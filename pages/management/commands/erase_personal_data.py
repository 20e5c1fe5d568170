from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ...retention import RETENTION


class Command(BaseCommand):
    help = (
        "Efface les données personnelles arrivées au bout de leur durée de conservation (page « Données "
        "personnelles ») : demandes d'alerte non confirmées, noms et adresses des propositions et des "
        "suggestions examinées, journaux de connexion, sessions expirées. À lancer chaque jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compter sans rien effacer.")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        total = 0
        with transaction.atomic():
            for retention in RETENTION:
                count = retention.apply(now, dry_run=dry_run)
                total += count
                self.stdout.write(f"{count} : {retention.label}")
        prefix = "Essai, rien n'est effacé : " if dry_run else ""
        verb = "à effacer" if dry_run else "effacé(s)"
        self.stdout.write(self.style.SUCCESS(f"{prefix}{total} enregistrement(s) {verb}."))
