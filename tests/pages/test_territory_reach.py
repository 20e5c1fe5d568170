"""Every department and every region gives the same number of fiches wherever it is counted: the list
filtered by it, its option's count on the unfiltered list, its page, and the API (models/reach.py)."""

import re

import pytest
import yaml
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperations.models import Cooperation
from territories.models import Department, Region
from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db
LIST_URL = reverse("cooperations:list")
SCOPE = Cooperation.Scope


@pytest.fixture
def fiches(settings):
    """Fiches of every scope, placed in every way a fiche can be: in departments, in a region, both,
    nowhere (national), and a draft that no count may see."""
    settings.API_ANON_RATE = None  # a request per territory, and more
    department = {code: Department.objects.get(code=code) for code in ("59", "62", "80", "13", "69", "971")}
    region = {code: Region.objects.get(code=code) for code in ("32", "53")}
    for title, scope, departments, regions in [
        ("Légumerie du Nord", SCOPE.LOCAL, ["59"], []),
        ("Chantier de deux départements", SCOPE.DEPARTMENTAL, ["59", "62"], []),
        ("Réseau des Hauts-de-France", SCOPE.REGIONAL, [], ["32"]),
        ("Plateforme régionale née dans la Somme", SCOPE.REGIONAL, ["80"], []),
        ("Régionale du Nord et de sa région", SCOPE.REGIONAL, ["59"], ["32"]),
        ("Groupement breton", SCOPE.LOCAL, [], ["53"]),
        ("Départementale du Rhône", SCOPE.DEPARTMENTAL, ["69"], []),
        ("Coopérative guadeloupéenne", SCOPE.LOCAL, ["971"], []),
        ("Programme national", SCOPE.NATIONAL, [], []),
        ("Réseau national né à Marseille", SCOPE.NATIONAL, ["13"], []),
    ]:
        CooperationFactory(
            published=True,
            title=title,
            scope=scope,
            departments=[department[code] for code in departments],
            regions=[region[code] for code in regions],
        )
    CooperationFactory(title="Brouillon du Nord", departments=[department["59"]])


def titles(cards):
    return sorted(card.find("h3").get_text(" ", strip=True) for card in cards)


def section_titles(soup, name):
    section = soup.find("section", attrs={"aria-labelledby": f"{name}-title"})
    return titles(section.select(".fiche-card")) if section else []


def facts_count(soup):
    """The number of fiches the page's facts announce, with a link to the list."""
    text = soup.select_one(".territory-facts li a").get_text(" ", strip=True)
    return 0 if text.startswith("Aucune") else int(re.match(r"\d+", text).group())


def option_counts(client, name):
    """{value: the number shown beside the option} of a select of the unfiltered list."""
    soup = BeautifulSoup(client.get(LIST_URL).content, "html.parser")
    options = soup.select(f'select[name="{name}"] option[value]')
    return {o["value"]: int(re.search(r"\((\d+)\)$", o.get_text()).group(1)) for o in options if o["value"]}


def listed(client, **params):
    """(count, {reach: titles}) of the list filtered by a territory (20 fiches a page: all of them)."""
    response = client.get(LIST_URL, params)
    by_reach = {}
    for card in response.context["cooperations"]:
        by_reach.setdefault(card.reach or 0, []).append(card.title)
    return response.context["page"].paginator.count, {reach: sorted(t) for reach, t in by_reach.items()}


def test_every_department_counts_the_same_fiches_in_the_list_its_option_its_page_and_the_api(client, fiches):
    options = option_counts(client, "department")
    api_departments = {d["code"]: d for d in client.get(reverse("api:department-list")).json()}
    counts, placed = {}, {}
    for department in Department.objects.all():
        count, reaching = listed(client, department=department.code)
        counts[department.code] = count
        placed[department] = {title for reach, found in reaching.items() if reach < 2 for title in found}
        assert options.get(department.code, 0) == count, department.code
        api = client.get(reverse("api:cooperation-list"), {"department": department.code}).json()
        assert api["count"] == count, department.code
        assert api_departments[department.code]["reach_count"] == count, department.code
        assert api_departments[department.code]["placed_count"] == len(reaching.get(0, [])), department.code

        soup = BeautifulSoup(client.get(department.get_absolute_url()).content, "html.parser")
        assert facts_count(soup) == count, department.code
        # Each section holds the fiches the list shows under the same heading.
        for reach, section in enumerate(("cooperations", "regional", "national")):
            assert section_titles(soup, section) == reaching.get(reach, []), (department.code, section)

    # Placed in the department, of regional scope in its region, or national: never the draft.
    assert counts["59"] == 7  # its 3, the 3 of its region, the 2 national ones
    assert counts["62"] == 6 and counts["80"] == 5 and counts["02"] == 5
    assert counts["13"] == 2  # the national fiche placed there is its own, and counted once
    assert counts["69"] == 3  # its own; not a regional fiche: the Ain has none of it
    assert counts["01"] == 2 and counts["29"] == 3 and counts["971"] == 3
    # A department's fiches are its region's, the national ones aside.
    regions = {
        region.code: set(listed(client, region=region.code)[1].get(0, [])) for region in Region.objects.all()
    }
    for department, titles_placed in placed.items():
        assert titles_placed <= regions[department.region_id], department.code


def test_every_region_counts_the_same_fiches_in_the_list_its_option_its_page_and_the_api(client, fiches):
    options = option_counts(client, "region")
    api_regions = {r["code"]: r["reach_count"] for r in client.get(reverse("api:region-list")).json()}
    index = {r.code: r.reach_count for r in client.get(reverse("territories:index")).context["regions"]}
    national = {"Programme national", "Réseau national né à Marseille"}
    counts = {}
    for region in Region.objects.all():
        count, reaching = listed(client, region=region.code)
        counts[region.code] = count
        assert options.get(region.code, 0) == count, region.code
        api = client.get(reverse("api:cooperation-list"), {"region": region.code}).json()
        assert api["count"] == count == api_regions[region.code] == index[region.code], region.code

        soup = BeautifulSoup(client.get(region.get_absolute_url()).content, "html.parser")
        assert facts_count(soup) == count, region.code
        assert section_titles(soup, "cooperations") == reaching.get(0, []), region.code
        # The national fiches placed elsewhere are shown apart, and not counted as the region's.
        assert set(section_titles(soup, "national")) == national - set(reaching.get(0, [])), region.code

    assert counts["32"] == 5 and counts["53"] == 1 and counts["93"] == 1 and counts["84"] == 1
    assert counts["11"] == 0


def test_the_apis_former_count_keeps_its_meaning_and_is_documented_as_deprecated(client, fiches):
    departments = {d["code"]: d for d in client.get(reverse("api:department-list")).json()}
    assert departments["59"]["cooperation_count"] == departments["59"]["placed_count"] == 3
    assert departments["59"]["reach_count"] == 7
    regions = {r["code"]: r for r in client.get(reverse("api:region-list")).json()}
    assert regions["32"]["cooperation_count"] == regions["32"]["reach_count"]
    schema = yaml.safe_load(client.get(reverse("api:schema")).content)["components"]["schemas"]
    assert schema["DepartmentWithCount"]["properties"]["cooperation_count"]["deprecated"] is True
    assert schema["RegionWithCount"]["properties"]["cooperation_count"]["deprecated"] is True
