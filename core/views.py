from django.shortcuts import render

from cooperations.models import Cooperation
from structures.models import Structure


def home(request):
    published = Cooperation.objects.published()
    context = {
        "cooperation_count": published.count(),
        "structure_count": Structure.objects.count(),
        "latest": published.order_by("-published_at")[:6],
    }
    return render(request, "core/home.html", context)
