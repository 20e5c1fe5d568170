import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from devtools import loadtest_addresses


class Command(BaseCommand):
    help = (
        "Écrit les adresses de l'essai de charge (make loadtest) : fiches, liste avec des combinaisons de "
        "filtres et recherches tirées de loadtest/queries.txt, de la plus demandée à la moins demandée, "
        "lues dans la base configurée (la base de mesure pour make loadtest). Même base, même graine : "
        "mêmes adresses."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count",
            type=int,
            default=loadtest_addresses.DEFAULT_COUNT,
            help=f"Adresses distinctes ({loadtest_addresses.DEFAULT_COUNT} par défaut).",
        )
        parser.add_argument("--seed", type=int, default=17, help="Graine du tirage (17 par défaut).")
        parser.add_argument(
            "--queries",
            default=str(settings.BASE_DIR / "loadtest" / "queries.txt"),
            help="Fichier des recherches, une par ligne (loadtest/queries.txt par défaut).",
        )
        parser.add_argument(
            "--output", default="var/loadtest-urls.txt", help="Fichier écrit (var/loadtest-urls.txt)."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Demande aussi chaque adresse au client de test de Django : toutes doivent répondre 200.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Tire les adresses et les compte sans rien écrire."
        )

    def handle(self, *args, **options):
        start = time.perf_counter()
        queries = loadtest_addresses.read_queries(options["queries"])
        generator = loadtest_addresses.Generator(queries=queries, seed=options["seed"])
        if not generator.fiches:
            raise CommandError(
                "Aucune fiche publiée dans cette base : préparez-la d'abord (manage.py bench)."
            )
        try:
            addresses = generator.addresses(options["count"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        counts = loadtest_addresses.by_kind(addresses)
        summary = (
            f"{len(addresses)} adresses distinctes ({counts['fiche']} fiches, {counts['list']} listes, "
            f"{counts['search']} recherches ; {len(queries)} requêtes de recherche) tirées en "
            f"{time.perf_counter() - start:.1f} s"
        )
        if options["check"]:
            self.check_addresses(addresses)
            summary += " ; toutes répondent 200"
        if options["dry_run"]:
            self.stdout.write(f"[essai à blanc] {summary}.")
            return
        path = loadtest_addresses.write(addresses, options["output"])
        self.stdout.write(self.style.SUCCESS(f"{summary} ; écrites dans {path}."))

    def check_addresses(self, addresses):
        client = Client(HTTP_HOST="127.0.0.1")
        failed = []
        for n, address in enumerate(addresses, 1):
            status = client.get(address.url, secure=True).status_code
            if status != 200:
                failed.append(f"{status} {address.url}")
            if n % 200 == 0:
                self.stderr.write(f"{n}/{len(addresses)} adresses vérifiées…")
        if failed:
            raise CommandError(f"{len(failed)} adresses ne répondent pas 200 :\n" + "\n".join(failed[:20]))
