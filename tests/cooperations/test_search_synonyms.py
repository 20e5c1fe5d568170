"""The search's reference table of synonyms, relevance, and the cost of the forgiving search."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperations.models import Synonym
from tests.factories import CooperationFactory, StructureFactory

pytestmark = pytest.mark.django_db
URL = reverse("cooperations:list")


def found(client, query, **params):
    response = client.get(URL, {"q": query, **params})
    return [cooperation.title for cooperation in response.context["cooperations"]]


def test_the_migration_seeds_the_fields_equivalences():
    terms = list(Synonym.objects.values_list("terms", flat=True))
    assert any(t.startswith("GES ; groupe économique solidaire ; ensemblier") for t in terms)
    assert "ressourcerie ; recyclerie" in terms
    assert any(t.startswith("EA ; entreprise adaptée") for t in terms)
    assert any(t.startswith("QPV ; quartier prioritaire") for t in terms)


def test_a_synonym_added_by_an_administrator_is_used_at_once(client):
    CooperationFactory(published=True, title="Conciergerie solidaire de quartier")
    assert found(client, "bagagerie") == []
    Synonym.objects.create(terms="bagagerie ; conciergerie")
    assert found(client, "bagagerie") == ["Conciergerie solidaire de quartier"]


def test_a_synonym_needs_two_different_expressions():
    with pytest.raises(ValidationError) as error:
        Synonym(terms="recyclerie ; Recyclerie ;").full_clean()
    assert error.value.message_dict["terms"] == [
        "Indiquez au moins deux expressions différentes, séparées par des points-virgules."
    ]
    synonym = Synonym(terms=" bagagerie;consigne solidaire ; ")
    synonym.full_clean()
    assert synonym.terms == "bagagerie ; consigne solidaire"


def test_an_administrator_edits_the_synonyms_in_the_admin(client, administrator):
    response = client.post(
        reverse("admin:cooperations_synonym_add"), {"terms": "bagagerie ; consigne solidaire"}, follow=True
    )
    assert response.status_code == 200
    assert Synonym.objects.filter(terms="bagagerie ; consigne solidaire").exists()


def test_a_word_in_the_title_or_a_participant_name_ranks_above_the_same_word_in_the_body(client):
    CooperationFactory(published=True, title="Chantier naval", context="Une conserverie voisine.")
    CooperationFactory(
        published=True,
        title="Atelier de quartier",
        participants=[StructureFactory(name="Conserverie du Lot")],
    )
    CooperationFactory(published=True, title="Légumerie", summary="Elle livre une conserverie.")
    assert found(client, "conserverie") == ["Atelier de quartier", "Légumerie", "Chantier naval"]


def test_partial_matches_rank_the_fiches_holding_more_words_first(client):
    CooperationFactory(published=True, title="Maraîchage bio")
    CooperationFactory(published=True, title="Maraîchage et conserverie")
    CooperationFactory(published=True, title="Garage solidaire")
    response = client.get(URL, {"q": "maraîchage conserverie traiteur"})
    assert [c.title for c in response.context["cooperations"]] == [
        "Maraîchage et conserverie",
        "Maraîchage bio",
    ]
    assert response.context["filterset"].search.mode == "partial"


def test_an_unknown_kinds_mode_is_ignored_and_said(client):
    response = client.get(URL, {"structure_kind": "ACI", "kinds": "both"})
    assert response.status_code == 200
    assert any(
        "« both » n'est pas un mode du filtre des types de structure" in w
        for w in response.context["warnings"]
    )


def test_the_forgiving_search_costs_the_same_queries_whatever_the_directory(
    client, django_assert_num_queries
):
    for index in range(30):
        CooperationFactory(published=True, title=f"Garage solidaire {index}")
    client.get(URL)  # the choice lists and the unfiltered counts, cached from now on
    client.get(URL, {"q": "garage"})  # the synonyms, cached
    # 1 "does a fiche hold every word?", 2-10 the directory's words (titles, participants, communes,
    # regions, departments, forms, sectors, synonyms with the sectors' short names, the words of the
    # fiches' public text: 9 queries, cached until the directory changes).
    # Then 1 commune names, 1 the closest words, 1 "with them, does a fiche hold every word?", then the
    # facet counts, the page's ids, its fiches and their 4 prefetches; and the search's record, written
    # once the response is sent.
    with django_assert_num_queries(1 + 9 + 1 + 1 + 1 + 1 + 1 + 1 + 4 + 1):
        response = client.get(URL, {"q": "grage solidaire"})
    assert len(response.context["cooperations"]) == 20
    assert response.context["filterset"].search.suggestion == "garage solidaire"
    # The words are now cached, and so are whether fiches hold the words, this search's counts, page of
    # ids and cards: only the commune names and the closest words are looked up again, and the record.
    with django_assert_num_queries(1 + 1 + 1):
        client.get(URL, {"q": "grage solidaire"})
