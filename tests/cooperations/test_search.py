"""Searching fiches: accents, plurals, the web-search syntax, ranking and highlighting."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cooperations.models import Cooperation, Participation
from cooperations.search import parse_query, singular
from tests.factories import CooperationFactory, DepartmentFactory, RegionFactory, StructureFactory

pytestmark = pytest.mark.django_db


def found(client, query, **params):
    response = client.get(reverse("cooperations:list"), {"q": query, **params})
    assert response.status_code == 200
    return [cooperation.title for cooperation in response.context["cooperations"]]


def test_a_query_without_accents_finds_a_title_with_accents(client):
    CooperationFactory(published=True, title="Écopôle alimentaire d'Audruicq")
    CooperationFactory(published=True, title="Garage solidaire")
    assert found(client, "ecopole") == ["Écopôle alimentaire d'Audruicq"]
    assert found(client, "ÉCOPÔLE") == ["Écopôle alimentaire d'Audruicq"]


def test_a_plural_query_finds_the_singular_word(client):
    CooperationFactory(published=True, title="Une boulangerie d'insertion")
    CooperationFactory(published=True, title="Garage solidaire")
    assert found(client, "boulangeries") == ["Une boulangerie d'insertion"]


def test_a_query_without_accents_finds_accented_words_in_the_text(client):
    CooperationFactory(published=True, title="Fromagerie", summary="Un troupeau de chèvres partagé.")
    CooperationFactory(published=True, title="Garage solidaire")
    assert found(client, "chevres") == ["Fromagerie"]


def test_every_word_of_the_query_must_match(client):
    CooperationFactory(published=True, title="Recyclerie du Finistère", summary="Réemploi de meubles.")
    CooperationFactory(published=True, title="Recyclerie textile", summary="Tri de vêtements.")
    assert found(client, "recyclerie meubles") == ["Recyclerie du Finistère"]
    assert sorted(found(client, "recyclerie")) == ["Recyclerie du Finistère", "Recyclerie textile"]


def test_the_web_search_syntax_excludes_words_and_matches_phrases(client):
    CooperationFactory(published=True, title="Restauration collective", summary="Des repas pour les écoles.")
    CooperationFactory(published=True, title="Restauration du patrimoine", summary="Des chantiers de pierre.")
    assert found(client, "restauration -chantiers") == ["Restauration collective"]
    assert found(client, '"restauration collective"') == ["Restauration collective"]
    assert found(client, '"collective restauration"') == []
    assert sorted(found(client, "écoles or pierre")) == [
        "Restauration collective",
        "Restauration du patrimoine",
    ]


def test_structure_names_and_places_are_searched(client):
    region = RegionFactory(code="53", name="Bretagne")
    department = DepartmentFactory(code="29", name="Finistère", region=region)
    structure = StructureFactory(name="Les Jardins de Cocagne")
    CooperationFactory(
        published=True, title="Légumes bio", departments=[department], participants=[structure]
    )
    CooperationFactory(published=True, title="Garage solidaire")
    assert found(client, "cocagne") == ["Légumes bio"]
    assert found(client, "finistere") == ["Légumes bio"]
    # The department's region counts as a place of the fiche.
    assert found(client, "bretagne") == ["Légumes bio"]


def test_a_title_match_ranks_above_a_summary_match_and_a_section_match(client):
    CooperationFactory(published=True, title="Chantier naval", context="Une conserverie voisine.")
    CooperationFactory(published=True, title="Conserverie solidaire")
    CooperationFactory(published=True, title="Légumerie", summary="Elle livre une conserverie.")
    assert found(client, "conserverie") == ["Conserverie solidaire", "Légumerie", "Chantier naval"]


def test_drafts_are_never_found(client):
    CooperationFactory(title="Écopôle en préparation")
    CooperationFactory(published=True, title="Écopôle publié")
    assert found(client, "ecopole") == ["Écopôle publié"]


def test_renaming_a_participant_refreshes_the_fiches_it_takes_part_in(client):
    structure = StructureFactory(name="Atelier Dupont")
    CooperationFactory(published=True, title="Menuiserie partagée", participants=[structure])
    structure.name = "Atelier Martin"
    structure.save()
    assert found(client, "martin") == ["Menuiserie partagée"]
    assert found(client, "dupont") == []


def test_adding_and_removing_a_participant_or_a_place_refreshes_the_fiche(client):
    cooperation = CooperationFactory(published=True, title="Menuiserie partagée")
    structure = StructureFactory(name="Bois et Compagnie")
    participation = Participation.objects.create(cooperation=cooperation, structure=structure)
    assert found(client, "compagnie") == ["Menuiserie partagée"]
    participation.delete()
    assert found(client, "compagnie") == []
    department = DepartmentFactory(code="56", name="Morbihan")
    cooperation.departments.add(department)
    assert found(client, "morbihan") == ["Menuiserie partagée"]
    department.cooperations.clear()
    assert found(client, "morbihan") == []


def test_editing_a_fiche_refreshes_its_search_data(client):
    cooperation = CooperationFactory(published=True, title="Garage solidaire")
    cooperation.implementation = "Un atelier de mécanique."
    cooperation.save()
    assert found(client, "mecanique") == ["Garage solidaire"]


def test_the_rebuild_command_rewrites_what_bulk_updates_left_stale(client):
    CooperationFactory(published=True, title="Garage solidaire")
    Cooperation.objects.update(summary="Une recyclerie.")  # QuerySet.update() sends no signal.
    assert found(client, "recyclerie") == []
    call_command("rebuild_search_index", "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found(client, "recyclerie") == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert found(client, "recyclerie") == ["Garage solidaire"]


def test_the_found_words_are_highlighted_and_nothing_else_is_markup(client):
    CooperationFactory(
        published=True,
        title="Écopôle <em>alimentaire</em>",
        summary="Un **écopôle** qui <script>alert(1)</script> nourrit le territoire.",
    )
    response = client.get(reverse("cooperations:list"), {"q": "ecopole"})
    html = response.content.decode()
    assert "<mark>Écopôle</mark> &lt;em&gt;alimentaire&lt;/em&gt;" in html
    assert "<mark>écopôle</mark>" in html
    assert "<script>alert" not in html
    assert "**" not in html


def test_snippets_show_the_words_of_a_list_without_its_markup(client):
    CooperationFactory(
        published=True, title="Garage", summary="Un garage.", objectives="- Réparer des autos\n- Former"
    )
    response = client.get(reverse("cooperations:list"), {"q": "autos"})
    snippet = response.context["cooperations"][0].snippet
    assert "Réparer des <mark>autos</mark>" in snippet
    assert "- " not in snippet


def test_a_query_of_stop_words_only_finds_nothing(client):
    CooperationFactory(published=True, title="Le garage de la ville")
    assert found(client, "le de la") == []


def test_a_misspelled_title_is_found_when_nothing_matches_exactly(client):
    CooperationFactory(published=True, title="Écopôle alimentaire")
    CooperationFactory(published=True, title="Garage solidaire")
    response = client.get(reverse("cooperations:list"), {"q": "ecoploe"})
    assert [c.title for c in response.context["cooperations"]] == ["Écopôle alimentaire"]
    assert response.context["filterset"].search.suggestion == "écopôle"


def test_a_misspelled_structure_name_is_found_when_nothing_matches_exactly(client):
    structure = StructureFactory(name="Les Anges Gardins")
    CooperationFactory(published=True, title="Légumerie", participants=[structure])
    CooperationFactory(published=True, title="Garage solidaire")
    assert found(client, "anges gardin") == ["Légumerie"]
    assert found(client, "gardnis") == ["Légumerie"]


def test_the_approximate_search_is_not_used_for_phrases_or_exclusions(client):
    CooperationFactory(published=True, title="Restauration collective")
    assert found(client, '"collective restauration"') == []
    assert found(client, "restoration -collective") == []
    assert found(client, "restoration") == ["Restauration collective"]


def test_the_approximate_search_stays_off_when_the_exact_search_finds_something(client):
    CooperationFactory(published=True, title="Écopôle alimentaire")
    CooperationFactory(published=True, title="Écopole du bois")
    response = client.get(reverse("cooperations:list"), {"q": "alimentaire"})
    assert [c.title for c in response.context["cooperations"]] == ["Écopôle alimentaire"]
    assert not response.context["filterset"].search.fuzzy


def test_plural_folding_keeps_short_words_and_handles_aux_and_eaux():
    assert [singular(w) for w in ["boulangeries", "animaux", "bureaux", "bus", "cas", "prix"]] == [
        "boulangerie",
        "animal",
        "bureau",
        "bus",
        "cas",
        "pri",
    ]


def test_the_query_is_read_like_the_web_search_syntax():
    # Folded, and kept in the plural for the French stemmer.
    groups = parse_query('Écopôles "pain de campagne" -chantier or Garages')
    assert [[(c.excluded, c.alternatives) for c in group] for group in groups] == [
        [
            (False, ((("ecopoles",),),)),
            (False, ((("pain", "de", "campagne"),),)),
            (True, ((("chantier",),),)),
        ],
        [(False, ((("garages",),),))],
    ]
