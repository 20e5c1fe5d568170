"""What every page offers beyond its content: proposing a cooperation, following the fiches."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["home", "cooperations:list", "structures:list", "statistics", "forms:index"]
)
def test_every_page_links_to_proposing_a_cooperation_in_its_header_and_footer(client, name):
    page = BeautifulSoup(client.get(reverse(name)).text, "html.parser")
    for area in ("header", "footer"):
        links = [a.text.strip() for a in page.select(f"{area} a[href='{reverse('proposals:create')}']")]
        assert links == ["Proposer une coopération"], area


def test_the_home_page_invites_to_propose_and_to_follow_and_advertises_its_feed(client):
    CooperationFactory(published=True)
    page = BeautifulSoup(client.get(reverse("home")).text, "html.parser")
    actions = page.select_one(".home-actions")
    assert [a["href"] for a in actions.select("a")] == [
        reverse("proposals:create"),
        reverse("alerts:follow_search"),
        reverse("cooperations:feeds"),
    ]
    feed = page.select_one('head link[rel="alternate"][type="application/atom+xml"]')
    assert (feed["href"], feed["title"]) == (
        reverse("cooperations:feed"),
        "Coopérations IAE : les dernières fiches publiées",
    )
