"""The Atom feed of the published fiches, for any address of the list: the same filters give the
same fiches, the latest published first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from lib.page_cache import keyed_by

from .filters import CooperationFilter
from .models import Cooperation

FEED_SIZE = 30


@keyed_by(CooperationFilter)
class CooperationFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request):
        return CooperationFilter(request.GET, queryset=Cooperation.objects.published())

    def title(self, filterset):
        chips = [chip.label for chip in filterset.chips()]
        if not chips:
            return _("Coopérations IAE : les dernières fiches publiées")
        return _("Coopérations IAE : %(selection)s") % {"selection": " · ".join(chips)}

    def subtitle(self, filterset):
        return _(
            "Les fiches coopération publiées qui correspondent à cette sélection, les plus récentes d'abord."
        )

    def link(self, filterset):
        return reverse("cooperations:list") + _query(filterset)

    def feed_url(self, filterset):
        return reverse("cooperations:feed") + _query(filterset)

    def author_name(self):
        return _("Coopérations IAE")

    def items(self, filterset):
        # Newest first, whatever the list's sort: a feed reader looks for what is new.
        return filterset.qs.order_by("-published_at", "pk").prefetch_related("forms")[:FEED_SIZE]

    def item_title(self, cooperation):
        return cooperation.title

    def item_description(self, cooperation):
        return cooperation.summary_text

    def item_pubdate(self, cooperation):
        return cooperation.published_at

    def item_updateddate(self, cooperation):
        return cooperation.updated_at

    def item_categories(self, cooperation):
        return [form.name for form in cooperation.forms.all()]


def _query(filterset):
    """The selection as the list's address writes it, "" when nothing is selected."""
    query = filterset.query_string()
    return f"?{query}" if query else ""
