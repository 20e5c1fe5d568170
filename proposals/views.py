from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.antispam import rate_limited

from .forms import ProposalForm
from .services import proposal_submit


def proposal_create(request):
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, "proposals"):
            form.add_error(
                None,
                _(
                    "Beaucoup de propositions sont parties de votre connexion en peu de temps. "
                    "Réessayez dans une heure ; vos réponses sont conservées ci-dessous."
                ),
            )
        else:
            data = form.cleaned_data
            proposal_submit(
                title=data["title"],
                structures=data["structures"],
                department=data["department"],
                cooperation_forms=data["cooperation_forms"],
                description=data["description"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                review_url_for=lambda proposal: request.build_absolute_uri(
                    reverse("admin:proposals_proposal_change", args=[proposal.pk])
                ),
            )
            return redirect("proposals:thanks")
    return render(request, "proposals/form.html", {"form": form})


def proposal_thanks(request):
    return render(request, "proposals/thanks.html")
