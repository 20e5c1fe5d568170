"""How much of the page cache one fiche's save leaves: docs/performance.md, « Ce qu'une modification
laisse en cache »."""

import bisect
import random
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict
from django.test import Client

from cooperations.models import Cooperation
from devtools import bench, loadtest_addresses
from editing.forms import CooperationEditorForm, OutcomeFigureFormSet, ParticipationFormSet
from editing.roles import EDITORS
from editing.services import cooperation_save
from territories.models import Region

# What the save changes, as an Éditeur would in the workspace's editor.
CHANGES = {
    "body": "une phrase ajoutée au contexte (ni les cartes ni les facettes ne la montrent)",
    "title": "le titre (montré sur les cartes des listes où la fiche paraît)",
    "region": "une région de plus (les facettes de toutes les listes comptent les régions)",
    "outside": "le titre, enregistré hors de l'éditeur (comme l'admin ou un script : tout est oublié)",
}
GOAL = 0.9


class Command(BaseCommand):
    help = (
        "Remplit le cache des pages en visitant les adresses de l'essai de charge, enregistre une fiche "
        "publiée tirée au hasard par le service de l'espace de travail, puis demande des pages tirées "
        "selon la loi de Zipf (le même mélange que make loadtest) et affiche la part servie par le cache "
        f"des pages (objectif : au moins {GOAL:.0%})."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fiches",
            type=int,
            default=bench.DEFAULT_FICHES,
            help="Base de mesure de ce nombre de fiches (celle de manage.py bench, 10 000 par défaut).",
        )
        parser.add_argument(
            "--here", action="store_true", help="Mesure sur la base configurée plutôt que la base de mesure."
        )
        parser.add_argument("--addresses", type=int, default=loadtest_addresses.DEFAULT_COUNT)
        parser.add_argument("--views", type=int, default=1000, help="Pages demandées après l'enregistrement.")
        parser.add_argument("--exponent", type=float, default=1.0, help="Exposant de Zipf (1,0).")
        parser.add_argument("--seed", type=int, default=17)
        parser.add_argument("--change", choices=list(CHANGES), default="body", help="Ce que l'on modifie.")

    def handle(self, *args, **options):
        if not options["here"]:
            bench.use_bench_database(fiches=options["fiches"])
        settings.DEBUG = False
        settings.PAGE_CACHE_SECONDS = 900
        rng = random.Random(options["seed"])
        queries = loadtest_addresses.read_queries(settings.BASE_DIR / "loadtest" / "queries.txt")
        generator = loadtest_addresses.Generator(queries=queries, seed=options["seed"])
        if not generator.fiches:
            raise CommandError("Aucune fiche publiée dans cette base : préparez-la (manage.py bench).")
        drawn = generator.addresses(options["addresses"])
        addresses = [address.url for address in drawn]
        kinds = {address.url: address.kind for address in drawn}
        client = Client(HTTP_HOST="127.0.0.1")

        start = time.perf_counter()
        for address in addresses:
            response = client.get(address, secure=True)
            if response.status_code != 200:
                raise CommandError(f"{address} répond {response.status_code}.")
        self.stdout.write(f"{len(addresses)} adresses visitées en {time.perf_counter() - start:.0f} s.")

        # The same views before the save (what the cache holds: its budget, its room) and after it.
        before = self.views(client, addresses, kinds, options)
        self.report("Avant l'enregistrement", before, options["views"])
        fiche = rng.choice(list(Cooperation.objects.published().order_by("pk").values_list("pk", flat=True)))
        fiche = Cooperation.objects.get(pk=fiche)
        title = fiche.title
        self.save(fiche, options["change"])
        self.stdout.write(f"Fiche enregistrée : « {title} » ({CHANGES[options['change']]}).")
        after = self.views(client, addresses, kinds, options)
        ratio = self.report("Après l'enregistrement", after, options["views"])
        outcome = "atteint" if ratio >= GOAL else "MANQUÉ"
        self.stdout.write(f"Objectif : {GOAL:.0%} après l'enregistrement : {outcome}.")

    def views(self, client, addresses, kinds, options):
        """{kind: [served by the page cache, asked]} for `views` addresses drawn by Zipf's law."""
        rng = random.Random(options["seed"])
        cumulative, total = [], 0.0
        for n in range(1, len(addresses) + 1):
            total += 1 / n ** options["exponent"]
            cumulative.append(total)
        hits = {"fiche": [0, 0], "list": [0, 0], "search": [0, 0]}
        first = {}  # address -> served from the cache at its first view (kept from before the save)
        for _ in range(options["views"]):
            address = addresses[bisect.bisect_left(cumulative, rng.random() * total)]
            response = client.get(address, secure=True)
            served = bool(getattr(response, "from_page_cache", False))
            first.setdefault(address, served)
            counted = hits[kinds[address]]
            counted[0] += served
            counted[1] += 1
        hits["first"] = [sum(first.values()), len(first)]
        return hits

    def report(self, label, hits, views):
        kept, distinct = hits.pop("first")
        served = sum(hit for hit, _ in hits.values())
        detail = ", ".join(f"{kind} {hit}/{seen}" for kind, (hit, seen) in hits.items())
        detail += f" ; adresses distinctes servies par le cache à leur première demande : {kept}/{distinct}"
        self.stdout.write(
            f"{label} : {served} pages sur {views} servies par le cache ({served / views:.1%} ; {detail})."
        )
        return served / views

    def save(self, fiche, change):
        """Save `fiche` as the editor's form would, through the workspace's service."""
        if change == "outside":
            fiche.title = f"{fiche.title} (mise à jour)"
            fiche.save()
            return
        user, created = get_user_model().objects.get_or_create(
            username="mesure-invalidation", defaults={"is_staff": True}
        )
        if created:
            user.groups.add(Group.objects.get(name=EDITORS))
        form = CooperationEditorForm(instance=fiche, user=user)
        data = {}
        participations = ParticipationFormSet(instance=fiche, prefix="participations")
        figures = OutcomeFigureFormSet(instance=fiche, prefix="figures")
        for bound in [form, *participations, *figures]:
            for field in bound:
                value = field.value()
                if value is None or value is False:
                    continue
                data[field.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
        for formset in (participations, figures):
            data.update({field.html_name: field.value() for field in formset.management_form})
        if change == "body":
            data["context"] = f"{fiche.context}\n\nUne phrase ajoutée pour la mesure."
        elif change == "title":
            data["title"] = f"{fiche.title} (mise à jour)"
        else:
            data["regions"] = [*data.get("regions", []), *self.another_region(fiche)]
        form = CooperationEditorForm(_query(data), instance=fiche, user=user)
        formsets = [
            ParticipationFormSet(_query(data), instance=fiche, prefix="participations"),
            OutcomeFigureFormSet(_query(data), instance=fiche, prefix="figures"),
        ]
        if not form.is_valid() or not all(formset.is_valid() for formset in formsets):
            errors = [form.errors, *(formset.errors for formset in formsets)]
            raise CommandError(f"Le formulaire de la fiche est refusé : {errors}")
        cooperation_save(form=form, formsets=formsets, user=user)

    def another_region(self, fiche):
        held = fiche.regions.values_list("code", flat=True)
        return [Region.objects.exclude(code__in=held).order_by("code").values_list("code", flat=True)[0]]


def _query(data):
    query = QueryDict(mutable=True)
    for name, value in data.items():
        if isinstance(value, list):
            query.setlist(name, value)
        else:
            query[name] = value
    return query
