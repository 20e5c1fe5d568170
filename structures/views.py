from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .filters import StructureFilter
from .models import Structure

PAGE_SIZE = 24


def structure_list(request):
    structures = Structure.objects.with_place().with_cooperation_counts().order_by("search_name", "pk")
    filterset = StructureFilter(request.GET, queryset=structures)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        # "Nothing matches" and "nothing yet" are different news; the second costs a query only then.
        "nothing_yet": not page.paginator.count
        and (not filterset.is_filtered or not Structure.objects.exists()),
    }
    return render(request, "structures/list.html", context)


def structure_detail(request, slug):
    structures = Structure.objects.with_place().prefetch_related("networks", "sectors")
    structure = get_object_or_404(structures.with_published_participations(), slug=slug)
    return render(request, "structures/detail.html", {"structure": structure})
