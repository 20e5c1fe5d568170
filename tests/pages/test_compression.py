"""HTML and JSON answers are compressed for browsers that accept it (GZipMiddleware)."""

import gzip
import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import CooperationFactory, real_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    places = real_places()
    CooperationFactory(published=True, title="Légumerie du Nord", departments=[places["nord"]])


def test_the_territories_page_is_sent_compressed_to_a_browser_that_accepts_it(client, directory):
    plain = client.get(reverse("territories:index"))
    compressed = client.get(reverse("territories:index"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    body = gzip.decompress(compressed.content)
    assert len(compressed.content) < len(body) / 2
    assert BeautifulSoup(body, "html.parser").h1.get_text(strip=True) == "Les coopérations par territoire"


def test_the_api_list_is_sent_compressed(client, directory, settings):
    settings.API_ANON_RATE = None
    response = client.get(reverse("api:cooperation-list"), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    titles = [fiche["title"] for fiche in json.loads(gzip.decompress(response.content))["results"]]
    assert titles == ["Légumerie du Nord"]


def test_two_compressions_of_the_same_page_differ_in_length(client, directory):
    """The BREACH mitigation: random bytes in the gzip header, so that the length of a compressed page
    says nothing of a secret it holds."""
    lengths = {
        len(client.get(reverse("territories:index"), HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)
    }

    assert len(lengths) > 1
