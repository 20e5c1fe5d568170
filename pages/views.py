"""The public pages that bring several parts of the directory together: the home page, the statistics,
the territory pages and the structure pages, each listing the fiches of what it shows."""

import sys

from django.core.cache import caches
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.db.models import Count, Window, prefetch_related_objects
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cooperations import stats
from cooperations.models import Cooperation
from cooperations.models.reach import NATIONAL, OWN, REGIONAL
from lib import mail
from lib.cache import directory_cached
from lib.history import moved_or_404
from lib.page_cache import keyed_by
from lib.pagination import paginate
from lib.urls import absolute_url
from structures.filters import StructureFilter
from structures.models import Structure
from territories.maps import department_map, region_map
from territories.models import Department, Region

from .charts import bar_chart

HOME_LATEST_COUNT = 6
TERRITORY_LATEST_COUNT = 12
DEPARTMENT_STRUCTURE_COUNT = 24
STRUCTURE_PAGE_SIZE = 24


# --- / ---------------------------------------------------------------------------------------------
@keyed_by()
def home(request):
    context = {
        **directory_cached("home", _home_counts),
        "latest": Cooperation.objects.published().for_cards()[:HOME_LATEST_COUNT],
    }
    return render(request, "pages/home.html", context)


def _home_counts():
    published = Cooperation.objects.published()
    return {
        "cooperation_count": published.count(),
        "structure_count": stats.structures_taking_part().count(),
        "regions": list(stats.regions_with_counts().filter(reach_count__gt=0).order_by("search_name")),
        "forms": list(stats.forms_with_counts().filter(cooperation_count__gt=0).order_by("position", "name")),
        "levels": stats.level_counts(published),
        "sectors": list(
            stats.sectors_with_counts().filter(cooperation_count__gt=0).order_by("-cooperation_count", "name")
        ),
    }


# --- Errors ----------------------------------------------------------------------------------------
RETRY_AFTER = 30  # seconds, for a database that does not answer


def server_error(request):
    """The 500 page; a 503 asking to come back when the database cannot be reached. Rendered without the
    request, so without the session or the signed-in user: nothing here needs the database."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is a static file."""
    return HttpResponseRedirect(static("favicon.svg"))


@never_cache
def healthz(request):
    """For the load balancer and the operators: which part is down. 503 only when the database is, the
    one part without which nothing works; the cache (Redis) and the e-mail server are optional, the
    site working without them: "degraded" and 200."""
    parts = {"database": _database_status(), "cache": _cache_status(), "email": mail.status()}
    if parts["database"] != "ok":
        return JsonResponse({"status": "error", **parts}, status=503)
    degraded = any(value != "ok" for value in parts.values())
    return JsonResponse({"status": "degraded" if degraded else "ok", **parts})


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


def _cache_status():
    """Redis, when the caches use it: does it answer now?"""
    ping = getattr(caches["default"], "ping", None)
    return "unreachable" if ping is not None and not ping() else "ok"


# --- /robots.txt ----------------------------------------------------------------------------------
# What robots may read: the public pages, not the admin, the forms, the alerts' links, the exports,
# nor the list's endless combinations of filters (every fiche is in the sitemap), nor the API's answers
# (its documentation and the /donnees/ page stay readable).
ROBOTS_DISALLOW = [
    "/admin/",
    "/alertes/",
    "/connexion/",
    "/deconnexion/",
    "/mot-de-passe/",
    "/cooperations/export/",
    "/cooperations/?",
    "/cooperations/*/signaler/",
    "/cooperations/*/apercu/",
    "/structures/?",
    "/api/v1/",
    "/api/schema/",
]


def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'), request)}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- /statistiques/ --------------------------------------------------------------------------------
@keyed_by()
def statistics(request):
    published = Cooperation.objects.published()
    total = published.count()
    charts = [chart(published, total) for chart in STATISTICS_CHARTS]
    return render(request, "pages/statistics.html", {"total": total, "charts": charts})


SEVERAL_PER_FICHE = _("Une fiche peut en compter plusieurs : le total dépasse le nombre de fiches.")


def _regions_chart(published, total):
    regions = stats.regions_with_counts().order_by("-reach_count", "search_name")
    return bar_chart(
        "regions",
        _("Par région"),
        _("Coopérations publiées par région"),
        _("Région"),
        ((r.name, r.reach_count, r.get_absolute_url()) for r in regions),
        total=total,
        note=_(
            "Une fiche compte dans chaque région où elle a lieu ; les fiches nationales n'y figurent pas."
        ),
    )


def _levels_chart(published, total):
    levels_url = reverse("forms:levels")
    return bar_chart(
        "niveaux",
        _("Par niveau"),
        _("Coopérations publiées par niveau"),
        _("Niveau"),
        (
            (level.label, count, f"{levels_url}#{level.value}")
            for level, count in stats.level_counts(published)
        ),
        total=total,
    )


def _forms_chart(published, total):
    forms = stats.forms_with_counts().order_by("-cooperation_count", "position", "name")
    return bar_chart(
        "formes",
        _("Par forme"),
        _("Coopérations publiées par forme de coopération"),
        _("Forme"),
        ((f.name, f.cooperation_count, f.get_absolute_url()) for f in forms),
        total=total,
        note=SEVERAL_PER_FICHE,
    )


def _kinds_chart(published, total):
    list_url = reverse("cooperations:list")
    return bar_chart(
        "types",
        _("Par type de structure"),
        _("Coopérations publiées par type de structure participante"),
        _("Type de structure"),
        (
            (label, count, f"{list_url}?structure_kind={kind}")
            for kind, label, count in stats.structure_kind_counts(published)
        ),
        total=total,
        note=_("Une fiche compte pour chaque type de structure qui y participe."),
    )


def _sectors_chart(published, total):
    list_url = reverse("cooperations:list")
    sectors = stats.sectors_with_counts().order_by("-cooperation_count", "name")
    return bar_chart(
        "secteurs",
        _("Par secteur"),
        _("Coopérations publiées par secteur d'activité"),
        _("Secteur"),
        ((s.name, s.cooperation_count, f"{list_url}?sector={s.slug}") for s in sectors),
        total=total,
        note=SEVERAL_PER_FICHE,
    )


STATISTICS_CHARTS = [_regions_chart, _levels_chart, _forms_chart, _kinds_chart, _sectors_chart]


# --- /territoires/ ---------------------------------------------------------------------------------
# A region counts the fiches its page and its filter in the list give; a department's map shades the
# fiches placed in it, and its page tells them apart from those of its region and the national ones.
@keyed_by()
def territory_index(request):
    regions = list(stats.regions_with_counts().order_by("search_name"))
    departments = list(stats.departments_with_counts().order_by("code"))
    context = {
        "regions": regions,
        "departments": departments,
        "region_map": region_map(regions, departments, count="reach_count"),
        "department_map": department_map(departments, count="placed_count"),
    }
    return render(request, "pages/territories.html", context)


@keyed_by()
def region_detail(request, slug):
    region = get_object_or_404(Region, slug=slug)
    departments = list(stats.departments_with_counts(region.departments.all()).order_by("code"))
    published = Cooperation.objects.published()
    # Its latest fiches, each with how many it has.
    local = published.in_region(region.code).annotate(reach_total=Window(Count("pk")))
    local = list(local[:TERRITORY_LATEST_COUNT])
    # The national fiches belong to every region too: shown apart, never mistaken for its own.
    national = published.filter(scope=Cooperation.Scope.NATIONAL).exclude(
        pk__in=published.in_region(region.code)
    )
    national = list(national[:TERRITORY_LATEST_COUNT])
    prefetch_related_objects([*local, *national], *Cooperation.CARD_RELATIONS)
    context = {
        "region": region,
        "reach_count": local[0].reach_total if local else 0,
        "departments": departments,
        "map": department_map(departments, count="placed_count", key="region"),
        "cooperations": local,
        "national": national,
        "structure_count": stats.public_structures().filter(department__region=region).count(),
    }
    return render(request, "pages/region.html", context)


@keyed_by()
def department_detail(request, slug):
    department = get_object_or_404(Department.objects.select_related("region"), slug=slug)
    structures = stats.public_structures().filter(department=department)
    # Its own fiches, then those of regional scope in its region and the national ones, shown apart so
    # that nobody takes them for local ones: the latest of each and their counts in one query, and the
    # cards' relations for all.
    fiches = Cooperation.objects.published().in_department(department.code)
    latest = list(fiches.latest_by_reach_in_department(department.code, TERRITORY_LATEST_COUNT))
    prefetch_related_objects(latest, *Cooperation.CARD_RELATIONS)
    sections = {way: [fiche for fiche in latest if fiche.reach == way] for way in (OWN, REGIONAL, NATIONAL)}
    counts = {fiche.reach: fiche.reach_total for fiche in latest}
    context = {
        "department": department,
        "cooperations": sections[OWN],
        "regional": sections[REGIONAL],
        "national": sections[NATIONAL],
        "latest": latest,
        "reach_count": sum(counts.values()),
        # « 12 dans le département, 3 à l'échelle de la région et 2 à l'échelle nationale »
        "breakdown": [
            (counts[way], label)
            for way, label in (
                (OWN, _("dans le département")),
                (REGIONAL, _("à l'échelle de la région")),
                (NATIONAL, _("à l'échelle nationale")),
            )
            if counts.get(way) and set(counts) != {OWN}
        ],
        "structure_count": structures.count(),
        "structures": stats.structures_with_counts(structures.with_place()).order_by("search_name")[
            :DEPARTMENT_STRUCTURE_COUNT
        ],
    }
    return render(request, "pages/department.html", context)


# --- /structures/ ----------------------------------------------------------------------------------
@keyed_by(StructureFilter, "page")
def structure_list(request):
    public = stats.public_structures(Structure.objects.with_place())
    structures = stats.structures_with_counts(public).order_by("search_name", "pk")
    filterset = StructureFilter(request.GET, queryset=structures)
    page, page_notice = paginate(request, filterset.qs, STRUCTURE_PAGE_SIZE)
    context = {
        "filterset": filterset,
        "page": page,
        "page_notice": page_notice,
        # "Nothing matches" and "nothing yet" are different news; the second costs a query only then.
        "nothing_yet": not page.paginator.count
        and (not filterset.is_filtered or not stats.public_structures().exists()),
    }
    return render(request, "pages/structures.html", context)


@keyed_by()
def structure_detail(request, slug):
    structures = stats.public_structures(Structure.objects.with_place()).prefetch_related(
        "networks", "sectors"
    )
    structure = stats.with_published_participations(structures).filter(slug=slug).first()
    if structure is None:
        return moved_or_404(stats.public_structures(), slug, "structures:detail")
    return render(request, "pages/structure.html", {"structure": structure})
