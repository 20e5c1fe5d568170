from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cooperations.models import Cooperation
from lib.antispam import rate_limited
from lib.forms import shown_as_typed
from lib.urls import absolute_url

from .forms import MAX_STRUCTURE_LINES, CorrectionForm, ParticipantRows, ProposalForm
from .services import correction_submit, proposal_submit

# --- /proposer/ ------------------------------------------------------------------------------------


def proposal_create(request):
    form = ProposalForm(request.POST or None)
    rows = ParticipantRows(request.POST or None, prefix="participants")
    if request.method == "POST" and "add-participant" in request.POST:
        # Without script, one more row: the page comes back with everything typed, nothing checked.
        data = request.POST.copy()
        total = rows.management_form.data.get("participants-TOTAL_FORMS", "0")
        data["participants-TOTAL_FORMS"] = str(
            min(int(total) + 1 if total.isdigit() else 1, MAX_STRUCTURE_LINES)
        )
        form = shown_as_typed(ProposalForm(data))
        rows = shown_as_typed(ParticipantRows(data, prefix="participants"))
        return render(request, "proposals/form.html", {"form": form, "rows": rows})
    if request.method == "POST" and form.is_valid() and rows.is_valid():
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
                participants=rows.rows(),
                source_title=data["source_title"],
                source_url=data["source_url"],
                department=data["department"],
                cooperation_forms=data["cooperation_forms"],
                description=data["description"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                review_url_for=lambda proposal: absolute_url(
                    reverse("editing:review_proposal", args=[proposal.pk]), request
                ),
                request=request,
            )
            return redirect("proposals:thanks")
    return render(request, "proposals/form.html", {"form": form, "rows": rows})


def proposal_thanks(request):
    return render(request, "proposals/thanks.html")


# --- /cooperations/<slug>/signaler/ ----------------------------------------------------------------
def correction_create(request, slug):
    cooperation = get_object_or_404(Cooperation.objects.published(), slug=slug)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, "corrections"):
            form.add_error(
                None,
                _(
                    "Beaucoup de suggestions sont parties de votre connexion en peu de temps. "
                    "Réessayez dans une heure ; votre message est conservé ci-dessous."
                ),
            )
        else:
            correction_submit(
                cooperation=cooperation,
                message=form.cleaned_data["message"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                review_url_for=lambda correction: absolute_url(
                    reverse("editing:review_correction", args=[correction.pk]), request
                ),
                request=request,
            )
            return redirect("proposals:correction_thanks", slug=cooperation.slug)
    return render(request, "proposals/correction_form.html", {"form": form, "cooperation": cooperation})


def correction_thanks(request, slug):
    cooperation = get_object_or_404(Cooperation.objects.published(), slug=slug)
    return render(request, "proposals/correction_thanks.html", {"cooperation": cooperation})
