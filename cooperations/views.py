from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import Cooperation


def cooperation_list(request):
    cooperations = Cooperation.objects.published().order_by("title")
    return render(request, "cooperations/list.html", {"cooperations": cooperations})


def cooperation_detail(request, slug):
    cooperation = get_object_or_404(Cooperation.objects.published(), slug=slug)
    return render(request, "cooperations/detail.html", {"cooperation": cooperation})


def cooperation_preview(request, slug):
    """A fiche as the public will see it, drafts included, for the staff who may read them."""
    if not (request.user.is_staff and request.user.has_perm("cooperations.view_cooperation")):
        raise Http404
    cooperation = get_object_or_404(Cooperation, slug=slug)
    return render(request, "cooperations/preview.html", {"cooperation": cooperation})
