from django.shortcuts import get_object_or_404, render

from .models import Cooperation


def cooperation_list(request):
    cooperations = Cooperation.objects.published().order_by("title")
    return render(request, "cooperations/list.html", {"cooperations": cooperations})


def cooperation_detail(request, slug):
    cooperation = get_object_or_404(Cooperation.objects.published(), slug=slug)
    return render(request, "cooperations/detail.html", {"cooperation": cooperation})
