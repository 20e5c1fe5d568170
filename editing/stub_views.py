"""Temporary stand-in for the fiche editor (branch `workspace`), dropped at merge: only what the review
and history pages link to."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render

from cooperations.models import Cooperation


@login_required
@permission_required("cooperations.change_cooperation", raise_exception=True)
def cooperation_edit(request, pk):
    cooperation = get_object_or_404(Cooperation, pk=pk)
    return render(request, "editing/stub_edit.html", {"cooperation": cooperation})
