"""/espace/fiches/<pk>/historique/ and /espace/structures/<pk>/historique/ : every version of a fiche or a
structure with its author and time, any two compared field by field, and a restore that shows the
restored object first and asks for confirmation. What differs between the two is in versioned.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from lib.history import version_date
from lib.history_changes import display_name, join
from lib.locking import ConcurrentEditError
from lib.pagination import paginate

from .history_forms import CompareForm, version_label


def _check(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _can_restore(request, subject, obj, deleted):
    user = request.user
    return not deleted and user.has_perm(subject.change_permission) and subject.may_change(user, obj)


def _versions(subject, pk):
    return subject.model.history.filter(id=pk).select_related("history_user")


def _object(subject, pk):
    """The object, or for one deleted since (a structure merged into another) its last version's."""
    obj = subject.model.objects.filter(pk=pk).first()
    if obj is not None:
        return obj, False
    latest = _versions(subject, pk).first()
    if latest is None:
        raise Http404
    return latest.instance, True


def _context(subject, obj, **context):
    return {"subject": subject, "object": obj, "title": subject.title(obj), **context}


@login_required
def history(request, pk, subject):
    _check(request, subject.view_permission)
    obj, deleted = _object(subject, pk)
    page, notice = paginate(request, _versions(subject, pk), per_page=20)
    records = list(page.object_list)
    # Numbered from the oldest, 1: the newest on the first page is the count.
    for index, record in enumerate(records):
        record.number = page.paginator.count - (page.start_index() - 1) - index
    # The version before the oldest on this page, to say what that one changed.
    older = None
    if page.has_next():
        older = _versions(subject, pk).filter(history_date__lt=records[-1].history_date).first()
    subject.annotate(records + ([older] if older else []))
    context = _context(
        subject,
        obj,
        deleted=deleted,
        page=page,
        records=records,
        notice=notice,
        current_id=records[0].history_id if records and page.number == 1 and not deleted else None,
        can_restore=_can_restore(request, subject, obj, deleted),
        can_undo_merge=request.user.has_perm("structures.merge_structure"),
        **subject.history_context(obj, records),
    )
    return render(request, "editing/history/list.html", context)


@login_required
def compare(request, pk, subject):
    _check(request, subject.view_permission)
    obj, deleted = _object(subject, pk)
    versions = _versions(subject, pk)
    if "de" not in request.GET and "a" not in request.GET:
        # Straight from a link: the latest version against the one before.
        latest = list(versions.values_list("history_id", flat=True)[:2])
        data = {"de": latest[-1], "a": latest[0]} if latest else {}
    else:
        data = request.GET
    form = CompareForm(data, versions=versions)
    can_restore = _can_restore(request, subject, obj, deleted)
    context = _context(subject, obj, form=form, can_restore=can_restore)
    if form.is_valid():
        older, newer = form.cleaned_data["older"], form.cleaned_data["newer"]
        subject.annotate([newer, older])
        context |= {
            "older": older,
            "newer": newer,
            "older_label": version_label(older, form.numbers[older.history_id]),
            "newer_label": version_label(newer, form.numbers[newer.history_id]),
            "changes": newer.history_delta_changes,
        }
    return render(request, "editing/history/compare.html", context)


@login_required
def restore(request, pk, history_id, subject):
    """GET: the object as the restore would make it, and the confirmation; POST: the restore."""
    _check(request, subject.change_permission)
    obj = get_object_or_404(subject.model, pk=pk)
    if not subject.may_change(request.user, obj):
        raise PermissionDenied
    record = get_object_or_404(_versions(subject, pk).exclude(history_type="-"), history_id=history_id)
    if request.method == "POST":
        return _restore_confirmed(request, subject, obj, record)
    context = _context(
        subject,
        obj,
        current=obj,
        record=record,
        changes=subject.restore_changes(_versions(subject, pk).first(), record),
        **{subject.model._meta.model_name: subject.restored(obj, record)},
        **subject.restore_context(obj, record),
    )
    return render(request, subject.restore_template, context)


def _restore_confirmed(request, subject, obj, record):
    try:
        shown_version = int(request.POST.get("version", ""))
    except ValueError:
        shown_version = -1  # a confirmation without the version it was shown at is treated as stale
    try:
        missing = subject.restore(record=record, user=request.user, expected_version=shown_version)
    except ConcurrentEditError:
        latest = _versions(subject, obj.pk).first()
        message = _(
            "%(who)s a enregistré %(what)s le %(date)s, après l'ouverture de cette page : rien n'est "
            "restauré. Relisez l'aperçu ci-dessous, à jour, avant de confirmer."
        )
        who = capfirst(display_name(latest.history_user))
        messages.error(
            request, message % {"who": who, "what": subject.nouns["the"], "date": version_date(latest)}
        )
        return redirect(subject.urls["restore"], pk=obj.pk, history_id=record.history_id)
    except (ValidationError, IntegrityError) as error:
        detail = join(error.messages) if isinstance(error, ValidationError) else str(error)
        message = _("Cette version n'a pas pu être restaurée : %(detail)s")
        messages.error(request, message % {"detail": detail})
        return redirect(subject.urls["history"], pk=obj.pk)
    messages.success(request, _("La version du %(date)s est restaurée.") % {"date": version_date(record)})
    if missing:
        missing_text = _("Non rétabli, car supprimé depuis : %(items)s.")
        messages.warning(request, missing_text % {"items": join(missing)})
    return redirect(subject.urls["history"], pk=obj.pk)
