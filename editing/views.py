"""The editors' workspace: the dashboard and the fiche editor, for Éditeurs and Administrateurs."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cooperations.models import Cooperation, Participation, rights
from cooperations.services import cooperation_publish, cooperation_unpublish
from lib.locking import ConcurrentEditError
from lib.markdown import render_markdown
from lib.text import fold
from structures.models import Structure

from .conflicts import apply_choices, find_conflict
from .dashboard import dashboard_context
from .forms import (
    TERRITORY_PICKERS,
    CooperationEditorForm,
    OutcomeFigureFormSet,
    ParticipationFormSet,
    StructureQuickForm,
)
from .services import cooperation_save
from .source_forms import SourceForm

CHANGE = "cooperations.change_cooperation"
ADD = "cooperations.add_cooperation"
SEARCH_LIMIT = 12


def staff_required(permission):
    """Visitors are sent to sign in; a signed-in person without `permission` gets a 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@staff_required(CHANGE)
def dashboard(request):
    return render(request, "editing/dashboard.html", dashboard_context(request.user))


@staff_required(ADD)
def cooperation_create(request):
    # ?titre= starts the draft from a search that found nothing (/espace/recherches/); an Éditeur of one
    # organisation writes for it: the new fiche is its, unless they choose otherwise.
    title = " ".join(request.GET.get("titre", "").split())[:200]
    own = rights.organisation_ids(request.user)
    return _editor(
        request, Cooperation(title=title, organisation_id=next(iter(own)) if len(own) == 1 else None)
    )


@staff_required(CHANGE)
def cooperation_edit(request, pk):
    # Who saved it last names the account, or the proposal where no account did (workspace.saved_by).
    queryset = Cooperation.objects.select_related("updated_by", "proposal", "organisation")
    cooperation = get_object_or_404(queryset, pk=pk)
    if not rights.can_edit(request.user, cooperation):
        # Another organisation's fiche: its editors decide; this one may suggest a correction.
        return render(request, "editing/not_yours.html", {"cooperation": cooperation}, status=403)
    return _editor(request, cooperation)


@staff_required(CHANGE)
def cooperation_preview(request, pk):
    """The fiche as the public will see it, draft or not (cooperations' own preview page)."""
    cooperation = get_object_or_404(Cooperation, pk=pk)
    return redirect("cooperations:preview", cooperation.slug)


# The editor's buttons: « Dépublier » (unpublish) first shows what the public will no longer see and asks
# for confirmation (unpublish_confirmed), carrying what was typed; « back » returns to it, unsaved.
PUBLICATION_ACTIONS = ("publish", "unpublish", "unpublish_confirmed")


def _editor(request, cooperation):
    action = request.POST.get("action", "save")
    if action in PUBLICATION_ACTIONS and not rights.can_publish(request.user, cooperation):
        raise PermissionDenied
    conflict = None
    if request.method == "POST":
        data = apply_choices(request.POST, cooperation) if cooperation.pk else request.POST
        form = CooperationEditorForm(data, instance=cooperation, user=request.user)
        formsets = _formsets(cooperation, data)
        if action != "back" and form.is_valid() and all(formset.is_valid() for formset in formsets):
            # Publishing or unpublishing alone records one version, « Publication », not an empty one too.
            changed = not cooperation.pk or form.has_changed() or any(f.has_changed() for f in formsets)
            if action == "unpublish" and cooperation.is_published:
                return _unpublish_confirmation(request, cooperation, changed)
            try:
                if changed:
                    cooperation = cooperation_save(form=form, formsets=formsets, user=request.user)
            except ConcurrentEditError:
                form.add_error(None, ValidationError("", code="stale"))
            else:
                _publication(request, cooperation, action.removesuffix("_confirmed"), changed)
                return redirect("editing:cooperation_edit", cooperation.pk)
        if form.has_error(NON_FIELD_ERRORS, "stale"):
            current = Cooperation.objects.select_related("updated_by").get(pk=cooperation.pk)
            conflict = find_conflict(form, current, formsets=formsets)
            # Shown again as typed, now against the saved version: saving it settles the conflict.
            data = data.copy()
            data["version"] = current.version
            form = CooperationEditorForm(data, instance=current, user=request.user)
            cooperation = current
    else:
        form = CooperationEditorForm(instance=cooperation, user=request.user)
        formsets = _formsets(cooperation)
    participations, figures = formsets
    context = {
        "cooperation": cooperation,
        "form": form,
        "participations": participations,
        "figures": figures,
        "conflict": conflict,
        "can_publish": rights.can_publish(request.user, cooperation),
        "structure_form": StructureQuickForm(prefix="new-structure"),
        "source_form": SourceForm(prefix="new-source"),
    }
    return render(request, "editing/editor.html", context)


def _unpublish_confirmation(request, cooperation, changed):
    """What unpublishing will take away from the public, with the editor's fields carried unsaved."""
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "action")
        for value in values
    ]
    context = {"cooperation": cooperation, "carried": carried, "changed": changed}
    return render(request, "editing/unpublish_confirm.html", context)


def _formsets(cooperation, data=None):
    participations = Participation.objects.select_related("structure").in_role_order()
    return [
        ParticipationFormSet(data, instance=cooperation, prefix="participations", queryset=participations),
        OutcomeFigureFormSet(data, instance=cooperation, prefix="figures"),
    ]


def _publication(request, cooperation, action, changed):
    """After a save (`changed`: one was needed): publish or unpublish when asked, through the services,
    and say what was done."""
    try:
        if action == "publish":
            cooperation_publish(cooperation=cooperation, user=request.user)
            messages.success(request, _("La fiche est publiée : elle est visible de tous."))
            return
        if action == "unpublish":
            cooperation_unpublish(cooperation=cooperation, user=request.user)
            messages.success(request, _("La fiche est dépubliée : seule l'équipe la voit."))
            return
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
        return
    if not changed:
        messages.info(request, _("Aucune modification : la fiche est restée telle quelle."))
    elif cooperation.is_published:
        messages.success(request, _("Modifications enregistrées : elles sont en ligne."))
    else:
        messages.success(request, _("Brouillon enregistré."))


# --- Helpers of the editor (htmx and fetch) -------------------------------------------------------


@require_POST
@staff_required(CHANGE)
def markdown_preview(request):
    """The text rendered and sanitised as on the public pages."""
    return HttpResponse(render_markdown(request.POST.get("text", "")))


@require_GET
@staff_required(CHANGE)
def structure_search(request):
    query = request.GET.get("q", "").strip()[:100]
    structures = (
        list(Structure.objects.search(query).select_related("commune")[:SEARCH_LIMIT]) if query else []
    )
    return render(
        request, "editing/includes/structure_results.html", {"structures": structures, "query": query}
    )


@require_POST
@staff_required("structures.add_structure")
def structure_create(request):
    form = StructureQuickForm(request.POST, prefix="new-structure")
    if not form.is_valid():
        return render(request, "editing/includes/structure_form.html", {"structure_form": form}, status=422)
    structure = form.save(commit=False)
    structure.updated_by = request.user
    structure.save()
    return render(
        request,
        "editing/includes/structure_created.html",
        {"structure": structure, "role": form.cleaned_data["role"]},
    )


@require_GET
@staff_required(CHANGE)
def territory_search(request, kind):
    """The options of a territory picker (editing/includes/combobox.html) for what was typed: each word
    typed starts a word of the name (« calais » finds Pas-de-Calais, « saint denis » Seine-Saint-Denis),
    or the whole is a code (« 59 »); the biggest communes first, regions and departments in the order of
    their names."""
    if kind not in TERRITORY_PICKERS:
        raise Http404
    query = request.GET.get("q", "").strip()[:100]
    model, label, _order = TERRITORY_PICKERS[kind]
    first, *others = fold(query).split() or [""]
    found = []
    if first:
        # A commune's name starts with the first word (on the index: there are 35,000 of them).
        matching = Q(search_name__startswith=first)
        if kind != "communes":
            matching |= Q(search_name__contains=f" {first}")
        for word in others:
            matching &= Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
        if kind == "communes":
            territories = model.objects.filter(matching).order_by("-population", "name")
        else:
            territories = model.objects.filter(matching | Q(code__iexact=query)).order_by("search_name")
        found = [(t.pk, label(t)) for t in territories[:SEARCH_LIMIT]]
    context = {"kind": kind, "found": found, "query": query}
    return render(request, "editing/includes/combobox_options.html", context)
