"""What the history pages need to know of each kind of object edited as a whole: a fiche, a structure.

The history, comparison and restore pages (history_views.py) are the same for both; each kind names
here its model, its addresses, how its versions are compared and restored, and its restore preview.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from cooperations.history import annotate_fiche_changes, cooperation_restored, restore_changes
from cooperations.models import Cooperation, LevelSheet, rights
from cooperations.services import cooperation_restore
from structures.models import Structure, StructureMerge
from structures.services import (
    annotate_structure_changes,
    structure_restore,
    structure_restore_changes,
    structure_restored,
)


@dataclass(frozen=True)
class Versioned:
    model: Any
    urls: dict  # url names: edit, history, compare, restore (each taking the object's pk)
    view_permission: str
    change_permission: str
    annotate: Any  # (records, newest first) -> None: sets history_delta_changes
    restore_changes: Any  # (latest record, record) -> changes
    restore: Any  # (*, record, user, expected_version) -> what could not be restored
    restored: Any  # (object, record) -> the object as the restore would make it, unsaved
    restore_template: str
    nouns: dict  # French words the pages use: « la fiche », « cette fiche »…

    def title(self, obj):
        return getattr(obj, "title", None) or obj.name

    def may_change(self, user, obj):
        """Beyond the permission: a fiche another organisation follows is its editors' (rights.py)."""
        return self.model is not Cooperation or rights.can_edit(user, obj)

    def restore_context(self, obj, record):
        """What the restore preview's template needs besides the restored object."""
        if self.model is Cooperation:
            return {"level_sheet": LevelSheet.objects.filter(code=record.level).first()}
        return {}

    def history_context(self, obj, records):
        """Merges shown in a structure's history: those it absorbed (undoable from their version) and
        the one that absorbed it, when it no longer exists."""
        if self.model is not Structure:
            return {}
        merges = {
            merge.survivor_history_id: merge
            for merge in StructureMerge.objects.filter(survivor_id=obj.pk).select_related("undone_by")
        }
        for record in records:
            record.merge = merges.get(record.history_id)
        absorbed_by = StructureMerge.objects.active().filter(absorbed_id=obj.pk).select_related("survivor")
        return {"absorbed_by": absorbed_by.first()}


FICHES = Versioned(
    model=Cooperation,
    urls={
        "edit": "editing:cooperation_edit",
        "history": "editing:history",
        "compare": "editing:compare",
        "restore": "editing:restore",
    },
    view_permission="cooperations.view_cooperation",
    change_permission="cooperations.change_cooperation",
    annotate=annotate_fiche_changes,
    restore_changes=restore_changes,
    restore=cooperation_restore,
    restored=cooperation_restored,
    restore_template="editing/history/restore.html",
    nouns={"this": _("cette fiche"), "the": _("la fiche")},
)

STRUCTURES = Versioned(
    model=Structure,
    urls={
        "edit": "editing:structure_edit",
        "history": "editing:structure_history",
        "compare": "editing:structure_compare",
        "restore": "editing:structure_restore",
    },
    view_permission="structures.view_structure",
    change_permission="structures.change_structure",
    annotate=annotate_structure_changes,
    restore_changes=structure_restore_changes,
    restore=structure_restore,
    restored=structure_restored,
    restore_template="editing/history/restore_structure.html",
    nouns={"this": _("cette structure"), "the": _("la structure")},
)
