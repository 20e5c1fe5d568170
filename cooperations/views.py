from functools import cache

from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from lib.cache import fiche_cached_many
from lib.history import moved_or_404
from lib.page_cache import keyed_by
from lib.pagination import paginate
from lib.urls import absolute_url, site_url

from . import cards, search_records, similar
from .dependencies import fiche_page_tags, list_page_tags
from .exports import FORMATS, export_cooperations
from .filters import CooperationFilter
from .models import Cooperation, LevelSheet

PAGE_SIZE = 20
LAYOUT_TEMPLATE = "cooperations/includes/fiche_layout.html"


@keyed_by(CooperationFilter, "page", tags=list_page_tags)
def cooperation_list(request):
    filterset = CooperationFilter(request.GET, queryset=Cooperation.objects.published())
    # The page reads ids (and each fiche's reach, by which a department's list groups its fiches); the
    # cards, the facets and the ids of a page are rendered or read once per directory generation.
    fields = ("pk", "reach") if filterset.cleaned.get("department") else ("pk",)
    rows = filterset.qs.values_list(*fields)
    page, page_notice = paginate(request, rows, PAGE_SIZE, count=filterset.result_count)
    cooperations = cards.rendered_cards(
        cards.page_rows(filterset, page), search=filterset.search, participants=True
    )
    count = page.paginator.count
    context = {
        "filterset": filterset,
        "page": page,
        "cooperations": cooperations,
        "facets_html": cards.rendered_facets(filterset),
        "chips": filterset.chips(),
        "warnings": [*filterset.warnings, *filter(None, [page_notice])],
        # "Nothing here yet" differs from "nothing matches": only worth a query when a filtered list is empty.
        "nothing_published": count == 0
        and (not filterset.is_filtered or not Cooperation.objects.published().exists()),
        "export_query": _without(request.GET, "page", "format"),
    }
    # htmx asks for the results alone when a filter changes; a history restore needs the whole page.
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context["partial"] = partial
    template = "cooperations/includes/results.html" if partial else "cooperations/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    if request.GET.get("page", "").strip() in ("", "1"):  # Counted once, not again for each next page.
        response.search_record = search_records.record_of(filterset, count)
    return response


def cooperation_export(request):
    """Exactly the fiches the list shows for the same filters, in the import's columns."""
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            f"Format d'export inconnu « {fmt[:40]} » : choisissez {', '.join(FORMATS)}.",
            content_type="text/plain; charset=utf-8",
        )
    filterset = CooperationFilter(request.GET, queryset=Cooperation.objects.published())
    content, content_type, filename = export_cooperations(
        filterset.qs, fmt, base_url=site_url(request) + "/", stream=True
    )
    # A CSV is streamed as its rows are read, in constant memory; the other formats are built whole.
    response_class = HttpResponse if isinstance(content, bytes) else StreamingHttpResponse
    response = response_class(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@keyed_by(CooperationFilter)
def cooperation_feeds(request):
    """What a feed is and how to follow one, with the address of the feed of the list's selection to copy:
    a browser shows the feed itself as raw XML."""
    filterset = CooperationFilter(request.GET, queryset=Cooperation.objects.published())
    query = filterset.query_string()
    suffix = f"?{query}" if query else ""
    context = {
        "chips": filterset.chips(),
        "warnings": filterset.warnings,
        "query": query,
        "feed_url": absolute_url(reverse("cooperations:feed") + suffix, request),
        "selection_url": reverse("cooperations:list") + suffix,
        "follow_url": reverse("alerts:follow_search") + suffix,
    }
    return render(request, "cooperations/feeds.html", context)


def _without(query, *names):
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@keyed_by(tags=fiche_page_tags)
def cooperation_detail(request, slug):
    # The fiche's row (one indexed query); its relations only when its layout is not cached yet.
    published = Cooperation.objects.published().defer(*Cooperation.SEARCH_DATA_FIELDS)
    cooperation = published.filter(slug=slug).first()
    if cooperation is None:
        return moved_or_404(Cooperation.objects.published(), slug, "cooperations:detail")

    @cache
    def detailed():
        return Cooperation.objects.published().for_detail().get(pk=cooperation.pk)

    layout = fiche_cached_many(
        f"fiche_layout:{get_language()}",
        [cooperation.pk],
        lambda missing: {cooperation.pk: _render_layout(detailed())},
    )[cooperation.pk]
    similar_ids = fiche_cached_many(
        "similar_ids", [cooperation.pk], lambda missing: {cooperation.pk: similar.ids_for(cooperation)}
    )[cooperation.pk]
    context = _detail_context(request, cooperation, layout, similar_ids)
    return render(request, "cooperations/detail.html", context)


def cooperation_preview(request, slug):
    """A fiche as the public will see it, drafts included, for the staff who may read them."""
    if not (request.user.is_staff and request.user.has_perm("cooperations.view_cooperation")):
        raise Http404
    cooperation = Cooperation.objects.for_detail().filter(slug=slug).first()
    if cooperation is None:
        return moved_or_404(Cooperation.objects.all(), slug, "cooperations:preview")
    # Never from the cache: a draft's layout is rendered for the one who previews it.
    layout = _render_layout(cooperation)
    context = _detail_context(request, cooperation, layout, similar.ids_for(cooperation))
    return render(request, "cooperations/preview.html", context)


def _render_layout(cooperation):
    level_sheet = LevelSheet.objects.filter(code=cooperation.level).first()
    return render_to_string(LAYOUT_TEMPLATE, {"cooperation": cooperation, "level_sheet": level_sheet})


def _detail_context(request, cooperation, layout, similar_ids):
    return {
        "cooperation": cooperation,
        "fiche_layout": layout,
        "canonical_url": absolute_url(cooperation.get_absolute_url(), request),
        # Its neighbours are stored when it changes (similar.py), and their cards cached.
        "similar": cards.rendered_cards([(pk,) for pk in similar_ids]),
    }
