"""/espace/sources/: the documents fiches are drawn from, created and changed in the workspace and added
from the fiche editor."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperations.models import Source
from tests.factories import CooperationFactory, SourceFactory

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_a_source_is_created_with_its_title_publisher_date_and_address(client, editor):
    response = client.post(
        reverse("editing:source_new"),
        {
            "title": "Les coopérations des SIAE",
            "publisher": "Avise",
            "published_on": "2024-03-12",
            "url": "https://www.avise.example/cooperations",
        },
    )
    assert response.url == reverse("editing:sources")
    source = Source.objects.get()
    assert (source.key, source.publisher, str(source.published_on), source.year) == (
        "les-cooperations-des-siae",
        "Avise",
        "2024-03-12",
        2024,
    )


def test_a_source_is_changed_and_names_its_fiches(client, editor):
    source = SourceFactory(title="Rapport", key="rapport-2023")
    CooperationFactory(title="Blanchisserie", sources=[source])
    page = soup(client.get(reverse("editing:source_edit", args=[source.pk])))
    assert [a.get_text() for a in page.select("#fiches-title + ul a")] == ["Blanchisserie"]
    client.post(
        reverse("editing:source_edit", args=[source.pk]), {"title": "Rapport 2023", "published_year": "2023"}
    )
    source.refresh_from_db()
    assert (source.title, source.published_year, source.key) == ("Rapport 2023", 2023, "rapport-2023")


def test_a_year_that_contradicts_the_date_is_refused(client, editor):
    response = client.post(
        reverse("editing:source_new"),
        {"title": "Rapport", "published_on": "2024-03-12", "published_year": "2023"},
    )
    assert "L'année ne correspond pas" in soup(response).select_one("#id_published_year_error").get_text()
    assert not Source.objects.exists()


def test_the_list_is_searched_and_paginated(client, editor, django_assert_num_queries):
    for n in range(35):
        SourceFactory(title=f"Document {n}", publisher="Avise" if n % 2 else "COORACE")
    client.get(reverse("editing:sources"))
    # session, user, its own and its groups' permissions (4); the count and the page with its fiche counts (2)
    with django_assert_num_queries(6):
        page = soup(client.get(reverse("editing:sources") + "?q=coorace"))
    assert page.select_one(".results-count").get_text() == "18 sources"
    assert len(page.select(".fiche-rows li")) == 18


def test_the_fiche_editor_adds_a_new_source_ticked(client, editor):
    editor_page = soup(client.get(reverse("editing:cooperation_edit", args=[CooperationFactory().pk])))
    assert editor_page.select_one("[data-source-form] [data-create-url]")["data-create-url"] == reverse(
        "editing:source_quick_create"
    )
    response = client.post(
        reverse("editing:source_quick_create"),
        {"new-source-title": "Webinaire de la DREETS", "new-source-publisher": "DREETS Hauts-de-France"},
    )
    created = soup(response).select_one("[data-source-created]")
    source = Source.objects.get()
    assert (created["data-source-created"], created["data-label"]) == (
        str(source.pk),
        "Webinaire de la DREETS (DREETS Hauts-de-France)",
    )
    refused = client.post(reverse("editing:source_quick_create"), {"new-source-title": ""})
    assert refused.status_code == 422 and soup(refused).select_one("[data-source-form] .errorlist")
