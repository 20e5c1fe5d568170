"""Admin pieces shared by the objects edited as a whole: one version per save, readable history, restore."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .history import (
    one_version,
    record_version,
    restore_fields,
    restore_m2m,
    restore_reason,
    version_date,
)
from .history_changes import BOOKKEEPING, annotate_changes, join


class VersionHistoryAdmin(SimpleHistoryAdmin):
    """Records each admin save as one version; lists versions with what changed; restores any of them."""

    object_history_template = "admin/history/object_history.html"
    history_list_per_page = 20
    history_diff_excluded = BOOKKEEPING
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
        annotate_changes(self.model, chain, self.history_diff_excluded)
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
