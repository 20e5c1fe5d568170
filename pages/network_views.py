"""/reseaux/ : the networks and services that follow fiches, each with its page (who they are, their
fiches, their counts by region, form and level, their feed and alert), and their logos."""

from django.db.models import Count, Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation
from lib.urls import absolute_url
from structures.models import Network

LATEST_COUNT = 12
COUNTED = ("region", "form", "level")
PUBLISHED = Q(curated_cooperations__status=Cooperation.Status.PUBLISHED)


def network_index(request):
    """One query: the organisations that follow fiches or have editors, with their published fiches."""
    networks = (
        Network.objects.curating()
        .defer("logo")
        .annotate(fiche_count=Count("curated_cooperations", filter=PUBLISHED, distinct=True))
        .order_by("name")
    )
    return render(request, "pages/networks.html", {"networks": list(networks)})


def network_detail(request, slug):
    network = get_object_or_404(Network.objects.defer("logo"), slug=slug)
    query = urlencode({"organisation": network.slug})
    filterset = CooperationFilter(QueryDict(query), queryset=Cooperation.objects.published())
    # The list's facet counts of this selection, one query kept until the directory changes: the same
    # numbers the list shows once filtered on the organisation.
    facets = {facet.name: facet for facet in filterset.facets() if facet.name in COUNTED}
    latest = list(filterset.qs.defer(*Cooperation.SEARCH_DATA_FIELDS).for_cards()[:LATEST_COUNT])
    selection_url = f"{reverse('cooperations:list')}?{query}"
    context = {
        "network": network,
        "fiche_count": filterset.result_count,
        "counts": [
            (
                facet,
                [
                    (option, f"{selection_url}&{facet.name}={option.value}")
                    for option in facet.options
                    if option.count
                ],
            )
            for facet in (facets[name] for name in COUNTED)
        ],
        "cooperations": latest,
        "selection_url": selection_url,
        "feed_url": f"{reverse('cooperations:feed')}?{query}",
        "feed_absolute_url": absolute_url(f"{reverse('cooperations:feed')}?{query}", request),
        "alert_url": f"{reverse('alerts:follow_search')}?{query}",
        "embed_url": f"{reverse('embed:builder')}?{query}",
        "structure_count": network.structures.count(),
    }
    return render(request, "pages/network.html", context)


def network_logo(request, slug):
    """The logo stored with the organisation, served as the image it is and nothing else."""
    network = get_object_or_404(Network.objects.only("logo", "logo_type"), slug=slug)
    if not network.logo or not network.logo_type:
        raise Http404
    response = HttpResponse(bytes(network.logo), content_type=network.logo_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
