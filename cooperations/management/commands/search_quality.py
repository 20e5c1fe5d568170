from django.core.management.base import BaseCommand, CommandError

from cooperations.search_quality import RELEVANCE_SET, RelevanceSetError, measure, read_cases


class Command(BaseCommand):
    help = (
        "Mesure la recherche sur le jeu de pertinence (fixtures/search/relevance.yaml) : rappel dans les "
        "10 premières fiches, part des requêtes dont la fiche attendue vient en premier, part des fiches "
        "attendues dans les 3 premières, et chaque requête manquée. À lancer sur une base qui contient les "
        "fiches d'amorçage (manage.py load_seed). Lecture seule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(RELEVANCE_SET), help="Un autre jeu de pertinence.")
        parser.add_argument("--min-recall", type=float, help="Échoue si le rappel@10 est plus bas (0 à 1).")
        parser.add_argument("--min-first", type=float, help="Échoue sous cette part « en premier ».")

    def handle(self, *args, file, min_recall=None, min_first=None, **options):
        try:
            report = measure(read_cases(file))
        except RelevanceSetError as error:
            raise CommandError(f"Jeu de pertinence invalide : {error}") from error
        for outcome in report.misses:
            filters = "".join(f" {name}={value}" for name, value in outcome.case.filters.items())
            self.stdout.write(f"✗ « {outcome.case.query} »{filters} ({outcome.case.kind})")
            for miss in outcome.misses:
                self.stdout.write(f"    {miss}")
            shown = " | ".join(title[:50] for title in outcome.found[:5]) or "aucun résultat"
            self.stdout.write(f"    trouvées : {shown}")
        self.stdout.write(
            f"{len(report.outcomes)} requêtes ; manquées : {len(report.misses)} ; "
            f"rappel@10 : {report.recall_at_10:.1%} ; "
            f"attendue en premier : {report.first_share:.1%} ; "
            f"attendues dans les 3 premières : {report.top3_share:.1%}"
        )
        failures = []
        if min_recall is not None and report.recall_at_10 < min_recall:
            failures.append(f"rappel@10 {report.recall_at_10:.1%} < {min_recall:.1%}")
        if min_first is not None and report.first_share < min_first:
            failures.append(f"en premier {report.first_share:.1%} < {min_first:.1%}")
        if failures:
            raise CommandError("Sous les seuils : " + " ; ".join(failures))
