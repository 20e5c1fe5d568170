"""/integrer/ : a list of fiches for other websites to frame, and the page that builds its snippet.

The list (/integrer/liste/?…) takes the cooperation list's filters, shows a compact page of cards in the
site's design, opens every fiche in the top window, and sets no cookie: it reads no session, no user,
no message and holds no form token, so the page cache serves it. It alone may be framed by other sites
(`embeddable`); every other page keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`.
"""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation
from lib.pagination import paginate
from lib.urls import absolute_url

PAGE_SIZE = 10
# What the builder offers to choose; the embed itself reads every filter of the list.
BUILDER_FILTERS = ("organisation", "region", "form", "q")
FRAME_HEIGHT = 640


def embeddable(view):
    """Let other sites frame the view: `frame-ancestors` from EMBED_FRAME_ANCESTORS (replacing the
    site's 'none') and no X-Frame-Options. Only the embed's views wear it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        replace = csp_replace({"frame-ancestors": list(settings.EMBED_FRAME_ANCESTORS)})
        return replace(view)(request, *args, **kwargs)

    return xframe_options_exempt(wrapper)


@embeddable
def embed_list(request):
    filterset = CooperationFilter(request.GET, queryset=Cooperation.objects.published())
    fiches = filterset.qs.defer(*Cooperation.SEARCH_DATA_FIELDS)
    page, page_notice = paginate(request, fiches, PAGE_SIZE, count=filterset.result_count)
    cooperations = list(page.object_list.for_cards()) if page.paginator.count else []
    query = filterset.query_string()
    title = embed_title(filterset)
    context = {
        "filterset": filterset,
        # What narrows the list besides the organisation the title already names.
        "chips": [chip for chip in filterset.chips() if chip.label != organisation_chip(filterset)],
        "page": page,
        "cooperations": cooperations,
        "warnings": [*filterset.warnings, *filter(None, [page_notice])],
        "title": title,
        "selection_url": absolute_url(reverse("cooperations:list") + (f"?{query}" if query else ""), request),
        "home_url": absolute_url(reverse("home"), request),
    }
    return render(request, "embed/list.html", context)


def embed_builder(request):
    """A GET form: the filters chosen give the address of the list to frame and the code to paste."""
    filterset = CooperationFilter(request.GET, queryset=Cooperation.objects.published())
    query = "&".join(
        part for part in filterset.query_string().split("&") if part.split("=")[0] in BUILDER_FILTERS
    )
    embed_url = absolute_url(reverse("embed:list") + (f"?{query}" if query else ""), request)
    title = embed_title(filterset)
    snippet = (
        f'<iframe src="{escape(embed_url)}" title="{escape(title)}" width="100%" height="{FRAME_HEIGHT}" '
        'loading="lazy" style="border:0;max-width:100%"></iframe>'
    )
    context = {
        "filterset": filterset,
        "choices": filterset.choices,
        "selected": {name: filterset.cleaned.get(name) or "" for name in BUILDER_FILTERS},
        "forms_selected": filterset.cleaned.get("form") or [],
        "embed_url": embed_url,
        "snippet": snippet,
        "title": title,
        "frame_height": FRAME_HEIGHT,
    }
    return render(request, "embed/builder.html", context)


def organisation_name(filterset):
    return dict(filterset.choices["organisation"]).get(filterset.cleaned.get("organisation"))


def organisation_chip(filterset):
    """The list's chip of the organisation (filters.py), which the frame's title already says."""
    name = organisation_name(filterset)
    return _("Suivie par %(value)s") % {"value": name} if name else None


def embed_title(filterset):
    """What the frame is, for its title and heading: « Coopérations suivies par COORACE »."""
    name = organisation_name(filterset)
    if name:
        return _("Coopérations suivies par %(name)s") % {"name": name}
    return _("Coopérations de l'insertion par l'activité économique")
