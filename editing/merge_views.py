"""/espace/structures/doublons/ : likely duplicates, set aside or merged; a merge undone from the history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperations.merges import structure_merge, structure_merge_undo
from cooperations.models import Participation
from lib.history_changes import join
from lib.locking import ConcurrentEditError
from structures.duplicates import duplicate_pairs
from structures.models import DuplicateDismissal, Structure, StructureMerge

from .merge_forms import MergeForm
from .views import staff_required

MERGE = "structures.merge_structure"


@staff_required("structures.view_structure")
def duplicates(request):
    return render(request, "editing/structures/duplicates.html", {"pairs": duplicate_pairs()})


@require_POST
@staff_required("structures.change_structure")
def duplicate_dismiss(request):
    pks = sorted(_pk(request.POST.get(name)) for name in ("a", "b"))
    structures = Structure.objects.in_bulk(pks)
    if len(structures) != 2:
        messages.error(request, _("L'une de ces structures n'existe plus."))
        return redirect("editing:duplicates")
    DuplicateDismissal.objects.get_or_create(
        first_id=pks[0], second_id=pks[1], defaults={"dismissed_by": request.user}
    )
    messages.success(
        request,
        _("« %(a)s » et « %(b)s » ne seront plus proposées comme doublons.")
        % {"a": structures[pks[0]].name, "b": structures[pks[1]].name},
    )
    return redirect("editing:duplicates")


def _pk(value):
    return int(value) if str(value or "").isdigit() else 0


@staff_required(MERGE)
def merge(request):
    source = request.POST if request.method == "POST" else request.GET
    a_pk, b_pk = _pk(source.get("a")), _pk(source.get("b"))
    a = get_object_or_404(Structure.objects.with_place(), pk=a_pk)
    if not b_pk or b_pk == a_pk:
        return _choose_second(request, a)
    b = get_object_or_404(Structure.objects.with_place(), pk=b_pk)
    form = MergeForm(request.POST or None, a=a, b=b)
    if request.method == "POST" and form.is_valid():
        survivor, absorbed, taken, versions = form.merge_arguments()
        try:
            done = structure_merge(
                survivor=survivor, absorbed=absorbed, taken=taken, user=request.user, versions=versions
            )
        except ConcurrentEditError:
            messages.error(
                request,
                _(
                    "L'une des deux structures a été enregistrée entre-temps : "
                    "vérifiez à nouveau les valeurs."
                ),
            )
            return redirect(f"{request.path}?a={a.pk}&b={b.pk}")
        except (ValidationError, IntegrityError) as error:
            detail = join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, _("La fusion n'a pas été faite : %(detail)s") % {"detail": detail})
            return redirect(f"{request.path}?a={a.pk}&b={b.pk}")
        messages.success(
            request,
            _(
                "« %(absorbed)s » est fusionnée dans « %(survivor)s » : "
                "%(count)s participation(s) reprise(s). "
                "L'historique de la structure permet d'annuler la fusion."
            )
            % {
                "absorbed": done.absorbed_name,
                "survivor": done.survivor.name,
                "count": len(done.participations),
            },
        )
        return redirect("editing:structure_edit", done.survivor_id)
    fiches = _fiches([a, b])
    context = {"a": a, "b": b, "form": form, "sides": [(a, fiches[a.pk]), (b, fiches[b.pk])]}
    return render(request, "editing/structures/merge.html", context)


def _fiches(structures):
    """{structure pk: [participations with their fiche]}, to show what moves."""
    rows = (
        Participation.objects.filter(structure__in=structures)
        .select_related("cooperation")
        .order_by("cooperation__title")
    )
    found = {s.pk: [] for s in structures}
    for participation in rows:
        found[participation.structure_id].append(participation)
    return found


def _choose_second(request, a):
    query = request.GET.get("q", "").strip()[:100]
    found = (
        list(Structure.objects.search(query).exclude(pk=a.pk).select_related("commune")[:20]) if query else []
    )
    return render(request, "editing/structures/merge_choose.html", {"a": a, "query": query, "found": found})


@require_POST
@staff_required(MERGE)
def merge_undo(request, pk):
    merge = get_object_or_404(StructureMerge, pk=pk)
    try:
        missing = structure_merge_undo(merge=merge, user=request.user)
    except (ValidationError, IntegrityError) as error:
        detail = join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, _("La fusion n'a pas été annulée : %(detail)s") % {"detail": detail})
        return redirect("editing:structure_history", merge.survivor_id)
    messages.success(
        request,
        _("Fusion annulée : « %(name)s » est rétablie, avec ses participations.")
        % {"name": merge.absorbed_name},
    )
    if missing:
        messages.warning(request, _("Non rétabli : %(items)s.") % {"items": join(missing)})
    return redirect("editing:structure_edit", merge.absorbed_id)
