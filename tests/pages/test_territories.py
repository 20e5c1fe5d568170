import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from cooperations.models import Cooperation
from territories.maps import _path_box, department_shapes, shades_for
from territories.models import Department, Region
from tests.factories import CooperationFactory, StructureFactory, publish_many, real_places

pytestmark = pytest.mark.django_db
INDEX_URL = reverse("territories:index")


@pytest.fixture
def places():
    """Two published fiches in the Nord (one also in the Pas-de-Calais), one regional fiche in
    Auvergne-Rhône-Alpes, one in Guadeloupe, and drafts in the Rhône and the Pas-de-Calais."""
    places = real_places()
    CooperationFactory(published=True, title="Légumerie du Nord", departments=[places["nord"]])
    CooperationFactory(
        published=True,
        title="Chantier des deux départements",
        departments=[places["nord"], places["pas-de-calais"]],
    )
    CooperationFactory(published=True, title="Réseau régional", regions=[places["ara"]])
    CooperationFactory(published=True, title="Coopérative guadeloupéenne", departments=[places["guadeloupe"]])
    CooperationFactory(title="Brouillon rhodanien", departments=[places["rhone"]])
    CooperationFactory(title="Brouillon du Pas-de-Calais", departments=[places["pas-de-calais"]])
    return places


def area(html, label):
    """The map link whose accessible name is `label`, or None."""
    match = re.search(rf'<a href="([^"]+)" aria-label="{re.escape(label)}"', html)
    return match and match.group(1)


def test_the_index_lists_every_region_with_its_count_of_published_fiches(client, places):
    response = client.get(INDEX_URL)
    html = response.content.decode()
    for region in Region.objects.all():
        expected = Cooperation.objects.published().in_region(region.code).count()
        counted = next(r for r in response.context["regions"] if r.code == region.code)
        assert counted.reach_count == expected
        assert (
            f'<a href="{region.get_absolute_url()}">{escape(region.name)}</a></th><td>{expected}</td>' in html
        )
    assert next(r for r in response.context["regions"] if r.code == "32").reach_count == 2


def test_the_department_map_links_each_department_with_its_count(client, places):
    html = client.get(INDEX_URL).content.decode()
    assert area(html, "Nord : 2 coopérations") == places["nord"].get_absolute_url()
    assert area(html, "Pas-de-Calais : 1 coopération") == places["pas-de-calais"].get_absolute_url()
    assert area(html, "Rhône : aucune coopération") == places["rhone"].get_absolute_url()
    nord = html.split('aria-label="Nord : 2 coopérations"', 1)[1].split("</a>", 1)[0]
    # The outline is the region map's: the page sends each department's outline once.
    assert '<use href="#regions-59" class="map-shape"' in nord
    assert '<path id="regions-59" d="' + department_shapes()["59"].d + '"/>' in html


def test_the_index_sends_each_department_outline_once_for_both_maps(client, places):
    html = client.get(INDEX_URL).content.decode()
    for code in ("59", "62", "69", "2A"):
        assert html.count(department_shapes()[code].d) == 1, code
    department_map = html.split('id="departements-map"', 1)[1].split("</figure>", 1)[0]
    references = re.findall(r'<use href="#([^"]+)"', department_map)
    assert len(references) == 96
    assert all(f'<path id="{reference}" d="' in html for reference in references)


def test_the_region_map_groups_the_departments_shapes_of_each_region(client, places):
    html = client.get(INDEX_URL).content.decode()
    region_map = html.split('id="regions-map"', 1)[1].split("</figure>", 1)[0]
    assert area(region_map, "Hauts-de-France : 2 coopérations") == places["hdf"].get_absolute_url()
    hdf = region_map.split('aria-label="Hauts-de-France : 2 coopérations"', 1)[1].split("</a>", 1)[0]
    assert 'href="#regions-59"' in hdf and 'href="#regions-62"' in hdf
    assert area(region_map, "Auvergne-Rhône-Alpes : 1 coopération") == places["ara"].get_absolute_url()


def test_overseas_departments_and_regions_are_labelled_inset_boxes(client, places):
    html = client.get(INDEX_URL).content.decode()
    for key in ("regions", "departements"):
        figure = html.split(f'id="{key}-map"', 1)[1].split("</figure>", 1)[0]
        inset = figure.split('aria-label="Guadeloupe : 1 coopération"', 1)[1].split("</a>", 1)[0]
        assert "<rect " in inset
        assert ">Guadeloupe" in inset


def test_the_maps_have_a_legend_a_pattern_per_class_a_table_and_a_credit(client, places):
    html = client.get(INDEX_URL).content.decode()
    figure = html.split('id="departements-map"', 1)[1].split("</figure>", 1)[0]
    assert '<pattern id="departements-shade-1"' in figure
    assert 'fill="url(#departements-shade-2)"' in figure  # the Nord, in the top class
    assert "Coopérations publiées\u00a0:" in figure and "aucune" in figure
    table = figure.split("<details", 1)[1]
    assert "<caption>Coopérations publiées par département</caption>" in table
    assert f'<a href="{places["nord"].get_absolute_url()}">59 Nord</a></th><td>2</td>' in table
    assert "CC BY 4.0" in html and "Victor Cazanave" in html


def test_drafts_count_in_no_map_and_no_table(client, places):
    response = client.get(INDEX_URL)
    html = response.content.decode()
    assert area(html, "Rhône : aucune coopération")
    assert area(html, "Pas-de-Calais : 1 coopération")
    assert "Brouillon" not in html
    counts = {d.code: d.placed_count for d in response.context["departments"]}
    assert counts["69"] == 0 and counts["62"] == 1


def test_a_region_page_shows_its_departments_map_and_published_fiches(client, places):
    StructureFactory(name="Les Anges Gardins", department=places["pas-de-calais"])
    response = client.get(places["hdf"].get_absolute_url())
    html = response.content.decode()
    # Its map shades the fiches placed in each department.
    for department in Department.objects.filter(region=places["hdf"]):
        count = Cooperation.objects.published().filter(departments=department).count()
        label = {0: "aucune coopération", 1: "1 coopération"}.get(count, f"{count} coopérations")
        assert area(html, f"{department.name} : {label}")
    viewbox = re.search(r'class="map"[^>]*|viewBox="([^"]+)"', html.split('id="region-map"', 1)[1]).group(1)
    assert viewbox != "0 0 613 585"  # zoomed on the region
    assert '<path d="' + department_shapes()["59"].d + '"' in html  # a map alone draws its own outlines
    assert "Légumerie du Nord" in html and "Chantier des deux départements" in html
    assert "Brouillon" not in html
    assert f'href="{reverse("cooperations:list")}?region=32"' in html
    assert f'href="{reverse("structures:list")}?region=32">1 structure implantée' in html


def test_an_overseas_region_page_has_no_map_but_its_department(client, places):
    html = client.get(places["guadeloupe-region"].get_absolute_url()).content.decode()
    assert "<svg" not in html.split("<main", 1)[1].split("Ses coopérations", 1)[0].replace(
        'class="swatch"', ""
    )
    assert places["guadeloupe"].get_absolute_url() in html
    assert "Coopérative guadeloupéenne" in html


def test_a_department_page_shows_its_fiches_and_structures(client, places):
    StructureFactory(name="Les Anges Gardins", department=places["pas-de-calais"])
    StructureFactory(name="Tremplin", department=places["nord"])
    response = client.get(places["pas-de-calais"].get_absolute_url())
    html = response.content.decode()
    assert "Chantier des deux départements" in html
    assert "Légumerie du Nord" not in html and "Brouillon" not in html
    assert "Les Anges Gardins" in html and "Tremplin" not in html
    assert f'href="{places["hdf"].get_absolute_url()}">Hauts-de-France</a>' in html
    assert f'href="{reverse("cooperations:list")}?department=62"' in html


def test_a_long_list_of_fiches_links_to_the_full_list(client):
    places = real_places()
    publish_many(15, departments=[places["rhone"]])
    html = client.get(places["rhone"].get_absolute_url()).content.decode()
    assert html.count('class="fiche-card"') == 12
    assert "Voir les 15 coopérations dans la liste" in html


def test_unknown_territories_are_not_found(client):
    assert client.get(reverse("territories:region", args=["atlantide"])).status_code == 404
    assert client.get(reverse("territories:department", args=["atlantide"])).status_code == 404


def test_the_shapes_of_the_96_metropolitan_departments_are_read_from_the_vendored_map():
    shapes = department_shapes()
    assert len(shapes) == 96
    assert shapes["59"].name == "Nord" and shapes["2A"].name == "Corse-du-Sud"
    assert "971" not in shapes
    min_x, min_y, max_x, max_y = shapes["2A"].box
    assert 500 < min_x < max_x <= 613 and 450 < min_y < max_y <= 585  # Corsica, bottom right


def test_a_path_box_follows_relative_moves_and_closepaths():
    assert _path_box("m 10,10 5,0 0,5 z m 20,0 1,1 z") == (10, 10, 31, 15)


def test_shading_classes_have_equal_widths_after_the_class_of_zero():
    assert [(s.low, s.high) for s in shades_for(0)] == [(0, 0)]
    assert [(s.low, s.high) for s in shades_for(2)] == [(0, 0), (1, 1), (2, 2)]
    assert [(s.low, s.high) for s in shades_for(13)] == [(0, 0), (1, 4), (5, 8), (9, 12), (13, 13)]
    assert [str(s.label) for s in shades_for(8)] == ["aucune", "1 à 2", "3 à 4", "5 à 6", "7 à 8"]


@pytest.mark.parametrize("fiche_count", [20, 200])
def test_territory_pages_run_the_same_queries_whatever_the_number_of_fiches(
    client, django_assert_num_queries, fiche_count
):
    places = real_places()
    publish_many(fiche_count, departments=[places["nord"], places["pas-de-calais"]], regions=[places["hdf"]])
    for _ in range(30):
        StructureFactory(department=places["nord"])
    # 1 regions with their counts (the region map), 2 departments with theirs (the department map).
    with django_assert_num_queries(2):
        response = client.get(INDEX_URL)
    assert next(r for r in response.context["regions"] if r.code == "32").reach_count == fiche_count
    # 1 the region, 2 its departments with theirs, 3 its latest fiches and how many it has, 4 the
    # latest national ones, 5-7 their forms, departments and regions, 8 its structures counted.
    with django_assert_num_queries(8):
        client.get(places["hdf"].get_absolute_url())
    # 1 the department and its region, 2 its latest fiches of each reach (its own, those of regional
    # scope in its region, the national ones) with how many each has, 3-5 their forms, departments and
    # regions, 6 its structures counted, 7 the first of them with their place and counts.
    with django_assert_num_queries(7):
        response = client.get(places["nord"].get_absolute_url())
    assert len(response.context["structures"]) == 24
