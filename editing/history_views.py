"""/espace/fiches/<pk>/historique/ : every version of a fiche with its author and time, any two compared
field by field, and a restore that shows the restored fiche first and asks for confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from cooperations.history import annotate_fiche_changes, cooperation_restored, restore_changes
from cooperations.models import ConcurrentEditError, Cooperation, LevelSheet
from cooperations.services import cooperation_restore
from lib.history import version_date
from lib.history_changes import display_name, join
from lib.pagination import paginate

from .history_forms import CompareForm, version_label

VIEW = "cooperations.view_cooperation"
CHANGE = "cooperations.change_cooperation"


def _staff(permission):
    """Visitors are sent to sign in; signed-in people without the role get 403."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def _versions(cooperation):
    return Cooperation.history.filter(id=cooperation.pk).select_related("history_user")


@_staff(VIEW)
def history(request, pk):
    cooperation = get_object_or_404(Cooperation, pk=pk)
    page, notice = paginate(request, _versions(cooperation), per_page=20)
    records = list(page.object_list)
    # Numbered from the oldest, 1: the newest on the first page is the count.
    for index, record in enumerate(records):
        record.number = page.paginator.count - (page.start_index() - 1) - index
    # The version before the oldest on this page, to say what that one changed.
    older = None
    if page.has_next():
        older = _versions(cooperation).filter(history_date__lt=records[-1].history_date).first()
    annotate_fiche_changes(records + ([older] if older else []))
    context = {
        "cooperation": cooperation,
        "page": page,
        "records": records,
        "notice": notice,
        "current_id": records[0].history_id if records and page.number == 1 else None,
        "can_restore": request.user.has_perm(CHANGE),
    }
    return render(request, "editing/history/list.html", context)


@_staff(VIEW)
def compare(request, pk):
    cooperation = get_object_or_404(Cooperation, pk=pk)
    versions = _versions(cooperation)
    if "de" not in request.GET and "a" not in request.GET:
        # Straight from a link: the latest version against the one before.
        latest = list(versions.values_list("history_id", flat=True)[:2])
        data = {"de": latest[-1], "a": latest[0]} if latest else {}
    else:
        data = request.GET
    form = CompareForm(data, versions=versions)
    context = {"cooperation": cooperation, "form": form, "can_restore": request.user.has_perm(CHANGE)}
    if form.is_valid():
        older, newer = form.cleaned_data["older"], form.cleaned_data["newer"]
        annotate_fiche_changes([newer, older])
        context |= {
            "older": older,
            "newer": newer,
            "older_label": version_label(older, form.numbers[older.history_id]),
            "newer_label": version_label(newer, form.numbers[newer.history_id]),
            "changes": newer.history_delta_changes,
        }
    return render(request, "editing/history/compare.html", context)


@_staff(CHANGE)
def restore(request, pk, history_id):
    """GET: the fiche as the restore would make it, and the confirmation; POST: the restore."""
    cooperation = get_object_or_404(Cooperation, pk=pk)
    record = get_object_or_404(_versions(cooperation).exclude(history_type="-"), history_id=history_id)
    if request.method == "POST":
        return _restore_confirmed(request, cooperation, record)
    context = {
        "cooperation": cooperation_restored(cooperation, record),
        "current": cooperation,
        "record": record,
        "changes": restore_changes(_versions(cooperation).first(), record),
        "level_sheet": LevelSheet.objects.filter(code=record.level).first(),
    }
    return render(request, "editing/history/restore.html", context)


def _restore_confirmed(request, cooperation, record):
    try:
        shown_version = int(request.POST.get("version", ""))
    except ValueError:
        shown_version = -1  # a confirmation without the version it was shown at is treated as stale
    try:
        missing = cooperation_restore(record=record, user=request.user, expected_version=shown_version)
    except ConcurrentEditError:
        latest = _versions(cooperation).first()
        message = _(
            "%(who)s a enregistré la fiche le %(date)s, après l'ouverture de cette page : rien n'est "
            "restauré. Relisez l'aperçu ci-dessous, à jour, avant de confirmer."
        )
        who = capfirst(display_name(latest.history_user))
        messages.error(request, message % {"who": who, "date": version_date(latest)})
        return redirect("editing:restore", pk=cooperation.pk, history_id=record.history_id)
    except (ValidationError, IntegrityError) as error:
        detail = join(error.messages) if isinstance(error, ValidationError) else str(error)
        message = _("Cette version n'a pas pu être restaurée : %(detail)s")
        messages.error(request, message % {"detail": detail})
        return redirect("editing:history", pk=cooperation.pk)
    messages.success(request, _("La version du %(date)s est restaurée.") % {"date": version_date(record)})
    if missing:
        missing_text = _("Non rétabli, car supprimé depuis : %(items)s.")
        messages.warning(request, missing_text % {"items": join(missing)})
    return redirect("editing:history", pk=cooperation.pk)
