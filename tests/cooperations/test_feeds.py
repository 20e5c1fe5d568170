"""The Atom feed of any list address: the same filters, the published fiches only, newest first."""

import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from tests.factories import CooperationFactory, CooperationFormFactory, publish_many, real_places

pytestmark = pytest.mark.django_db
FEED_URL = reverse("cooperations:feed")


def parse(client, query=""):
    response = client.get(FEED_URL + query)
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.fixture
def fiches():
    places = real_places()
    gme = CooperationFormFactory(code="gme", name="Groupement momentané d'entreprises", short_name="GME")
    now = timezone.now()
    older = CooperationFactory(
        published=True,
        title="Blanchisserie du Nord",
        summary="Trois **ACI** partagent une blanchisserie.",
        departments=[places["nord"]],
        forms=[gme],
        published_at=now - datetime.timedelta(days=3),
    )
    newer = CooperationFactory(
        published=True,
        title="Légumerie du Rhône",
        departments=[places["rhone"]],
        published_at=now - datetime.timedelta(days=1),
    )
    draft = CooperationFactory(title="Brouillon du Nord", departments=[places["nord"]])
    return {"older": older, "newer": newer, "draft": draft}


def test_the_feed_lists_published_fiches_newest_first_with_their_summary_and_forms(client, fiches):
    feed = parse(client)
    assert feed.feed.title == "Coopérations IAE : les dernières fiches publiées"
    assert [entry.title for entry in feed.entries] == ["Légumerie du Rhône", "Blanchisserie du Nord"]
    blanchisserie = feed.entries[1]
    assert blanchisserie.link == f"http://testserver{fiches['older'].get_absolute_url()}"
    assert blanchisserie.summary == "Trois ACI partagent une blanchisserie."
    assert [tag.term for tag in blanchisserie.tags] == ["Groupement momentané d'entreprises"]
    assert blanchisserie.published_parsed[:3] == fiches["older"].published_at.utctimetuple()[:3]


def test_any_list_address_has_its_feed_with_the_same_filters(client, fiches):
    feed = parse(client, "?department=59&sort=title")
    assert [entry.title for entry in feed.entries] == ["Blanchisserie du Nord"]
    assert feed.feed.title == "Coopérations IAE : Département : 59 Nord"
    assert feed.feed.link == "http://testserver/cooperations/?department=59"
    assert parse(client, "?form=gme&region=84").entries == []


def test_a_bad_filter_value_is_ignored_as_on_the_list(client, fiches):
    feed = parse(client, "?department=999&form=nope")
    assert len(feed.entries) == 2


def test_drafts_never_appear_in_a_feed(client, fiches):
    assert "Brouillon du Nord" not in [entry.title for entry in parse(client, "?department=59").entries]


def test_the_list_advertises_the_feed_of_its_current_filters(client, fiches):
    page = BeautifulSoup(client.get(reverse("cooperations:list") + "?department=59").text, "html.parser")
    link = page.select_one('head link[rel="alternate"][type="application/atom+xml"]')
    assert link["href"] == f"{FEED_URL}?department=59"
    follow = page.select(".follow-links a")
    assert [a["href"] for a in follow] == [
        reverse("alerts:follow_search") + "?department=59",
        reverse("cooperations:feeds") + "?department=59",
    ]


@pytest.mark.parametrize("count", [5, 50])
def test_the_feed_runs_the_same_queries_whatever_the_number_of_fiches(
    client, django_assert_num_queries, count
):
    form = CooperationFormFactory()
    publish_many(count, forms=[form])
    # 1-5 the filters' choices (regions, departments, forms, sectors, organisations: cached after the
    # first request), 6 the latest fiches, 7 their forms.
    with django_assert_num_queries(7):
        feed = feedparser.parse(client.get(FEED_URL).content)
    assert len(feed.entries) == min(count, 30)


def test_text_that_looks_like_markup_stays_text_in_the_feed(client):
    CooperationFactory(published=True, title="Recyclerie <script>alert(1)</script>", summary="<b>gras</b>")
    response = client.get(FEED_URL)
    assert b"<script>" not in response.content and b"<b>" not in response.content
    [entry] = feedparser.parse(response.content).entries
    assert entry.title == "Recyclerie <script>alert(1)</script>"


def test_the_feeds_page_explains_and_gives_the_address_of_the_selection_s_feed(client, fiches):
    response = client.get(reverse("cooperations:feeds") + "?department=59&sort=title")
    page = BeautifulSoup(response.content, "html.parser")
    assert page.h1.get_text() == "Suivre les nouvelles fiches par un flux"
    field = page.select_one("input#feed-address")
    assert field["value"] == f"http://testserver{FEED_URL}?department=59"  # the sort is not followed
    assert field.has_attr("readonly")
    assert page.select_one("label[for=feed-address]").get_text() == "Adresse à copier dans votre lecteur"
    assert [li.get_text() for li in page.select(".subject-filters li")] == ["Département : 59 Nord"]
    steps = [" ".join(li.get_text().split()) for li in page.select("ol li")]
    assert steps[0] == "Copiez l'adresse ci-dessus."
    assert page.find("a", href=reverse("alerts:follow_search") + "?department=59")
    assert page.find("a", href=reverse("cooperations:list") + "?department=59")


def test_the_feeds_page_gives_the_address_on_site_url(client, settings):
    settings.SITE_URL = "https://cooperations.example"
    page = BeautifulSoup(client.get(reverse("cooperations:feeds")).content, "html.parser")
    assert page.select_one("input#feed-address")["value"] == f"https://cooperations.example{FEED_URL}"
    assert "Ce flux donne toutes les fiches publiées" in page.select_one(".form-subject").get_text()


def test_the_footer_links_to_the_feeds_page_not_to_the_raw_feed(client):
    page = BeautifulSoup(client.get(reverse("home")).content, "html.parser")
    footer_links = {a["href"] for a in page.select("footer a")}
    assert reverse("cooperations:feeds") in footer_links
    assert FEED_URL not in footer_links
