"""A fiche's similar fiches are stored when it changes (cooperations/similar.py), not scored on the
first view of its page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperations import similar
from cooperations.models import SimilarFiches
from tests.factories import CooperationFactory, CooperationFormFactory, SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbours():
    gme, food = CooperationFormFactory(code="gme"), SectorFactory(slug="alimentation")
    close = CooperationFactory(published=True, title="Proche", forms=[gme], sectors=[food])
    CooperationFactory(published=True, title="Lointaine")
    return gme, food, close


def test_a_saved_fiche_has_its_neighbours_stored_once_its_transaction_commits(
    neighbours, django_capture_on_commit_callbacks
):
    gme, food, close = neighbours
    with django_capture_on_commit_callbacks(execute=True):
        fiche = CooperationFactory(published=True, title="Nouvelle", forms=[gme], sectors=[food])

    assert SimilarFiches.objects.get(pk=fiche.pk).ids[0] == close.pk


def test_the_fiche_page_reads_the_stored_neighbours_without_scoring_them(client, neighbours):
    gme, food, close = neighbours
    fiche = CooperationFactory(published=True, title="Nouvelle", forms=[gme], sectors=[food])
    similar.compute([fiche.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cooperations:detail", args=[fiche.slug]))

    assert [card.title for card in response.context["similar"]][0] == "Proche"
    assert not [q for q in queries.captured_queries if "score" in q["sql"]]


def test_a_change_forgets_the_stored_neighbours_and_the_page_computes_them_again(client, neighbours):
    gme, food, close = neighbours
    fiche = CooperationFactory(published=True, title="Nouvelle", forms=[gme], sectors=[food])
    similar.compute([fiche.pk])
    fiche.forms.clear()  # after this, its transaction's commit would compute them again
    assert not SimilarFiches.objects.filter(pk=fiche.pk).exists()

    response = client.get(reverse("cooperations:detail", args=[fiche.slug]))
    assert [card.title for card in response.context["similar"]][0] == "Proche"
    assert SimilarFiches.objects.filter(pk=fiche.pk).exists()


def test_a_draft_s_neighbours_are_computed_for_its_preview_and_not_stored(neighbours):
    gme, food, close = neighbours
    draft = CooperationFactory(title="Brouillon", forms=[gme], sectors=[food])

    assert similar.ids_for(draft)[0] == close.pk
    assert not SimilarFiches.objects.filter(pk=draft.pk).exists()
