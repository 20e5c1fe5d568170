"""/espace/reseaux/ : the organisations that follow fiches, created and changed by Administrateurs, with
their editors."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cooperations.models import Cooperation
from structures.models import Network

from .network_forms import NetworkForm
from .views import staff_required

PUBLISHED = Q(curated_cooperations__status=Cooperation.Status.PUBLISHED)


@staff_required("structures.change_network")
def network_list(request):
    """Every network, the organisations that follow fiches first: two queries."""
    networks = (
        Network.objects.defer("logo")
        .annotate(
            fiche_count=Count("curated_cooperations", filter=PUBLISHED, distinct=True),
            editor_count=Count("editors", distinct=True),
        )
        .order_by("-fiche_count", "name")
    )
    return render(request, "editing/networks/list.html", {"networks": list(networks)})


@staff_required("structures.add_network")
def network_new(request):
    return _edit(request, Network())


@staff_required("structures.change_network")
def network_edit(request, pk):
    return _edit(request, get_object_or_404(Network, pk=pk))


def _edit(request, network):
    form = NetworkForm(request.POST or None, request.FILES or None, instance=network)
    if request.method == "POST" and form.is_valid():
        adding = network.pk is None
        network = form.save()
        messages.success(request, _("Réseau ajouté.") if adding else _("Réseau enregistré."))
        return redirect("editing:networks")
    return render(request, "editing/networks/edit.html", {"form": form, "network": network})
