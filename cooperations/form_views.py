"""Views of the reference pages: the forms' resource sheets and the sheets of the three levels."""

from django.shortcuts import get_object_or_404, render

from . import stats
from .models import Cooperation, LevelSheet

LATEST_COUNT = 12


def form_index(request):
    context = {
        "forms": stats.forms_with_counts().order_by("position", "name"),
        "levels": _levels_with_sheets(),
    }
    return render(request, "cooperations/form_index.html", context)


def level_index(request):
    return render(request, "cooperations/level_index.html", {"levels": _levels_with_sheets()})


def form_detail(request, code):
    form = get_object_or_404(stats.forms_with_counts(), code=code)
    context = {
        "form": form,
        "cooperations": Cooperation.objects.published().filter(forms=form).for_cards()[:LATEST_COUNT],
    }
    return render(request, "cooperations/form_detail.html", context)


def _levels_with_sheets():
    """[(level, sheet or None, count)] from simple to reinforced: two queries."""
    sheets = {sheet.code: sheet for sheet in LevelSheet.objects.all()}
    return [
        (level, sheets.get(level.value), count)
        for level, count in stats.level_counts(Cooperation.objects.published())
    ]
