from django.shortcuts import get_object_or_404, render

from .models import Structure


def structure_detail(request, slug):
    structure = get_object_or_404(Structure.objects.with_place(), slug=slug)
    return render(request, "structures/detail.html", {"structure": structure})


def structure_list(request):
    structures = Structure.objects.with_place()
    return render(request, "structures/list.html", {"structures": structures})
