"""The cooperation list: filters, facet counts, chips, sorting, empty states, htmx, query counts."""

import itertools

import pytest
from django.urls import reverse

from cooperations.models import Level
from structures.models import Structure
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    DepartmentFactory,
    RegionFactory,
    SectorFactory,
    StructureFactory,
)

pytestmark = pytest.mark.django_db
URL = reverse("cooperations:list")


def titles(response):
    return [cooperation.title for cooperation in response.context["cooperations"]]


def facet(response, name):
    """{value: count} of one facet as the page shows it."""
    facets = {facet.name: facet for facet in response.context["facets"]}
    return {option.value: option.count for option in facets[name].options}


@pytest.fixture
def places():
    brittany = RegionFactory(code="53", name="Bretagne")
    normandy = RegionFactory(code="28", name="Normandie")
    return {
        "brittany": brittany,
        "normandy": normandy,
        "finistere": DepartmentFactory(code="29", name="Finistère", region=brittany),
        "morbihan": DepartmentFactory(code="56", name="Morbihan", region=brittany),
        "manche": DepartmentFactory(code="50", name="Manche", region=normandy),
    }


@pytest.fixture
def catalogue(places):
    """A small directory where every filter has something to find and something to leave out."""
    gie = CooperationFormFactory(code="gie", name="Groupement d'intérêt économique")
    scic = CooperationFormFactory(code="scic", name="SCIC")
    food = SectorFactory(slug="alimentation", name="Alimentation")
    building = SectorFactory(slug="btp", name="Bâtiment")
    aci = StructureFactory(name="Chantier du Port", kind=Structure.Kind.ACI)
    company = StructureFactory(name="Conserverie Durand", kind=Structure.Kind.COMPANY)
    return {
        "Légumerie": CooperationFactory(
            published=True,
            title="Légumerie",
            level=Level.STRATEGIC,
            forms=[gie],
            sectors=[food],
            departments=[places["finistere"]],
            participants=[(aci, "lead"), company],
            start_year=2012,
        ),
        "Conserverie": CooperationFactory(
            published=True,
            title="Conserverie",
            level=Level.REINFORCED,
            forms=[gie, scic],
            sectors=[food],
            departments=[places["morbihan"], places["manche"]],
            participants=[company],
            start_year=2018,
        ),
        "Chantier régional": CooperationFactory(
            published=True,
            title="Chantier régional",
            level=Level.SIMPLE,
            forms=[scic],
            sectors=[building],
            regions=[places["brittany"]],
            departments=[places["finistere"]],
            participants=[aci],
            start_year=2020,
        ),
        "Garage normand": CooperationFactory(
            published=True,
            title="Garage normand",
            level=Level.SIMPLE,
            regions=[places["normandy"]],
            participants=[aci],
        ),
        "Brouillon": CooperationFactory(
            title="Brouillon",
            level=Level.STRATEGIC,
            forms=[gie],
            sectors=[food],
            departments=[places["finistere"]],
            participants=[aci],
            start_year=2015,
        ),
    }


def test_the_list_shows_published_fiches_newest_first(client, catalogue):
    response = client.get(URL)
    assert titles(response) == ["Garage normand", "Chantier régional", "Conserverie", "Légumerie"]
    assert "4 coopérations" in response.content.decode()


def test_drafts_are_hidden_from_the_list_and_from_every_count(client, catalogue):
    response = client.get(URL)
    assert "Brouillon" not in titles(response)
    assert facet(response, "department")["29"] == 2  # Légumerie and Chantier régional, not the draft.
    assert facet(response, "form")["gie"] == 2
    assert facet(response, "level")[Level.STRATEGIC] == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "53"}, ["Chantier régional", "Conserverie", "Légumerie"]),
        ({"region": "28"}, ["Garage normand", "Conserverie"]),
        ({"department": "29"}, ["Chantier régional", "Légumerie"]),
        ({"level": "simple"}, ["Garage normand", "Chantier régional"]),
        ({"form": "scic"}, ["Chantier régional", "Conserverie"]),
        ({"form": ["gie", "scic"]}, ["Chantier régional", "Conserverie", "Légumerie"]),
        ({"structure_kind": "company"}, ["Conserverie", "Légumerie"]),
        ({"sector": "btp"}, ["Chantier régional"]),
        ({"year_min": "2018"}, ["Chantier régional", "Conserverie"]),
        ({"year_max": "2018"}, ["Conserverie", "Légumerie"]),
    ],
    ids=lambda value: str(value),
)
def test_each_filter_alone_keeps_the_matching_fiches(client, catalogue, params, expected):
    assert titles(client.get(URL, params)) == expected


def test_filters_combine_with_and_across_and_or_within(client, catalogue):
    response = client.get(URL, {"region": "53", "form": ["gie", "scic"], "structure_kind": "company"})
    assert titles(response) == ["Conserverie", "Légumerie"]
    response = client.get(URL, {"sector": "alimentation", "year_min": "2015", "level": "reinforced"})
    assert titles(response) == ["Conserverie"]


@pytest.mark.parametrize(
    "selection",
    [
        {"region": "53", "form": ["gie"], "structure_kind": ["ACI", "EI"]},
        # With a level chosen, the result count is that level's count.
        {"level": Level.STRATEGIC, "sector": ["food"], "department": "29"},
    ],
)
def test_facet_counts_match_a_direct_count_of_each_option(client, places, selection):
    """Facets computed independently: each fiche's attributes are known here, counted in Python."""
    forms = [CooperationFormFactory(code=code) for code in ("gie", "scic", "ptce")]
    sectors = [SectorFactory(slug=slug) for slug in ("food", "waste")]
    departments = [places["finistere"], places["morbihan"], places["manche"]]
    kinds = [Structure.Kind.ACI, Structure.Kind.EI, Structure.Kind.COMPANY]
    structures = [StructureFactory(kind=kind) for kind in kinds]
    levels = list(Level.values)
    fiches = []
    for i, (form, sector, department, structure) in enumerate(
        itertools.product(forms, sectors, departments, structures)
    ):
        extra_form = forms[(i + 1) % 3] if i % 4 == 0 else form
        attributes = {
            "form": {form.code, extra_form.code},
            "sector": {sector.slug},
            "department": {department.code},
            "region": {department.region_id},
            "structure_kind": {structure.kind},
            "level": {levels[i % 3]},
        }
        CooperationFactory(
            published=True,
            level=levels[i % 3],
            forms=[form, extra_form],
            sectors=[sector],
            departments=[department],
            participants=[structure],
        )
        fiches.append(attributes)
    CooperationFactory(forms=[forms[0]], departments=[departments[0]])  # A draft counts nowhere.

    response = client.get(URL, selection)

    def matches(attributes, without):
        return all(
            attributes[name] & set(value if isinstance(value, list) else [value])
            for name, value in selection.items()
            if name != without
        )

    for name in ("region", "department", "level", "form", "structure_kind", "sector"):
        expected = {}
        for attributes in fiches:
            if matches(attributes, without=name):
                for value in attributes[name]:
                    expected[value] = expected.get(value, 0) + 1
        shown = {value: count for value, count in facet(response, name).items() if count}
        assert shown == expected, name
    assert response.context["page"].paginator.count == sum(matches(a, without=None) for a in fiches)


def test_a_search_and_a_year_range_narrow_every_facet_count(client, places):
    food, waste = SectorFactory(slug="food"), SectorFactory(slug="waste")
    kept = {"published": True, "title": "Recyclerie du port", "start_year": 2015, "sectors": [food]}
    CooperationFactory(**kept, level=Level.SIMPLE, departments=[places["finistere"]])
    CooperationFactory(published=True, title="Recyclerie ancienne", start_year=2005, sectors=[waste])
    CooperationFactory(published=True, title="Légumerie", start_year=2016, sectors=[waste])

    response = client.get(URL, {"q": "recyclerie", "year_min": "2010"})

    assert titles(response) == ["Recyclerie du port"]
    assert response.context["page"].paginator.count == 1
    assert {value: n for value, n in facet(response, "sector").items() if n} == {"food": 1}
    assert facet(response, "level") == {Level.SIMPLE: 1, Level.STRATEGIC: 0, Level.REINFORCED: 0}
    assert facet(response, "region") == {"53": 1}


def test_with_a_search_each_facet_still_counts_within_the_other_facets_choices(client, places):
    food, waste = SectorFactory(slug="food"), SectorFactory(slug="waste")
    finistere, manche = places["finistere"], places["manche"]
    CooperationFactory(published=True, title="Recyclerie A", sectors=[food], departments=[finistere])
    CooperationFactory(published=True, title="Recyclerie B", sectors=[waste], departments=[finistere])
    CooperationFactory(published=True, title="Recyclerie C", sectors=[waste], departments=[manche])
    CooperationFactory(published=True, title="Légumerie", sectors=[waste], departments=[manche])

    response = client.get(URL, {"q": "recyclerie", "sector": ["waste"]})

    assert sorted(titles(response)) == ["Recyclerie B", "Recyclerie C"]
    # The sector facet leaves its own choice aside; the others count within it.
    assert {v: n for v, n in facet(response, "sector").items() if n} == {"food": 1, "waste": 2}
    assert {v: n for v, n in facet(response, "department").items() if n} == {"29": 1, "50": 1}
    assert facet(response, "region") == {"53": 1, "28": 1}


def test_active_filters_are_chips_linking_to_the_selection_without_them(client, catalogue):
    response = client.get(URL, {"region": "53", "form": ["gie", "scic"]})
    chips = {chip.label: chip.url for chip in response.context["chips"]}
    assert chips == {
        "Région : Bretagne": "?form=gie&form=scic",
        "Forme : Groupement d'intérêt économique": "?region=53&form=scic",
        "Forme : SCIC": "?region=53&form=gie",
    }
    html = response.content.decode()
    assert 'href="/cooperations/?form=gie&amp;form=scic"' in html
    assert "Retirer le filtre Région : Bretagne" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "99"}, "Le filtre « région » a été ignoré : « 99 » n'est pas un code de région."),
        (
            {"department": "2C"},
            "Le filtre « département » a été ignoré : « 2C » n'est pas un code de département.",
        ),
        (
            {"level": "huge"},
            "Le filtre « niveau » a été ignoré : « huge » n'est pas un niveau de coopération.",
        ),
        (
            {"year_min": "abc"},
            "Le filtre « année de démarrage (à partir de) » a été ignoré : « abc » n'est pas une année "
            "entre 1900 et 2100.",
        ),
        ({"sort": "price"}, "Le filtre « tri » a été ignoré : « price » n'est pas un ordre de tri proposé."),
        ({"page": "999"}, "La page 999 n'existe pas : voici la dernière page."),
        ({"page": "0"}, "La page 0 n'existe pas : voici la première page."),
        ({"page": "abc"}, "« abc » n'est pas un numéro de page : voici la première page."),
        (
            {"q": "x" * 201},
            "Le filtre « recherche » a été ignoré : la recherche ne peut dépasser 200 caractères.",
        ),
    ],
    ids=lambda value: str(value)[:30],
)
def test_an_unusable_value_is_reported_in_french_and_ignored(client, catalogue, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert message in response.context["warnings"]
    assert len(titles(response)) == 4


def test_an_unknown_form_is_ignored_while_the_known_ones_still_filter(client, catalogue):
    response = client.get(URL, {"form": ["scic", "nope"]})
    assert titles(response) == ["Chantier régional", "Conserverie"]
    assert response.context["warnings"] == [
        "Le filtre « forme de coopération » a été ignoré : "
        "« nope » n'est pas une forme de coopération connue."
    ]


def test_an_empty_selection_suggests_removing_a_filter(client, catalogue):
    response = client.get(URL, {"sector": "btp", "level": "reinforced"})
    html = response.content.decode()
    assert titles(response) == []
    assert "Aucune coopération ne correspond à cette sélection" in html
    assert "Retirer le filtre Secteur : Bâtiment</a>" in html
    assert "Aucune coopération</h2>" in html
    assert "Aucune coopération publiée pour l'instant" not in html


def test_an_empty_directory_says_that_nothing_is_published_yet(client, places):
    CooperationFactory(title="Brouillon", departments=[places["finistere"]])
    for params in ({}, {"department": "29"}):
        html = client.get(URL, params).content.decode()
        assert "Aucune coopération publiée pour l'instant" in html
        assert "Aucune coopération ne correspond" not in html


def test_sorting_by_title_follows_french_alphabetical_order(client):
    for title in ("Zèbre", "Écopôle", "abeilles", "Atelier", "Île verte", "Eden"):
        CooperationFactory(published=True, title=title)
    response = client.get(URL, {"sort": "title"})
    assert titles(response) == ["abeilles", "Atelier", "Écopôle", "Eden", "Île verte", "Zèbre"]


def test_a_search_is_sorted_by_relevance_unless_asked_otherwise(client):
    CooperationFactory(published=True, title="Atelier vélo", context="Une recyclerie voisine.")
    CooperationFactory(published=True, title="Recyclerie solidaire")
    assert titles(client.get(URL, {"q": "recyclerie"})) == ["Recyclerie solidaire", "Atelier vélo"]
    assert titles(client.get(URL, {"q": "recyclerie", "sort": "title"})) == [
        "Atelier vélo",
        "Recyclerie solidaire",
    ]


def test_relevance_left_over_from_a_cleared_search_falls_back_to_newest_silently(client, catalogue):
    response = client.get(URL, {"q": "", "sort": "relevance"})
    assert titles(response)[0] == "Garage normand"
    assert response.context["warnings"] == []


def test_pagination_keeps_the_filters_and_shows_twenty_fiches_a_page(client, places):
    for i in range(45):
        CooperationFactory(published=True, title=f"Fiche {i:02}", departments=[places["finistere"]])
    response = client.get(URL, {"department": "29", "sort": "title", "page": "3"})
    assert titles(response) == ["Fiche 40", "Fiche 41", "Fiche 42", "Fiche 43", "Fiche 44"]
    html = response.content.decode()
    assert 'href="?department=29&amp;sort=title&amp;page=2"' in html
    assert 'aria-current="page"' in html


def test_an_htmx_request_gets_the_results_with_out_of_band_facets(client, catalogue):
    response = client.get(URL, {"form": "scic"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert '<h2 id="results-heading">2 coopérations</h2>' in html
    assert '<div id="facets" hx-swap-oob="true">' in html
    assert 'id="results-status" hx-swap-oob="innerHTML">2 coopérations trouvées' in html
    assert "HX-Request" in response["Vary"]


def test_a_plain_request_and_an_htmx_history_restore_get_the_whole_page(client, catalogue):
    plain = client.get(URL, {"form": "scic"}).content.decode()
    restore = client.get(
        URL, {"form": "scic"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()
    for html in (plain, restore):
        assert "<html" in html
        assert 'hx-get="/cooperations/"' in html
        assert "hx-swap-oob" not in html


def test_the_form_works_without_javascript(client, catalogue):
    html = client.get(URL).content.decode()
    assert '<form id="cooperation-filters" class="catalogue" method="get" action="/cooperations/"' in html
    assert '<button type="submit">Rechercher</button>' in html
    assert "Appliquer les filtres" in html
    assert "<script>" not in html  # Behaviour lives in static/js/, for a strict Content Security Policy.


def make_fiches(count):
    """`count` published fiches with every relation the cards and facets read."""
    region = RegionFactory(code="53", name="Bretagne")
    departments = [DepartmentFactory(region=region) for _ in range(3)]
    forms = [CooperationFormFactory() for _ in range(3)]
    sectors = [SectorFactory() for _ in range(3)]
    structures = [StructureFactory(kind=kind) for kind in ("ACI", "EI", "company")]
    for i in range(count):
        CooperationFactory(
            published=True,
            title=f"Recyclerie {i}",
            start_year=2000 + i % 20,
            forms=forms[: 1 + i % 3],
            sectors=[sectors[i % 3]],
            regions=[region] if i % 5 == 0 else [],
            departments=[departments[i % 3]],
            participants=[(structures[0], "lead"), structures[1 + i % 2]],
        )
    return forms


@pytest.mark.parametrize("count", [20, 200])
def test_the_list_runs_the_same_queries_for_20_or_200_fiches(client, django_assert_num_queries, count):
    forms = make_fiches(count)
    params = {"region": "53", "form": [forms[0].code], "structure_kind": ["ACI"], "year_min": "2000"}
    # 5 choice lists (regions, departments, forms, sectors, organisations) + the 6 facets' counts, whose
    # level counts add up to the result count (one query) + the page's ids + the fiches to render as
    # cards + 4 prefetches (forms, regions, departments, participations with their structures).
    with django_assert_num_queries(12):
        response = client.get(URL, params)
    assert len(response.context["cooperations"]) == 20
    # Until the directory changes, the choices, the counts, the page's ids and its cards are cached.
    with django_assert_num_queries(0):
        response = client.get(URL, params)
    assert len(response.context["cooperations"]) == 20


@pytest.mark.parametrize("count", [20, 200])
def test_a_search_runs_the_same_queries_for_20_or_200_fiches(client, django_assert_num_queries, count):
    make_fiches(count)
    # The same 12 as above, and 2 more: the search's synonyms (then cached until the directory changes),
    # and "does some fiche hold every word?" (else the search tolerates misspellings, then ranks partial
    # matches); and the search's record, written once the response is sent.
    with django_assert_num_queries(14 + 1):
        response = client.get(URL, {"q": "recyclerie"})
    assert len(response.context["cooperations"]) == 20
    # Then only the record: whether some fiche holds every word, the counts, the page's ids and the cards
    # are cached.
    with django_assert_num_queries(1):
        response = client.get(URL, {"q": "recyclerie"})
    assert len(response.context["cooperations"]) == 20


@pytest.mark.parametrize("count", [20, 200])
def test_an_empty_selection_runs_the_same_queries_for_20_or_200_fiches(
    client, django_assert_num_queries, count
):
    make_fiches(count)
    # 5 choice lists + the facets' counts (and so the result count) + "is anything published at all?".
    with django_assert_num_queries(7):
        response = client.get(URL, {"year_min": "2090"})
    assert response.context["cooperations"] == []


def test_levels_are_offered_even_when_they_have_no_fiche(client, catalogue):
    response = client.get(URL, {"sector": "btp"})
    assert facet(response, "level") == {"simple": 1, "strategic": 0, "reinforced": 0}


def test_an_option_without_fiches_is_not_offered_unless_it_is_selected(client, catalogue):
    response = client.get(URL, {"sector": "btp", "form": "gie"})
    assert facet(response, "form") == {"gie": 0, "scic": 1}
    assert facet(response, "department") == {}
    assert "Aucune option dans cette sélection." in response.content.decode()


def test_a_long_option_list_folds_after_six_choices_and_stays_open_on_a_folded_choice(client):
    sectors = [SectorFactory(slug=f"secteur-{i}", name=f"Secteur {i}") for i in range(10)]
    CooperationFactory(published=True, sectors=sectors)
    html = client.get(URL).content.decode()
    assert '<details class="facet-more">' in html
    assert "Voir 4 autres choix" in html
    html = client.get(URL, {"sector": "secteur-9"}).content.decode()
    assert '<details class="facet-more" open>' in html
