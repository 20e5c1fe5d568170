"""Admin pieces shared by the objects edited as a whole: one version per save, readable history, restore."""

import datetime

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper, ObjDiffDisplay

from .history import (
    m2m_fields,
    m2m_snapshots,
    one_version,
    record_version,
    restore_fields,
    restore_m2m,
    restore_reason,
    version_date,
)

EMPTY = "—"


class ChangeFormatter(HistoricalRecordContextHelper):
    """Old and new values as a person reads them: choice labels, objects by name, a dash for empty."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or (isinstance(value, DeletedObject) and value.pk is None):
            return EMPTY
        if isinstance(value, DeletedObject):
            return _("%(model)s supprimé(e) (n° %(pk)s)") % {
                "model": value.model._meta.verbose_name,
                "pk": value.pk,
            }
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(value, bool):
            return _("oui") if value else _("non")
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, AbstractBaseUser):
            return display_name(value)
        return super().prepare_delta_change_value(change, value)

    def get_obj_diff_display(self):
        return ObjDiffDisplay(max_length=160)


def display_name(user):
    if user is None:
        return _("quelqu'un")
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()


def change(label, old, new):
    return {"field": capfirst(label), "old": old or EMPTY, "new": new or EMPTY}


def join(items):
    return ", ".join(str(item) for item in items)


class VersionHistoryAdmin(SimpleHistoryAdmin):
    """Records each admin save as one version; lists versions with what changed; restores any of them."""

    object_history_template = "admin/history/object_history.html"
    history_list_per_page = 20
    # Bookkeeping that changes on every save: not worth a line in the history.
    history_diff_excluded = ("version", "updated_at", "updated_by")
    history_restore_excluded = ()

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        restore = path(
            "<path:object_id>/history/<int:history_id>/restore/",
            self.admin_site.admin_view(self.restore_view),
            name="{}_{}_restore".format(*info),
        )
        return [restore, *super().get_urls()]

    # --- One version per save --------------------------------------------------------------------

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        # Recorded once, in save_related, after the many-to-many fields and the inlines are saved.
        obj.skip_history_when_saving = True
        return obj

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        obj.__dict__.pop("skip_history_when_saving", None)
        obj._history_user = request.user
        record_version(obj, "~" if change else "+")

    # --- History page -------------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        context = {
            "can_restore": obj is not None and self.has_change_permission(request, obj),
            "restore_url_name": f"admin:{self.opts.app_label}_{self.opts.model_name}_restore",
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Versions are restored from the history page, where the restore is recorded as a version.
        return HttpResponseRedirect(self.history_url(unquote(object_id)))

    def history_url(self, obj_or_pk):
        pk = getattr(obj_or_pk, "pk", obj_or_pk)
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[pk])

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        if not records:
            return
        older = records[-1].prev_record  # the version before the oldest on this page, if any
        chain = records + ([older] if older else [])
        fields = m2m_fields(self.model)
        snapshots = {field: m2m_snapshots(self.model, chain, field) for field in fields}
        excluded = [*self.history_diff_excluded, *(field.name for field in fields)]
        for new, old in zip(chain, chain[1:], strict=False):
            delta = new.diff_against(old, excluded_fields=excluded, foreign_keys_are_objs=True)
            changes = ChangeFormatter(self.model, new).context_for_delta_changes(delta)
            for field in fields:
                before, after = snapshots[field][old.history_id], snapshots[field][new.history_id]
                if {o.pk for o in before} != {o.pk for o in after}:
                    changes.append(change(field.verbose_name, join(before), join(after)))
            new.history_delta_changes = changes
        self.add_related_history_changes(request, chain)

    def add_related_history_changes(self, request, records):
        """Hook: append the changes of rows edited inline (participations...) to each record."""

    # --- Restore ------------------------------------------------------------------------------

    def restore_view(self, request, object_id, history_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(
            self.model.history, history_id=history_id, **{self.opts.pk.attname: obj.pk}
        )
        try:
            with transaction.atomic():
                missing = self.restore_version(request, obj, record)
        except (ValidationError, IntegrityError) as error:
            detail = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.message_user(
                request,
                _("Cette version n'a pas pu être restaurée : %(detail)s") % {"detail": detail},
                messages.ERROR,
            )
            return HttpResponseRedirect(self.history_url(obj))
        done = _(
            "La version du %(date)s est restaurée. La restauration figure dans l'historique : "
            "elle peut être annulée de la même façon."
        )
        self.message_restored(request, done % {"date": version_date(record)}, missing)
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
        )

    def message_restored(self, request, message, missing):
        """Say what was restored, and what could not be because it was deleted since."""
        self.message_user(request, message, messages.SUCCESS)
        if missing:
            self.message_user(
                request,
                _("Non rétabli, car supprimé depuis : %(items)s.") % {"items": join(missing)},
                messages.WARNING,
            )

    def restore_version(self, request, obj, record):
        """Bring `obj` back to `record` as a new version; return what could not be brought back."""
        restore_fields(obj, record, exclude=self.history_restore_excluded)
        obj._history_user = request.user
        obj._change_reason = restore_reason(record)
        with one_version(obj):
            obj.save()
            return restore_m2m(obj, record)
