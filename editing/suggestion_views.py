"""/espace/a-examiner/structures/<pk>/ : what a registry knows of a structure, taken or left field by
field."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from phonenumber_field.phonenumber import to_python

from lib.history_changes import join
from structures.contact import PHONE_REGION, phone_text
from structures.models import Structure, StructureSuggestion
from structures.services import suggestion_review
from territories.models import Commune

from .views import staff_required

REVIEW = "structures.change_structuresuggestion"


class SuggestionForm(forms.Form):
    accepted = forms.MultipleChoiceField(
        label=gettext_lazy("Valeurs reprises"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, suggestion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted"].choices = [(name, name) for name in suggestion.values]


def rows(suggestion):
    """(field, label, current, proposed, decision) for each value the suggestion proposes, as people
    read them."""
    structure = suggestion.structure
    communes = Commune.objects.in_bulk(
        [code for code in (suggestion.values.get("commune"), structure.commune_id) if code]
    )
    found = []
    for name, value in suggestion.values.items():
        model_field = Structure._meta.get_field(name)
        current = getattr(structure, model_field.attname)
        if name == "commune":
            current, value = communes.get(current, current), communes.get(value, value)
        elif name == "phone":  # stored as +33…, read as 02 61 91 10 20
            current, value = structure.phone_display, phone_text(to_python(value, region=PHONE_REGION))
        shown = "" if current is None else str(current)
        found.append((name, model_field.verbose_name, shown, str(value), suggestion.decisions.get(name)))
    return found


@staff_required(REVIEW)
def suggestion_detail(request, pk):
    suggestion = get_object_or_404(
        StructureSuggestion.objects.select_related("structure__commune", "reviewed_by"), pk=pk
    )
    form = SuggestionForm(request.POST or None, suggestion=suggestion)
    if request.method == "POST" and form.is_valid():
        accepted = form.cleaned_data["accepted"] if request.POST.get("action") == "accept" else []
        try:
            suggestion_review(suggestion=suggestion, accepted=accepted, user=request.user)
        except ValidationError as error:
            messages.error(request, _("Rien n'a été repris : %(detail)s") % {"detail": join(error.messages)})
            return redirect("editing:review_structure_suggestion", suggestion.pk)
        if accepted:
            messages.success(
                request, _("Valeurs reprises dans « %(name)s ».") % {"name": suggestion.structure.name}
            )
        else:
            messages.success(request, _("Complément écarté : rien n'a changé."))
        return redirect("editing:review")
    context = {"suggestion": suggestion, "form": form, "rows": rows(suggestion)}
    return render(request, "editing/review/structure_suggestion.html", context)
