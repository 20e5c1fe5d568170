"""`{% suggestions_beside cooperation %}`: what the fiche's editor shows beside the form."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.test import RequestFactory

from proposals.models import Correction
from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db

TEMPLATE = Template("{% load review %}{% suggestions_beside cooperation %}")


def render(cooperation, query=""):
    request = RequestFactory().get(f"/espace/fiches/{cooperation.pk}/{query}")
    html = TEMPLATE.render(Context({"request": request, "cooperation": cooperation}))
    return BeautifulSoup(html, "html.parser")


def suggestion(fiche, message, status=Correction.Status.PENDING):
    return Correction.objects.create(cooperation=fiche, message=message, status=status)


def test_the_accepted_suggestion_named_in_the_address_comes_first_then_those_waiting(
    django_assert_num_queries,
):
    fiche = CooperationFactory(published=True)
    accepted = suggestion(fiche, "Le téléphone est le 02 98 00 00 00.", Correction.Status.ACCEPTED)
    suggestion(fiche, "Le site a changé d'adresse.")
    suggestion(fiche, "Déjà écartée.", Correction.Status.DISMISSED)
    suggestion(CooperationFactory(published=True), "Sur une autre fiche.")

    with django_assert_num_queries(1):  # the fiche's suggestions, pending or named
        page = render(fiche, f"?suggestion={accepted.pk}")

    assert page.select_one(".suggestion-accepted blockquote").get_text(strip=True) == (
        "Le téléphone est le 02 98 00 00 00."
    )
    waiting = page.select("ul li blockquote")
    assert [quote.get_text(strip=True) for quote in waiting] == ["Le site a changé d'adresse."]
    assert page.h3.get_text() == "Retenue, à reporter dans la fiche"


def test_without_suggestions_nothing_is_shown():
    fiche = CooperationFactory(published=True)
    suggestion(fiche, "Déjà retenue, pas nommée.", Correction.Status.ACCEPTED)
    assert render(fiche).get_text(strip=True) == ""
    assert render(fiche, "?suggestion=abc").get_text(strip=True) == ""


def test_a_suggestion_of_another_fiche_is_not_shown_even_when_named():
    fiche = CooperationFactory(published=True)
    other = suggestion(CooperationFactory(published=True), "Ailleurs.", Correction.Status.ACCEPTED)
    assert render(fiche, f"?suggestion={other.pk}").get_text(strip=True) == ""
