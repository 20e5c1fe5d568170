"""`{% suggestions_beside cooperation %}`: the public's suggestions on a fiche, for the editor to show beside
the fiche's form: the one just accepted (named by `?suggestion=` in the address), then those waiting."""

from django import template
from django.db.models import Q

from proposals.models import Correction

register = template.Library()


@register.inclusion_tag("editing/review/includes/suggestions_beside.html", takes_context=True)
def suggestions_beside(context, cooperation):
    accepted_id = context["request"].GET.get("suggestion", "")
    wanted = Q(status=Correction.Status.PENDING)
    if accepted_id.isdigit():
        wanted |= Q(pk=int(accepted_id), status=Correction.Status.ACCEPTED)
    corrections = list(Correction.objects.filter(wanted, cooperation=cooperation).order_by("submitted_at"))
    return {
        "accepted": [c for c in corrections if not c.is_pending],
        "pending": [c for c in corrections if c.is_pending],
    }
