import io
import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from cooperations.models import Cooperation
from devtools import bench, phases, synthetic
from devtools.timing import load_average
from structures.models import Structure

OUTCOMES = {True: "atteint", False: "MANQUÉ", None: "—"}


class Command(BaseCommand):
    help = (
        "Mesure les pages publiques sur une base séparée (<base>_bench) de fiches "
        "synthétiques, construite au premier lancement puis réutilisée : médiane, 95e centile, nombre de "
        "requêtes SQL et rapport au plancher (le même SQL exécuté seul). Affiche un tableau et écrit du JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fiches",
            type=int,
            default=bench.DEFAULT_FICHES,
            help="Fiches publiées (10 000 par défaut) ; une base par taille (<base>_bench100k pour 100 000).",
        )
        parser.add_argument(
            "--structures", type=int, help="Structures (3 pour 10 fiches par défaut : 3 000 pour 10 000)."
        )
        parser.add_argument("--repeat", type=int, default=30, help="Mesures par page (30 par défaut).")
        parser.add_argument("--pages", nargs="*", help="Ne mesurer que ces pages (home, list, search…).")
        parser.add_argument("--output", default="var/bench.json", help="Fichier JSON des résultats.")
        parser.add_argument(
            "--baseline",
            help="JSON d'une mesure sur un annuaire plus petit (make bench à 10 000 fiches) : chaque page "
            f"au plus {bench.GOAL_GROWTH} × plus lente qu'alors, à chaud et à froid.",
        )
        parser.add_argument("--rebuild", action="store_true", help="Reconstruit la base de mesure.")
        parser.add_argument(
            "--prepare-only", action="store_true", help="Prépare la base de mesure sans rien mesurer."
        )
        parser.add_argument(
            "--urls",
            help="Écrit les adresses des pages liste, recherche et fiche dans ce fichier (make loadtest).",
        )
        parser.add_argument(
            "--phases",
            action="store_true",
            help="Répartit le temps des pages liste, recherche et fiche : SQL, gabarits, Markdown, facettes.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Indique la base et les pages sans rien écrire ni mesurer."
        )

    def handle(self, *args, **options):
        fiches = options["fiches"]
        structures = options["structures"] or max(1, fiches * 3 // 10)
        name = bench.bench_database_name(connection.settings_dict, fiches)
        if options["dry_run"]:
            self.stdout.write(f"[essai à blanc] Base de mesure : {name} ; {fiches} fiches.")
            return
        bench.use_bench_database(fiches=fiches, rebuild=options["rebuild"])
        self.stdout.write(f"Base de mesure : {name}")
        self.prepare(fiches, structures)
        if options["urls"]:
            urls = [url for page in bench.pages() if page.goal for url in page.urls]
            Path(options["urls"]).write_text("\n".join(urls) + "\n", encoding="utf-8")
            self.stdout.write(f"{len(urls)} adresses écrites dans {options['urls']}.")
        if options["prepare_only"]:
            return

        pages = [page for page in bench.pages() if not options["pages"] or page.key in options["pages"]]
        if not pages:
            raise CommandError(f"Aucune page parmi {', '.join(options['pages'])}.")
        # As in production: no query log kept in memory for each request (CaptureQueriesContext still
        # records the queries it is asked for).
        settings.DEBUG = False
        # The page's own work: whole pages are never served from the cache (lib/page_cache.py).
        settings.PAGE_CACHE_SECONDS = 0
        # The API's rate limit would refuse the rounds of its pages, and count them in the shared cache.
        settings.API_ANON_RATE = None
        runner = bench.Bench(repeat=options["repeat"])
        if options["phases"]:
            self.print_phases(runner, pages)
            return
        results = []
        for n, page in enumerate(pages, 1):
            self.stdout.write(f"[{n}/{len(pages)}] {page.label}…")
            try:
                results.append(runner.measure(page))
            except RuntimeError as error:
                raise CommandError(str(error)) from error
        self.print_table(results)
        growth = self.print_growth(results, options["baseline"]) if options["baseline"] else []
        path = self.write_json(options["output"], results, growth)
        self.stdout.write(self.style.SUCCESS(f"{len(results)} pages mesurées ; résultats dans {path}."))

    def prepare(self, fiches, structures):
        """Generate the synthetic directory, unless this database already holds it."""
        existing = Cooperation.objects.published().count()
        if existing == fiches and Structure.objects.count() == structures:
            self.stdout.write(f"{existing} fiches synthétiques déjà présentes : réutilisées.")
            return
        if existing or Structure.objects.exists():
            raise CommandError(
                f"La base de mesure contient {existing} fiches et non {fiches} : relancez avec --rebuild."
            )
        start = time.perf_counter()
        call_command("load_territories", verbosity=0, stdout=io.StringIO())
        call_command("load_seed", reference_only=True, stdout=io.StringIO())
        seconds = time.perf_counter() - start
        self.stdout.write(f"Territoires et fiches de référence chargés en {seconds:.1f} s.")
        start = time.perf_counter()
        written, people = synthetic.generate(fiches, structure_count=structures, stdout=self.stdout)
        seconds = time.perf_counter() - start
        self.stdout.write(f"{written} fiches et {people} structures générées en {seconds:.1f} s.")

    def print_table(self, results):
        rows = [
            ("Page", "médiane ms", "p95 ms", "CPU ms", "requêtes", "plancher ms", "× plancher", "objectif")
            + ("à froid ms", "requêtes", "plancher ms", "× plancher", "objectif")
        ]
        for r in results:
            queries = str(r.queries) if r.queries_constant else f"≤ {r.queries} (variable)"
            figures = [f"{value:.1f}" for value in (r.median_ms, r.p95_ms, r.cpu_ms, r.floor_ms, r.ratio)]
            if not r.floor_ms:
                figures[4] = "— (pas de SQL)"
            cold = ("—", "—", "—", "—")
            if r.cold_median_ms:
                cold = (
                    f"{r.cold_median_ms:.1f}",
                    str(r.cold_queries),
                    f"{r.cold_floor_ms:.1f}",
                    f"{r.cold_ratio:.1f}",
                )
            rows.append(
                (r.label, *figures[:3], queries, *figures[3:], OUTCOMES[r.goal_met], *cold)
                + (OUTCOMES[r.cold_goal_met],)
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for n, row in enumerate(rows):
            cells = [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]
            self.stdout.write("  ".join(cells))
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write(
            f"Objectifs des pages liste, recherche et fiche : médiane ≤ {bench.GOAL_MEDIAN_MS} ms et "
            f"≤ {bench.GOAL_FLOOR_RATIO} × le plancher SQL, fragments en cache ; à froid (première vue "
            "après l'enregistrement d'une fiche, la sienne pour une fiche) "
            f"≤ {bench.GOAL_COLD_MEDIAN_MS} ms "
            f"(fiche ≤ {bench.GOAL_COLD_FICHE_MS} ms) et ≤ {bench.GOAL_FLOOR_RATIO} × son plancher ; "
            f"structure et API ≤ {bench.GOAL_FLOOR_RATIO} × le plancher. Charge moyenne : {load_average()}."
        )
        for r in results:
            for kind, met in (("à chaud", r.goal_met), ("à froid", r.cold_goal_met)):
                if met is not None:
                    self.stdout.write(f"Objectif {r.label}, {kind} : {OUTCOMES[met]}")

    def print_growth(self, results, baseline_path):
        """Each page against the same page of a run on a smaller directory (its JSON)."""
        try:
            baseline = json.loads(Path(baseline_path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Lecture impossible de {baseline_path} : {error}") from error
        rows = bench.growth(results, baseline)
        names = {"median_ms": "à chaud", "cold_median_ms": "à froid"}
        self.stdout.write(
            f"Croissance depuis {baseline['fiches']} fiches (objectif ≤ {bench.GOAL_GROWTH} ×) :"
        )
        for label, measure, before, after, ratio, met in rows:
            self.stdout.write(
                f"Objectif {label}, {names[measure]}, {before:.1f} → {after:.1f} ms (× {ratio:.1f}) : "
                f"{OUTCOMES[met]}"
            )
        return [
            {"page": label, "measure": measure, "before_ms": before, "after_ms": after, "met": met}
            for label, measure, before, after, _ratio, met in rows
        ]

    def print_phases(self, runner, pages):
        """Each goal page's mean milliseconds per phase (see devtools/phases.py), warm caches."""
        rows = [("Page", "médiane ms", "CPU ms", *phases.PHASES)]
        for page in pages:
            if not page.goal:
                continue
            # The search apart for its rarest and its commonest word.
            variants = [(page.label, page.urls)]
            if page.key == "search":
                variants = [
                    (f"{page.label} « {q} »", [url]) for q, url in zip(bench.SEARCHES, page.urls, strict=True)
                ]
                variants = [variants[0], variants[-1]]
            for label, urls in variants:
                for url in urls:
                    for _ in range(runner.warmup):
                        runner.get(url)
                figures = phases.profile(runner.get, urls, runner.repeat)
                cells = [f"{figures[name]:.1f}" for name in ("median_ms", "cpu_ms", *phases.PHASES)]
                rows.append((label, *cells))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(
                    [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]
                )
            )
        self.stdout.write(f"Millisecondes par requête, phases exclusives. Charge moyenne : {load_average()}.")

    def write_json(self, output, results, growth):
        path = Path(output)
        if not path.is_absolute():
            path = settings.BASE_DIR / path
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "date": timezone.now().isoformat(timespec="seconds"),
            "machine": bench.machine(),
            "load_average": load_average(),
            "fiches": Cooperation.objects.published().count(),
            "structures": Structure.objects.count(),
            "goals": {
                "median_ms": bench.GOAL_MEDIAN_MS,
                "floor_ratio": bench.GOAL_FLOOR_RATIO,
                "cold_median_ms": bench.GOAL_COLD_MEDIAN_MS,
                "cold_fiche_median_ms": bench.GOAL_COLD_FICHE_MS,
                "growth": bench.GOAL_GROWTH,
            },
            "pages": [result.as_dict() for result in results],
            "growth": growth,
        }
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return path
