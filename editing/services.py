"""Saving a fiche from the editor: the fiche, its links and its rows, recorded as one version."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cooperations.dependencies import fiche_change
from cooperations.models import rights
from lib.history import one_version


@transaction.atomic
def cooperation_save(*, form, formsets, user):
    """Save the editor's `form` and its `formsets` (participations, figures) as a single version.

    Raises cooperations.models.ConcurrentEditError when someone saved the fiche in the same instant.
    """
    cooperation = form.save(commit=False)
    if not rights.can_edit(user, cooperation):
        raise PermissionDenied  # another organisation's fiche, or given to one not theirs
    adding = cooperation.pk is None
    if adding:
        cooperation.created_by = user
    cooperation.updated_by = user
    cooperation._history_user = user
    # The pages it shows on are forgotten, not the whole directory's (cooperations/dependencies.py).
    with fiche_change(cooperation), one_version(cooperation, "+" if adding else "~"):
        cooperation.save()
        form.save_m2m()
        for formset in formsets:
            formset.instance = cooperation
            formset.save()
    return cooperation
