"""The pages a public service owes its visitors, linked from every footer: legal notice, personal data,
accessibility statement, site map."""

from django.conf import settings
from django.shortcuts import render

from alerts.models import Subscription
from cooperations.models import CooperationForm
from cooperations.models.search_record import SEARCH_RECORD_MONTHS
from lib.operator import operator
from proposals.models import CONTACT_KEPT_MONTHS
from territories.models import Region

from . import accessibility
from .retention import SIGN_IN_LOG_MONTHS


# --- /mentions-legales/ ----------------------------------------------------------------------------
def legal_notice(request):
    return render(request, "pages/legal_notice.html", {"operator": operator()})


# --- /donnees-personnelles/ ------------------------------------------------------------------------
def privacy(request):
    context = {
        "operator": operator(),
        # The durations erase_personal_data enforces (pages/retention.py), stated where they are defined.
        "confirmation_days": Subscription.CONFIRMATION_DELAY.days,
        "contact_months": CONTACT_KEPT_MONTHS,
        "sign_in_months": SIGN_IN_LOG_MONTHS,
        "search_months": SEARCH_RECORD_MONTHS,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 3600),
        "rate_limit_minutes": settings.ANTISPAM_RATE_PERIOD // 60,
    }
    return render(request, "pages/privacy.html", context)


# --- /accessibilite/ --------------------------------------------------------------------------------
def accessibility_statement(request):
    context = {"operator": operator(), "audit": accessibility.AUDIT}
    return render(request, "pages/accessibility.html", context)


# --- /plan-du-site/ ---------------------------------------------------------------------------------
def site_map(request):
    """Two queries: the regions and the forms of cooperation, each with its page."""
    context = {
        "regions": list(Region.objects.order_by("search_name")),
        "forms": list(CooperationForm.objects.order_by("position", "name")),
    }
    return render(request, "pages/site_map.html", context)
