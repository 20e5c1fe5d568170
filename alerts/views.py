from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cooperations.filters import CooperationFilter
from cooperations.models import Cooperation
from lib.antispam import rate_limited

from .forms import FollowForm
from .models import Subscription, manage_key
from .services import subscription_confirm, subscription_request

RESUBSCRIBE_SALT = "alerts.resubscribe"


# --- /alertes/suivre/ ------------------------------------------------------------------------------
def follow_search(request):
    # The filters come from the list's address, then travel in the form; they are checked each time.
    raw = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    filterset = CooperationFilter(QueryDict(raw), queryset=Cooperation.objects.published())
    context = {
        "chips": filterset.chips(),
        "warnings": filterset.warnings,
        "query": filterset.query_string(),
    }
    return _follow(request, context, query=context["query"])


def follow_fiche(request, slug):
    cooperation = get_object_or_404(Cooperation.objects.published(), slug=slug)
    return _follow(request, {"cooperation": cooperation}, cooperation=cooperation)


def _follow(request, context, **target):
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, "alerts"):
            form.add_error(
                None,
                _(
                    "Beaucoup de demandes sont parties de votre connexion en peu de temps. "
                    "Réessayez dans une heure."
                ),
            )
        else:
            subscription_request(
                email=form.cleaned_data["email"],
                frequency=form.cleaned_data["frequency"],
                request=request,
                **target,
            )
            return redirect("alerts:sent")
    return render(request, "alerts/follow.html", {**context, "form": form})


def request_sent(request):
    return render(request, "alerts/sent.html")


# --- The links of the e-mails ----------------------------------------------------------------------
def confirm(request, token):
    subscription = Subscription.objects.filter(token=token).select_related("cooperation").first()
    expired = subscription is None or (
        not subscription.is_confirmed
        and subscription.created_at < timezone.now() - Subscription.CONFIRMATION_DELAY
    )
    if expired:
        return render(request, "alerts/link_expired.html", status=404)
    if subscription.is_confirmed:
        messages.info(request, _("Cette alerte est déjà active."))
        return redirect("alerts:manage", key=manage_key(subscription.email))
    # Confirmed by a button, not by opening the link: mail filters open links to inspect them.
    if request.method == "POST":
        subscription_confirm(subscription=subscription)
        messages.success(request, _("Votre alerte est activée."))
        return redirect("alerts:manage", key=manage_key(subscription.email))
    return render(request, "alerts/confirm.html", {"subscription": subscription})


@csrf_exempt  # mail programs send the one-click POST of RFC 8058 without any cookie; the token is the key
def unsubscribe(request, token):
    """GET asks (mail filters open every link of an e-mail to inspect it); POST unsubscribes, from the
    page's button or from the mail program's own button (RFC 8058)."""
    subscription = Subscription.objects.filter(token=token).select_related("cooperation").first()
    if request.method != "POST":
        if subscription is None:
            return render(request, "alerts/unsubscribed.html", {})
        return render(request, "alerts/unsubscribe.html", {"subscription": subscription})
    if "List-Unsubscribe" in request.POST:
        if subscription:
            subscription.delete()
        return HttpResponse(_("Désabonnement enregistré."), content_type="text/plain; charset=utf-8")
    context = {}
    if subscription:
        context = {
            "description": subscription.description,
            "manage_key": manage_key(subscription.email),
            # Everything needed to undo, signed: the row itself is gone.
            "undo": signing.dumps(
                {
                    "email": subscription.email,
                    "query": subscription.query,
                    "cooperation": subscription.cooperation_id,
                    "frequency": subscription.frequency,
                },
                salt=RESUBSCRIBE_SALT,
                compress=True,
            ),
        }
        subscription.delete()
    return render(request, "alerts/unsubscribed.html", context)


@require_POST
def resubscribe(request):
    try:
        data = signing.loads(request.POST.get("undo", ""), salt=RESUBSCRIBE_SALT, max_age=7 * 24 * 3600)
    except signing.BadSignature as error:
        raise Http404 from error
    cooperation = Cooperation.objects.published().filter(pk=data["cooperation"]).first()
    if data["cooperation"] and cooperation is None:
        raise Http404  # unpublished since
    target = {"cooperation": cooperation} if cooperation else {"cooperation": None, "query": data["query"]}
    Subscription.objects.get_or_create(
        email=data["email"],
        **target,
        defaults={"frequency": data["frequency"], "confirmed_at": timezone.now()},
    )
    messages.success(request, _("Votre alerte est rétablie."))
    return redirect("alerts:manage", key=manage_key(data["email"]))


def manage(request, key):
    subscriptions = Subscription.objects.filter(address_key=key)
    if request.method == "POST":
        chosen = (
            subscriptions
            if request.POST.get("token") == "all"
            else subscriptions.filter(token=request.POST.get("token", ""))
        )
        count, _details = chosen.delete()
        if count:
            messages.success(request, _("C'est fait : vous ne recevrez plus ces e-mails."))
        return redirect("alerts:manage", key=key)
    subscriptions = list(subscriptions.select_related("cooperation"))
    context = {"email": subscriptions[0].email if subscriptions else "", "subscriptions": subscriptions}
    return render(request, "alerts/manage.html", context)
