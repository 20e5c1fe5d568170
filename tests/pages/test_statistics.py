import re

import pytest
from django.urls import reverse

from cooperations.models import Cooperation
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    ParticipationFactory,
    SectorFactory,
    StructureFactory,
    publish_many,
    real_places,
)

pytestmark = pytest.mark.django_db
URL = reverse("statistics")


@pytest.fixture
def fiches():
    places = real_places()
    gme = CooperationFormFactory(code="gme", name="Groupement momentané d'entreprises")
    food = SectorFactory(slug="alimentation", name="Alimentation et circuits courts")
    secret = SectorFactory(slug="secret", name="Secteur des seuls brouillons")
    first = CooperationFactory(
        published=True, level="simple", departments=[places["nord"]], forms=[gme], sectors=[food]
    )
    second = CooperationFactory(
        published=True, level="reinforced", departments=[places["rhone"]], sectors=[food]
    )
    draft = CooperationFactory(
        level="strategic", departments=[places["rhone"]], forms=[gme], sectors=[secret]
    )
    # Two ACI in one fiche count once for that kind; the draft's ESAT counts nowhere.
    ParticipationFactory(cooperation=first, structure=StructureFactory(kind="ACI"))
    ParticipationFactory(cooperation=first, structure=StructureFactory(kind="ACI"))
    ParticipationFactory(cooperation=first, structure=StructureFactory(kind="EA"))
    ParticipationFactory(cooperation=second, structure=StructureFactory(kind="ACI"))
    ParticipationFactory(cooperation=draft, structure=StructureFactory(kind="ESAT"))
    return places


def chart(html, key):
    return html.split(f'id="{key}"', 1)[1].split("</section>", 1)[0]


def row(table, label):
    """(count, share) of the row labelled `label`."""
    match = re.search(
        rf">{re.escape(label)}</a></th>.*?"
        r'<td class="number">(\d+)</td>\s*<td class="number">(\d+) %</td>',
        table,
        re.S,
    )
    return match and (int(match.group(1)), int(match.group(2)))


def test_each_chart_is_a_table_with_a_caption(client, fiches):
    html = client.get(URL).content.decode()
    for key in ("regions", "niveaux", "formes", "types", "secteurs"):
        table = chart(html, key)
        assert "<table" in table and "<caption>" in table
        assert '<th scope="row">' in table


def test_the_charts_count_published_fiches_only(client, fiches):
    html = client.get(URL).content.decode()
    assert row(chart(html, "regions"), "Hauts-de-France") == (
        Cooperation.objects.published().in_region("32").count(),
        50,
    )
    assert row(chart(html, "regions"), "Auvergne-Rhône-Alpes") == (1, 50)
    levels = chart(html, "niveaux")
    assert row(levels, "Coopération simple") == (1, 50)
    assert row(levels, "Coopération stratégique") == (0, 0)
    assert row(levels, "Coopération renforcée") == (1, 50)
    assert row(chart(html, "formes"), "Groupement momentané d&#x27;entreprises") == (1, 50)
    assert row(chart(html, "secteurs"), "Alimentation et circuits courts") == (2, 100)
    assert row(chart(html, "secteurs"), "Secteur des seuls brouillons") == (0, 0)


def test_a_fiche_counts_once_per_kind_of_participant(client, fiches):
    kinds = chart(client.get(URL).content.decode(), "types")
    assert row(kinds, "Atelier et chantier d&#x27;insertion (ACI)") == (2, 100)
    assert row(kinds, "Entreprise adaptée (EA)") == (1, 50)
    assert "ESAT" not in kinds
    assert f'href="{reverse("cooperations:list")}?structure_kind=ACI"' in kinds


def test_bars_are_drawn_relative_to_the_longest(client, fiches):
    sectors = chart(client.get(URL).content.decode(), "secteurs")
    widths = re.findall(r'<rect width="([\d.]+)"', sectors)
    assert widths[0] == "100.0" and "0.0" in widths


def test_an_empty_directory_shows_empty_charts(client):
    html = client.get(URL).content.decode()
    assert "Aucune fiche n'est encore publiée" in html


@pytest.mark.parametrize("fiche_count", [20, 200])
def test_the_statistics_run_the_same_queries_whatever_the_number_of_fiches(
    client, django_assert_num_queries, fiche_count
):
    places = real_places()
    publish_many(
        fiche_count,
        departments=[places["nord"]],
        forms=[CooperationFormFactory()],
        sectors=[SectorFactory()],
        structures=[StructureFactory(kind="ACI"), StructureFactory(kind="EI")],
    )
    # 1 total, 2 regions, 3 levels, 4 forms, 5 kinds of participants, 6 sectors: one per chart.
    with django_assert_num_queries(6):
        html = client.get(URL).content.decode()
    assert row(chart(html, "types"), "Entreprise d&#x27;insertion (EI)") == (fiche_count, 100)
