import hashlib
import os
import resource
import statistics
import tracemalloc

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from cooperations.exports import export_cooperations
from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation
from devtools import bench
from devtools.timing import Stopwatch, load_average

OUTCOMES = {True: "atteint", False: "MANQUÉ"}
# Issue 17's goals for all the fiches of the bench database (10,000): seconds to the last byte.
GOALS = {"csv": 1.5, "xlsx": 5.0}
# A streamed CSV holds one chunk of fiches at a time: its traced peak for every fiche may exceed the
# peak for the first chunk alone by this factor at most, whatever the number of fiches.
CONSTANT_MEMORY_FACTOR = 1.5
SAMPLE = 1000


class Command(BaseCommand):
    help = (
        "Mesure les exports de la liste publique (CSV diffusé au fil de l'eau, XLSX) sur la base de "
        "mesure de « manage.py bench » : temps réel et de calcul jusqu'au dernier octet, requêtes, "
        "mémoire, empreinte SHA-256 du CSV ; affiche chaque objectif atteint ou manqué."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="Mesures par format (3 par défaut).")
        parser.add_argument(
            "--formats", nargs="*", default=list(GOALS), help="Formats à mesurer (csv xlsx par défaut)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Indique la base et les formats sans rien mesurer."
        )

    def handle(self, *args, repeat, formats, dry_run, **options):
        unknown = set(formats) - set(GOALS)
        if unknown:
            raise CommandError(f"Formats inconnus : {', '.join(sorted(unknown))} ({', '.join(GOALS)}).")
        name = bench.bench_database_name(connection.settings_dict)
        if dry_run:
            self.stdout.write(f"[essai à blanc] Base de mesure : {name} ; formats : {', '.join(formats)}.")
            return
        bench.use_bench_database()
        count = Cooperation.objects.published().count()
        if not count:
            raise CommandError(f"La base {name} est vide : lancez « manage.py bench --prepare-only ».")
        settings.DEBUG = False  # as in production: no query log kept in memory
        self.stdout.write(
            f"Base de mesure : {name}, {count} fiches publiées ; charge moyenne {load_average()} ; "
            f"{os.cpu_count()} cœurs."
        )
        outcomes = []
        for fmt in formats:
            runs = []
            for n in range(1, repeat + 1):
                self.stderr.write(f"{fmt.upper()} {n}/{repeat}…")
                runs.append(self.measure(fmt))
            seconds = min(run["seconds"] for run in runs)
            # What an idle machine would take: the run whose two processes computed least.
            idle = min(runs, key=lambda run: run["cpu"] + run["database_cpu"])
            last = runs[-1]
            # The server's own CPU time, when the server runs on this machine.
            local = any(run["database_cpu"] for run in runs)
            server = f" dont {_figures(runs, 'database_cpu')} s de calcul PostgreSQL" if local else ""
            self.stdout.write(
                f"{fmt.upper()} de {count} fiches : {_figures(runs, 'seconds')} s réel, "
                f"{_figures(runs, 'cpu')} s de calcul Python, {_figures(runs, 'sql')} s de SQL{server}, "
                f"{last['queries']} requêtes, {last['size'] / 2**20:.1f} Mio ; "
                f"mémoire maximale du processus {_peak_rss():.0f} Mio ; charge {load_average()}."
            )
            if fmt == "csv":
                self.stdout.write(f"SHA-256 du CSV : {last['sha256']}")
            met = seconds <= GOALS[fmt]
            outcomes.append(met)
            self.stdout.write(
                f"Objectif {fmt.upper()} en {GOALS[fmt]:.1f} s ou moins : {OUTCOMES[met]} "
                f"(meilleur temps réel {seconds:.2f} s ; au mieux {idle['cpu']:.2f} s de calcul Python"
                + (f" et {idle['database_cpu']:.2f} s de calcul PostgreSQL" if local else "")
                + ", ce qu'une machine libre mettrait)."
            )
            if fmt == "csv":
                outcomes.append(self.check_constant_memory())
        summary = f"{outcomes.count(True)} objectifs atteints sur {len(outcomes)}."
        self.stdout.write(self.style.SUCCESS(summary) if all(outcomes) else self.style.WARNING(summary))

    def measure(self, fmt):
        """One export of every published fiche, read to its last byte, as the list's export view does."""
        with Stopwatch() as timing, CaptureQueriesContext(connection) as queries:
            content, _type, _name = export_cooperations(
                _exported(), fmt, base_url="https://example.org/", stream=True
            )
            digest, size = hashlib.sha256(), 0
            for piece in [content] if isinstance(content, bytes) else content:
                digest.update(piece)
                size += len(piece)
        sql = sum(float(query["time"]) for query in queries.captured_queries)
        return {
            "seconds": timing.wall,
            "cpu": timing.cpu,
            "database_cpu": timing.database_cpu or 0.0,
            "sql": sql,
            "queries": len(queries),
            "size": size,
            "sha256": digest.hexdigest(),
        }

    def check_constant_memory(self):
        """The streamed CSV's traced peak for every fiche against that for the first SAMPLE alone."""
        self.stderr.write("CSV, mémoire tracée…")
        peaks = []
        for limit in (SAMPLE, None):
            queryset = _exported()
            if limit:
                queryset = queryset.filter(pk__in=list(queryset.values_list("pk", flat=True)[:limit]))
            tracemalloc.start()
            content, _type, _name = export_cooperations(queryset, "csv", stream=True)
            for _piece in content:
                pass
            peaks.append(tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        met = peaks[1] <= CONSTANT_MEMORY_FACTOR * peaks[0]
        self.stdout.write(
            f"Objectif CSV en mémoire constante : {OUTCOMES[met]} (pic tracé {peaks[1]:.1f} Mio pour "
            f"toutes les fiches, {peaks[0]:.1f} Mio pour {SAMPLE})."
        )
        return met


def _exported():
    """The fiches the export of the unfiltered list writes."""
    return CooperationFilter(QueryDict(), queryset=Cooperation.objects.published()).qs


def _figures(runs, key):
    values = [run[key] for run in runs]
    shown = " / ".join(f"{value:.2f}" for value in values)
    return f"{shown} (médiane {statistics.median(values):.2f})" if len(values) > 1 else shown


def _peak_rss():
    """Peak resident memory of this process so far, in MiB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
