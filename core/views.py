from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cooperations.models import Cooperation, CooperationForm
from structures.models import Sector, Structure
from territories.models import Region

from .cache import directory_cached
from .charts import bar_chart

LATEST_COUNT = 6


def home(request):
    context = {
        **directory_cached("home", _home_counts),
        "latest": Cooperation.objects.published().for_cards()[:LATEST_COUNT],
    }
    return render(request, "core/home.html", context)


def _home_counts():
    published = Cooperation.objects.published()
    return {
        "cooperation_count": published.count(),
        "structure_count": Structure.objects.taking_part().count(),
        "regions": list(
            Region.objects.with_cooperation_counts().filter(cooperation_count__gt=0).order_by("search_name")
        ),
        "forms": list(
            CooperationForm.objects.with_cooperation_counts()
            .filter(cooperation_count__gt=0)
            .order_by("position", "name")
        ),
        "levels": published.level_counts(),
        "sectors": list(
            Sector.objects.with_cooperation_counts()
            .filter(cooperation_count__gt=0)
            .order_by("-cooperation_count", "name")
        ),
    }


def statistics(request):
    published = Cooperation.objects.published()
    total = published.count()
    list_url = reverse("cooperations:list")
    levels_url = reverse("forms:levels")
    regions = Region.objects.with_cooperation_counts().order_by("-cooperation_count", "search_name")
    forms = CooperationForm.objects.with_cooperation_counts().order_by(
        "-cooperation_count", "position", "name"
    )
    sectors = Sector.objects.with_cooperation_counts().order_by("-cooperation_count", "name")
    several = _("Une fiche peut en compter plusieurs : le total dépasse le nombre de fiches.")
    charts = [
        bar_chart(
            "regions",
            _("Par région"),
            _("Coopérations publiées par région"),
            _("Région"),
            ((r.name, r.cooperation_count, r.get_absolute_url()) for r in regions),
            total=total,
            note=_(
                "Une fiche compte dans chaque région où elle a lieu ; les fiches nationales n'y figurent pas."
            ),
        ),
        bar_chart(
            "niveaux",
            _("Par niveau"),
            _("Coopérations publiées par niveau"),
            _("Niveau"),
            (
                (level.label, count, f"{levels_url}#{level.value}")
                for level, count in published.level_counts()
            ),
            total=total,
        ),
        bar_chart(
            "formes",
            _("Par forme"),
            _("Coopérations publiées par forme de coopération"),
            _("Forme"),
            ((f.name, f.cooperation_count, f.get_absolute_url()) for f in forms),
            total=total,
            note=several,
        ),
        bar_chart(
            "types",
            _("Par type de structure"),
            _("Coopérations publiées par type de structure participante"),
            _("Type de structure"),
            (
                (label, count, f"{list_url}?structure_kind={kind}")
                for kind, label, count in published.structure_kind_counts()
            ),
            total=total,
            note=_("Une fiche compte pour chaque type de structure qui y participe."),
        ),
        bar_chart(
            "secteurs",
            _("Par secteur"),
            _("Coopérations publiées par secteur d'activité"),
            _("Secteur"),
            ((s.name, s.cooperation_count, f"{list_url}?sector={s.slug}") for s in sectors),
            total=total,
            note=several,
        ),
    ]
    return render(request, "core/statistics.html", {"total": total, "charts": charts})


@never_cache
def healthz(request):
    """For the load balancer: 200 when this server can reach the database, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
