"""/espace/sources/ : the documents fiches are drawn from, listed, created and changed; and the fiche
editor's own way to add one without leaving the fiche."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperations.models import Source
from lib.pagination import paginate

from .source_forms import SourceForm
from .views import staff_required

PAGE_SIZE = 30


@staff_required("cooperations.view_source")
def source_list(request):
    query = request.GET.get("q", "").strip()[:100]
    sources = Source.objects.annotate(fiche_count=Count("cooperations")).order_by("publisher", "title", "pk")
    for word in query.split():
        sources = sources.filter(Q(title__unaccent__icontains=word) | Q(publisher__unaccent__icontains=word))
    page, notice = paginate(request, sources, PAGE_SIZE)
    context = {"page": page, "page_notice": notice, "query": query}
    return render(request, "editing/sources/list.html", context)


@staff_required("cooperations.add_source")
def source_new(request):
    return _edit(request, Source())


@staff_required("cooperations.change_source")
def source_edit(request, pk):
    return _edit(request, get_object_or_404(Source, pk=pk))


def _edit(request, source):
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        adding = source.pk is None
        source = form.save()
        messages.success(request, _("Source ajoutée.") if adding else _("Source enregistrée."))
        return redirect("editing:sources")
    fiches = source.cooperations.order_by("title") if source.pk else []
    return render(request, "editing/sources/edit.html", {"form": form, "source": source, "fiches": fiches})


@require_POST
@staff_required("cooperations.add_source")
def source_quick_create(request):
    """From the fiche editor: the new source comes back as a ticked box of the fiche's sources."""
    form = SourceForm(request.POST, prefix="new-source")
    if not form.is_valid():
        return render(request, "editing/includes/source_form.html", {"source_form": form}, status=422)
    return render(request, "editing/includes/source_created.html", {"source": form.save()})
