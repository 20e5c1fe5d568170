from django.core.management.base import BaseCommand
from django.db import transaction

from cooperations.models import Cooperation
from cooperations.search import refresh_search_index
from lib.cache import directory_changed


class Command(BaseCommand):
    help = (
        "Réécrit les données de recherche de toutes les fiches, en une requête SQL. L'enregistrement "
        "d'une fiche, d'une participation ou d'une structure les tient à jour ; à lancer après des "
        "modifications en masse qui ne passent pas par l'enregistrement (update, bulk_create) ou le "
        "renommage de territoires."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte les fiches sans rien écrire.")

    @transaction.atomic
    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            count = Cooperation.objects.count()
            self.stdout.write(f"[essai à blanc] {count} fiche(s) seraient réindexées.")
            return
        count = refresh_search_index()
        directory_changed()  # The cached searches' counts and results were computed from the old data.
        self.stdout.write(self.style.SUCCESS(f"Données de recherche réécrites pour {count} fiche(s)."))
