import gc
import random
import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from cooperations.columns import COLUMNS, level_label
from cooperations.models import Cooperation, CooperationForm, Level, Participation
from cooperations.participants import ROLE_ORDER, format_participant
from cooperations.resources import CooperationResource
from devtools.cleanup import delete_in_bulk
from devtools.timing import Stopwatch, load_average
from lib.cache import directory_changed
from lib.progress import ProgressBar
from lib.text import fold, slug_for
from spreadsheets.formats import SpreadsheetImportFormat, XLSXExport
from structures.models import Sector, Structure
from territories.models import Department

KINDS = [*Structure.IAE_KINDS, "company", "association"]
OUTCOMES = {True: "atteint", False: "MANQUÉ"}
# Issue 17's goals for 10,000 rows on PostgreSQL.
GOAL_FIRST_ROWS_PER_SECOND = 2000
GOAL_FLOOR_RATIO = 2.5
GOAL_PEAK_MEMORY_MIB = 300
GOAL_REIMPORT_ROWS_PER_SECOND = 4000


class Command(BaseCommand):
    help = (
        "Mesure l'import : génère un fichier XLSX de N fiches (trois participants et deux départements "
        "chacune), l'importe comme la commande import_cooperations, puis le réimporte, et compare au "
        "plancher d'un bulk_create des mêmes lignes. Affiche lignes par seconde, mémoire maximale et "
        "rapport au plancher ; supprime ensuite ce qu'il a créé."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000, help="Nombre de fiches (10 000 par défaut).")
        parser.add_argument(
            "--seed", type=int, default=1, help="Graine du hasard, pour des fichiers identiques."
        )
        parser.add_argument("--keep", action="store_true", help="Garder les fiches et structures importées.")

    def handle(self, *args, rows, seed, keep, **options):
        departments = list(Department.objects.values_list("code", flat=True))
        if not departments:
            raise CommandError("Aucun département : lancez d'abord « manage.py load_territories ».")
        self.progress = ProgressBar(self.stderr)
        self.stderr.write(f"Génération d'un fichier de {rows} lignes…")
        random.seed(seed)
        run = f"{time.time_ns() % 10**8:08d}"
        data, plan = self.generate(rows, run, departments)
        self.stdout.write(f"Fichier : {rows} lignes, {len(data) / 2**20:.1f} Mio (XLSX).")

        # Planner statistics, as autovacuum keeps them on a database in use (it may be off here).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rss_before = _peak_rss()
        cleaned = None
        try:
            first = self.measure(data, "Premier import")
            second = self.measure(data, "Réimport")
            self.stderr.write("Plancher bulk_create…")
            floor = self.floor(plan, run)
            rss_after = _peak_rss()
        finally:
            if not keep:
                cleaned = self.cleanup(run)

        for label, (timing, queries, summary) in (
            ("Premier import", first),
            ("Réimport identique", second),
        ):
            self.stdout.write(
                f"{label} : {summary} en {timing.describe()}, {_speed(rows, timing.wall)} lignes/s, "
                f"{queries} requêtes."
            )
        ratio = first[0].wall / floor.wall
        self.stdout.write(
            f"Plancher bulk_create des mêmes lignes : {floor.describe()} ; "
            f"premier import = {ratio:.1f} × le plancher."
        )
        self.stdout.write(
            f"Mémoire maximale du processus : {rss_after:.0f} Mio ({rss_before:.0f} Mio avant les imports) ; "
            f"charge moyenne {load_average()}."
        )
        if cleaned:
            self.stdout.write(cleaned)
        self.print_goals(rows, first[0], second[0], ratio, rss_after)

    def print_goals(self, rows, first, second, ratio, peak):
        idle = first.total_cpu
        goals = [
            (
                f"premier import à {_speed(GOAL_FIRST_ROWS_PER_SECOND)} lignes/s ou plus",
                rows / first.wall >= GOAL_FIRST_ROWS_PER_SECOND,
                f"{_speed(rows, first.wall)} lignes/s"
                + (f" ; {_speed(rows, idle)} lignes/s pour ses seuls calculs" if first.database_cpu else ""),
            ),
            (
                f"premier import en {GOAL_FLOOR_RATIO} × le plancher ou moins",
                ratio <= GOAL_FLOOR_RATIO,
                f"{ratio:.1f} ×",
            ),
            (
                f"mémoire maximale de {GOAL_PEAK_MEMORY_MIB} Mio ou moins",
                peak <= GOAL_PEAK_MEMORY_MIB,
                f"{peak:.0f} Mio",
            ),
            (
                f"réimport à {_speed(GOAL_REIMPORT_ROWS_PER_SECOND)} lignes/s ou plus",
                rows / second.wall >= GOAL_REIMPORT_ROWS_PER_SECOND,
                f"{_speed(rows, second.wall)} lignes/s"
                + (
                    f" ; {_speed(rows, second.total_cpu)} pour ses seuls calculs"
                    if second.database_cpu
                    else ""
                ),
            ),
        ]
        for label, met, figures in goals:
            self.stdout.write(f"Objectif {label} : {OUTCOMES[met]} ({figures}).")
        met = sum(1 for _label, outcome, _figures in goals if outcome)
        summary = f"{met} objectifs atteints sur {len(goals)}."
        self.stdout.write(self.style.SUCCESS(summary) if met == len(goals) else self.style.WARNING(summary))

    def generate(self, rows, run, departments):
        forms = list(CooperationForm.objects.all())
        sectors = list(Sector.objects.all())
        pool = [(f"Structure d'essai {run} n°{i}", KINDS[i % len(KINDS)]) for i in range(max(rows // 3, 3))]
        headers = {c.key: str(c.header) for c in COLUMNS}
        keys = ["title", "level", "forms", "departments", "sectors", "participants", "start_year", "summary"]
        table, plan = [], []
        for i in range(rows):
            participants = [(*structure, ROLE_ORDER[j]) for j, structure in enumerate(random.sample(pool, 3))]
            fiche = {
                "title": f"Coopération d'essai {run} n°{i}",
                "level": random.choice(list(Level)),
                "forms": random.sample(forms, min(len(forms), 2)),
                "departments": random.sample(departments, 2),
                "sectors": random.sample(sectors, min(len(sectors), 1)),
                "participants": participants,
                "start_year": 2000 + i % 25,
                "summary": f"Fiche générée pour mesurer l'import ({i}). " * 4,
            }
            plan.append(fiche)
            table.append(
                [
                    fiche["title"],
                    level_label(fiche["level"]),
                    "; ".join(str(f) for f in fiche["forms"]),
                    "; ".join(fiche["departments"]),
                    "; ".join(s.name for s in fiche["sectors"]),
                    "; ".join(format_participant(*p) for p in participants),
                    fiche["start_year"],
                    fiche["summary"],
                ]
            )
        return XLSXExport().write([headers[k] for k in keys], table), plan

    def measure(self, data, label):
        """The import_cooperations path: read the file, then import it, in its own transaction."""
        self.stderr.write(f"{label}…")
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(1)
            return execute(sql, params, many, context)

        with Stopwatch() as timing, connection.execute_wrapper(count):
            dataset = SpreadsheetImportFormat().create_dataset(data)
            resource = CooperationResource(
                progress=lambda step, done, total: self.progress(f"{label} : {step}", done, total)
            )
            result = resource.import_data(dataset, dry_run=False, use_transactions=True)
        self.progress.finish()
        if result.report.has_errors:
            raise CommandError("\n".join(result.report.messages()[:10]))
        # The summary alone: the report of 10,000 rows would weigh on the next import's peak memory.
        return timing, len(queries), result.report.summary()

    def floor(self, plan, run):
        """The Timing of writing the same fiches, structures and links with bulk_create, rolled back."""
        with transaction.atomic():
            gc.disable()  # as the import does, so that both are measured alike
            try:
                with Stopwatch() as timing:
                    self.write_floor(plan, run)
                return timing
            finally:
                gc.enable()
                transaction.set_rollback(True)

    def write_floor(self, plan, run):
        """The rows of the file as ready-made objects: no reading, no look-up, no comparison."""
        names = {(name, kind) for fiche in plan for name, kind, _role in fiche["participants"]}
        structures = {
            key: Structure(
                name=f"plancher {key[0]}",
                kind=key[1],
                search_name=fold(f"plancher {key[0]}"),
                slug=slug_for(f"plancher {key[0]}"),
            )
            for key in names
        }
        Structure.objects.bulk_create(structures.values(), batch_size=1000)
        fiches = [
            Cooperation(
                title=f["title"],
                slug=f"plancher-{run}-{i}",
                level=f["level"],
                start_year=f["start_year"],
                summary=f["summary"],
            )
            for i, f in enumerate(plan)
        ]
        Cooperation.objects.bulk_create(fiches, batch_size=1000)
        links = {"forms": "cooperationform_id", "departments": "department_id", "sectors": "sector_id"}
        for name, column in links.items():
            through = getattr(Cooperation, name).through
            through.objects.bulk_create(
                [
                    through(cooperation_id=c.pk, **{column: getattr(t, "pk", t)})
                    for c, f in zip(fiches, plan, strict=True)
                    for t in f[name]
                ],
                batch_size=1000,
            )
        Participation.objects.bulk_create(
            [
                Participation(cooperation_id=c.pk, structure_id=structures[(n, k)].pk, role=r)
                for c, f in zip(fiches, plan, strict=True)
                for n, k, r in f["participants"]
            ],
            batch_size=1000,
        )

    def cleanup(self, run):
        """Delete what the imports created, with its history, in a few statements; return a summary."""
        self.stderr.write("Nettoyage…")
        start = time.perf_counter()
        fiches = Cooperation.objects.filter(title__startswith=f"Coopération d'essai {run} ")
        structures = Structure.objects.filter(name__startswith=f"Structure d'essai {run} ")
        fiche_ids = list(fiches.values_list("pk", flat=True))
        structure_ids = list(structures.values_list("pk", flat=True))
        rows = delete_in_bulk(fiche_ids, structure_ids)
        directory_changed()
        return (
            f"Nettoyage : {len(fiche_ids)} fiches et {len(structure_ids)} structures supprimées avec leurs "
            f"versions ({rows} lignes) en {time.perf_counter() - start:.1f} s."
        )


def _speed(rows, seconds=1):
    return f"{rows / seconds:,.0f}".replace(",", "\u202f")


def _peak_rss():
    """Peak resident memory of this process so far, in MiB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
