"""/espace/structures/ : the structures, their editor and its look-up in the Annuaire des entreprises."""

import copy

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lib.forms import shown_as_typed
from lib.locking import ConcurrentEditError
from lib.pagination import paginate
from structures import annuaire
from structures.models import Structure
from structures.services import structure_save

from .conflicts import apply_choices, find_conflict
from .filters import StructureWorkspaceFilter
from .structure_forms import EDITED_FIELDS, StructureEditorForm
from .views import staff_required

VIEW = "structures.view_structure"
CHANGE = "structures.change_structure"
ADD = "structures.add_structure"
PAGE_SIZE = 30
PUBLISHED = Q(participations__cooperation__status="published")


@staff_required(VIEW)
def structure_list(request):
    structures = Structure.objects.select_related("commune", "department").annotate(
        fiche_count=Count("participations"),
        published_count=Count("participations", filter=PUBLISHED),
    )
    filterset = StructureWorkspaceFilter(request.GET, queryset=structures.order_by("search_name", "pk"))
    page, notice = paginate(request, filterset.qs, PAGE_SIZE)
    context = {
        "filterset": filterset,
        "page": page,
        "page_notice": notice,
        "nothing_yet": not page.paginator.count and not filterset.is_filtered,
    }
    return render(request, "editing/structures/list.html", context)


@staff_required(ADD)
def structure_new(request):
    return _editor(request, Structure())


@staff_required(CHANGE)
def structure_edit(request, pk):
    return _editor(
        request, get_object_or_404(Structure.objects.select_related("commune", "updated_by"), pk=pk)
    )


def _editor(request, structure):
    conflict = registry = None
    shown = copy.copy(structure)  # the page's header, as saved: the form changes `structure` as it reads
    if request.method != "POST":
        form = StructureEditorForm(instance=structure)
    else:
        # A candidate's « Choisir » button carries its SIRET, not an action.
        action = "registry-choose" if "registry-siret" in request.POST else request.POST.get("action", "save")
        data = apply_choices(request.POST, structure, fields=EDITED_FIELDS) if structure.pk else request.POST
        if action.startswith("registry-"):
            data, registry = _registry(request, action, data, structure)
            form = shown_as_typed(StructureEditorForm(data, instance=structure))
        else:
            form = StructureEditorForm(data, instance=structure)
            if form.is_valid():
                try:
                    saved = structure_save(form=form, user=request.user)
                except ConcurrentEditError:
                    form.add_error(None, ValidationError("", code="stale"))
                else:
                    messages.success(request, _("Structure enregistrée."))
                    return redirect("editing:structure_edit", saved.pk)
            if form.has_error(NON_FIELD_ERRORS, "stale"):
                current = Structure.objects.select_related("commune", "updated_by").get(pk=structure.pk)
                conflict = find_conflict(form, current, fields=EDITED_FIELDS)
                # Shown again as typed, now against the saved version: saving it settles the conflict.
                data = data.copy()
                data["version"] = current.version
                shown = copy.copy(current)
                form = StructureEditorForm(data, instance=current)
    context = {
        "structure": shown,
        "form": form,
        "conflict": conflict,
        "registry": registry or {"query": _default_query(shown)},
        "duplicate_of": form.duplicate_of() if form.is_bound and form.errors else None,
        "can_merge": request.user.has_perm("structures.merge_structure"),
    }
    return render(request, "editing/structures/editor.html", context)


# --- The look-up in the Annuaire des entreprises -----------------------------------------------------
# Three steps, each a button of the editor's own form, so that nothing typed is lost on the way:
# « Chercher » lists the candidates; « Choisir » shows, field by field, the current value beside the
# registry's; « Reprendre les valeurs cochées » puts the ticked ones in the form, to check and save.


def _default_query(structure):
    return structure.siret or structure.name


def _registry(request, action, data, structure):
    """(data, what the look-up panel shows) for a look-up step `action`."""
    query = data.get("registry-q", "").strip()[: annuaire.MAX_QUERY_LENGTH]
    panel = {"query": query, "open": True}
    try:
        if action == "registry-search":
            if not query:
                panel["error"] = _("Indiquez un nom ou un SIRET à chercher.")
                return data, panel
            commune = data.get("commune", "").strip()
            panel["candidates"] = annuaire.search(
                query,
                commune=commune
                if commune.isdigit() and len(commune) == 5
                else _commune_code(structure, data),
                department=data.get("department") or None,
            )
            return data, panel
        if action == "registry-choose":
            siret = data.get("registry-siret", "")
            found = [c for c in annuaire.search(siret) if c.siret == siret]
            if not found:
                panel["error"] = _("Ce SIRET n'est plus connu de l'Annuaire des entreprises.")
                return data, panel
            panel["chosen"] = found[0]
            panel["changes"] = _changes(found[0], data)
            return data, panel
    except annuaire.RegistryUnavailable as error:
        panel["error"] = _("%(reason)s Vous pouvez continuer à modifier la structure.") % {"reason": error}
        return data, panel
    if action == "registry-apply":
        kept = [field for field in data.getlist("registry-keep") if field in annuaire.PROPOSED_FIELDS]
        data = data.copy()
        for field in kept:
            data[field] = data.get(f"registry-new-{field}", "")
        if kept:
            messages.info(
                request,
                _("Valeurs reprises de l'Annuaire des entreprises : vérifiez-les, puis enregistrez."),
            )
        panel = {"query": query, "kept": kept}
    return data, panel


def _commune_code(structure, data):
    """The commune's code when the typed commune is still the saved one."""
    typed = data.get("commune", "").strip()
    if structure.commune_id and typed == str(structure.commune):
        return structure.commune_id
    return None


def _changes(candidate, data):
    """Each field the candidate would change: (field, label, current, proposed, shown, ticked)."""
    rows = []
    for field, (value, shown) in annuaire.proposed_values(candidate).items():
        typed = data.get(field, "")
        if annuaire.same_value(field, typed, value):
            continue
        current = typed
        if field == "kind":
            current = str(dict(Structure.Kind.choices).get(typed, typed))
        label = Structure._meta.get_field(field).verbose_name
        # What is missing is ticked; what would replace a value is left to the editor.
        rows.append(
            {
                "field": field,
                "label": label,
                "current": current,
                "value": value,
                "shown": shown,
                "ticked": not typed,
            }
        )
    return rows
