from django.shortcuts import get_object_or_404, render

from .models import Structure


def structure_detail(request, slug):
    structure = get_object_or_404(Structure.objects.with_place(), slug=slug)
    return render(request, "structures/detail.html", {"structure": structure})
