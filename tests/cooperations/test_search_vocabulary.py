"""What a director types, tried on the real seeded fiches: the field's vocabulary and synonyms,
misspellings, partial matches, « coopérations entre … », territories."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from territories.models import Department, Region

URL = reverse("cooperations:list")

AFEJI = (
    "Du chantier d'insertion à l'entreprise adaptée : la coopération IAE–handicap de l'AFEJI sur le littoral"
)
AGIIE = "Ressourcerie AGIIE"
FIBRE_49 = "Fibre 49"
ROUEN_GARDIENS = "Interm'Aide Emploi et sept bailleurs sociaux"
LYON_GARDIENS = "Parcours gagnants"
ACTEM = "Groupe économique solidaire ACTEM"
JOURNEES_BFC = "Journées de professionnalisation communes SIAE et entreprises adaptées"
NORD = [
    "Du chantier d'insertion",
    "Les biquettes de l'Espoir",
    "Les « ACTES du Tremplin »",
    "Vitaservices et Protim",
]
NATIONAL = ["Réemploi des DEEE", "Zest'", "Bou'Sol"]


@pytest.fixture
def seed(seeded, db):
    return seeded


def titles(response):
    return [" ".join(c.title.replace("\xa0", " ").split()) for c in response.context["cooperations"]]


def starts(found, *prefixes):
    """The titles among `found` that start with each prefix, in the order of `prefixes`."""
    return [next((t for t in found if t.startswith(p.replace("\xa0", " "))), None) for p in prefixes]


def notices(response):
    soup = BeautifulSoup(response.content, "html.parser")
    # Only ordinary blanks are collapsed: the no-break spaces of French typography are kept.
    return [re.sub(r"[ \n\t]+", " ", p.get_text()).strip() for p in soup.select("p.notice")]


def test_ensemblier_finds_the_fiches_of_the_form_ges_and_of_ges_participants(client, seed):
    found = titles(client.get(URL, {"q": "ensemblier"}))
    assert None not in starts(found, AGIIE, LYON_GARDIENS, ACTEM)  # the three fiches of the form GES


def test_ea_finds_the_fiches_with_an_entreprise_adaptee(client, seed):
    found = titles(client.get(URL, {"q": "EA"}))
    assert None not in starts(found, "Du chantier d'insertion", JOURNEES_BFC)


def test_zero_chomeur_points_to_the_tzcld_resource_sheet(client, seed):
    response = client.get(URL, {"q": "zéro chômeur"})
    soup = BeautifulSoup(response.content, "html.parser")
    link = soup.find("a", href=reverse("forms:detail", args=["tzcld"]))
    assert link is not None and link.get_text() == "Territoire zéro chômeur de longue durée"


def test_a_missing_apostrophe_is_tolerated_and_a_correction_offered(client, seed):
    response = client.get(URL, {"q": "gardien dimmeuble"})
    assert sorted(starts(titles(response), ROUEN_GARDIENS, LYON_GARDIENS)) == sorted(
        t for t in titles(response)
    )
    soup = BeautifulSoup(response.content, "html.parser")
    suggestion = soup.select_one("p.suggestion a")
    assert suggestion.get_text() == "«\xa0gardien immeuble\xa0»"
    assert suggestion["href"] == "?q=gardien+immeuble"


def test_when_no_fiche_has_every_word_the_closest_come_first_and_it_is_said(client, seed):
    response = client.get(URL, {"q": "insertion textile Lyon"})
    found = titles(response)
    # Two of the three words: insertion and textile, or insertion and Lyon.
    best = {"Déco'stume et Lilokawa", "Mondial Tissus et Tremplin", "Bou'Sol", LYON_GARDIENS}
    assert {next(p for p in best if t.startswith(p)) for t in found[:4]} == best
    assert "Aucune fiche ne contient tous ces mots\u202f; voici les plus proches." in notices(response)


def test_recyclerie_finds_the_ressourcerie(client, seed):
    found = titles(client.get(URL, {"q": "recyclerie"}))
    assert None not in starts(found, AGIIE, FIBRE_49)


def test_cooperations_between_an_aci_and_an_ea(client, seed):
    either = client.get(URL, [("structure_kind", "ACI"), ("structure_kind", "EA")])
    both = client.get(URL, [("structure_kind", "ACI"), ("structure_kind", "EA"), ("kinds", "all")])
    assert len(titles(either)) > 1
    assert titles(both) == [AFEJI]
    kinds = {
        o.value: o.count for f in both.context["facets"] if f.name == "structure_kind" for o in f.options
    }
    assert kinds["ACI"] == kinds["EA"] == 1  # the fiches with both, and with each other kind besides
    assert kinds["managing_association"] == 1  # AFEJI itself
    # The mode is kept in the links to export and follow the selection.
    soup = BeautifulSoup(both.content, "html.parser")
    export = soup.find("a", string="CSV")["href"]
    assert "kinds=all" in export and "structure_kind=EA" in export
    assert soup.find("input", id="id_kinds_all").has_attr("checked")


def test_with_a_region_chosen_only_its_departments_are_offered(client, seed):
    response = client.get(URL, {"region": "32"})
    departments = next(f for f in response.context["facets"] if f.name == "department")
    assert {o.value for o in departments.options} <= {"02", "59", "60", "62", "80"}
    assert {"59", "62"} <= {o.value for o in departments.options}


def test_the_nord_has_its_regional_and_national_fiches_shown_apart(client, seed):
    response = client.get(URL, {"department": "59"})
    found = titles(response)
    assert set(starts(found, *NORD)) == set(found[:4])
    assert found[4].startswith(AGIIE)
    assert {next(p for p in NATIONAL if t.startswith(p)) for t in found[5:]} == set(NATIONAL)
    soup = BeautifulSoup(response.content, "html.parser")
    assert [h.get_text() for h in soup.select("h3.reach-heading")] == [
        "À l'échelle de la région",
        "À l'échelle nationale",
    ]
    departments = next(f for f in response.context["facets"] if f.name == "department")
    assert next(o for o in departments.options if o.value == "59").count == len(found)

    page = client.get(Department.objects.get(code="59").get_absolute_url())
    soup = BeautifulSoup(page.content, "html.parser")
    regional = soup.find("section", attrs={"aria-labelledby": "regional-title"})
    national = soup.find("section", attrs={"aria-labelledby": "national-title"})
    assert regional.h2.get_text() == "À l'échelle de la région"
    assert [h.get_text(" ", strip=True)[: len(AGIIE)] for h in regional.select("h3")] == [AGIIE]
    assert len(national.select("h3")) == 3


def test_a_commune_name_offers_its_department_and_epci_fiches(client, seed):
    response = client.get(URL, {"q": "Roubaix"})
    assert sorted(starts(titles(response), *NORD)) == sorted(titles(response))
    assert (
        "Aucune fiche ne cite «\xa0Roubaix\xa0»\xa0: voici celles de son département (Nord) et de son "
        "intercommunalité (Métropole Européenne de Lille)." in notices(response)
    )


@pytest.mark.parametrize(
    "params", [{}, {"region": "84"}, {"q": "insertion"}, {"sector": "reemploi-recyclage"}]
)
def test_every_department_count_is_the_number_of_fiches_its_filter_gives(client, seed, params):
    facets = client.get(URL, params).context["facets"]
    departments = next(f for f in facets if f.name == "department")
    for option in departments.options:
        response = client.get(URL, {**params, "department": option.value, "level": ""})
        assert option.count == response.context["page"].paginator.count, option.value


def test_every_kind_count_between_kinds_is_the_number_of_fiches_it_gives(client, seed):
    chosen = [("structure_kind", "ACI"), ("kinds", "all")]
    kinds = next(f for f in client.get(URL, chosen).context["facets"] if f.name == "structure_kind")
    for option in kinds.options:
        response = client.get(URL, [*chosen, ("structure_kind", option.value)])
        assert option.count == response.context["page"].paginator.count, option.value


def test_a_region_page_shows_the_national_fiches_apart(client, seed):
    page = client.get(Region.objects.get(code="32").get_absolute_url())
    soup = BeautifulSoup(page.content, "html.parser")
    national = soup.find("section", attrs={"aria-labelledby": "national-title"})
    titles = [" ".join(h.get_text(" ", strip=True).split()) for h in national.select("h3")]
    # Bou'Sol is national but placed in the Pas-de-Calais too: it is among the region's own fiches.
    assert sorted(t[:8] for t in titles) == sorted(["Réemploi", "Zest' : "])
