"""/espace/recherches/ : what visitors searched for and did not find (or hardly), grouped by query over a
period, and what an editor does about it: a synonym, the matching resource sheet, a new draft."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation, SearchRecord
from cooperations.models.search_record import FEW_RESULTS
from lib.pagination import paginate

from .search_forms import LAST_7, PeriodForm, SynonymForm
from .views import staff_required

PAGE_SIZE = 50
NONE, FEW = "none", "few"


@staff_required("cooperations.view_searchrecord")
def searches(request, kind):
    data = request.GET.copy()
    data.setdefault("periode", LAST_7)  # checked on the first visit too
    period = PeriodForm(data)
    start, end = period.dates()
    records = SearchRecord.objects.between(start, end)
    records = records.without_results() if kind == NONE else records.with_few_results()
    page, notice = paginate(request, records.grouped(), PAGE_SIZE)
    rows = list(page.object_list)
    back = request.get_full_path()
    for row in rows:
        query = row["query"]
        row["forms"] = _filterset(query).named_forms(as_typed=True)
        row["list_url"] = reverse("cooperations:list") + "?" + urlencode({"q": query})
        row["synonym_url"] = reverse("editing:synonym_new") + "?" + urlencode({"q": query, "next": back})
        row["draft_url"] = reverse("editing:cooperation_create") + "?" + urlencode({"titre": query})
    context = {
        "kind": kind,
        "few": FEW_RESULTS,
        "period": period,
        "start": start,
        "end": end,
        "page": page,
        "rows": rows,
        "page_notice": notice,
        "period_query": urlencode({k: v for k, v in request.GET.items() if k in period.fields}),
    }
    return render(request, "editing/searches/list.html", context)


def _filterset(query):
    data = QueryDict(mutable=True)
    data["q"] = query
    return CooperationFilter(data, queryset=Cooperation.objects.published())


@staff_required("cooperations.add_synonym")
def synonym_new(request):
    """A group of equivalent expressions, pre-filled with a search that found nothing; the search uses
    it at once (saving a Synonym replaces the directory's generation, and with it the cached table)."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = ""
    query = (request.POST.get("query") or request.GET.get("q") or "")[:200]
    form = SynonymForm(request.POST or None, initial={"terms": f"{query} ; " if query else ""})
    if request.method == "POST" and form.is_valid():
        synonym = form.save()
        message = _("Synonymes ajoutés : %(terms)s.") % {"terms": synonym}
        if query:
            found = _filterset(query).qs.count()
            message += " " + ngettext(
                "La recherche « %(query)s » trouve maintenant %(count)s fiche.",
                "La recherche « %(query)s » trouve maintenant %(count)s fiches.",
                found,
            ) % {"query": query, "count": found}
        messages.success(request, message)
        return redirect(back or "editing:searches_none")
    context = {"form": form, "query": query, "next": back}
    return render(request, "editing/searches/synonym.html", context)
