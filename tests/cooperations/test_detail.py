"""The fiche page: every part of a cooperation, similar fiches, staff link, sharing metadata."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from cooperations import similar
from cooperations.models import Level, LevelSheet
from structures.models import Structure
from tests.factories import (
    CommuneFactory,
    CooperationFactory,
    CooperationFormFactory,
    DepartmentFactory,
    OutcomeFigureFactory,
    RegionFactory,
    SectorFactory,
    SourceFactory,
    StructureFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiche():
    brittany = RegionFactory(code="53", name="Bretagne")
    finistere = DepartmentFactory(code="29", name="Finistère", region=brittany)
    cooperation = CooperationFactory(
        published=True,
        title="Légumerie du Pays de Brest",
        level=Level.STRATEGIC,
        summary="Une **légumerie** partagée par trois structures.",
        context="Les cantines manquaient de légumes locaux.",
        objectives="Fournir 2 000 repas par jour.",
        implementation="Un local loué à la commune.",
        results="Des légumes bretons dans les assiettes.",
        success_factors="La confiance entre les directeurs.",
        difficulties="Le financement de la chambre froide.",
        indicators="Tonnes de légumes transformées.",
        replicability="Reproductible avec une cuisine centrale.",
        jobs_created=12,
        people_supported=1500,
        figures_text="Et **40** agriculteurs livreurs.",
        start_year=2019,
        forms=[CooperationFormFactory(code="gie", name="Groupement d'intérêt économique")],
        sectors=[SectorFactory(name="Alimentation")],
        regions=[brittany],
        departments=[finistere],
        communes=[CommuneFactory(code="29019", name="Brest", department=finistere)],
        participants=[
            (StructureFactory(name="Chantier Nature", kind=Structure.Kind.ACI), "partner"),
            (StructureFactory(name="Cuisine Centrale", kind=Structure.Kind.PUBLIC_BODY), "client"),
            (StructureFactory(name="Légumes & Cie", kind=Structure.Kind.EI), "lead"),
        ],
        sources=[
            SourceFactory(
                title="Panorama des coopérations",
                publisher="Avise",
                published_on=datetime.date(2023, 3, 14),
                url="https://www.avise.org/panorama",
            ),
            SourceFactory(title="Rapport annuel", publisher="Fédération", published_year=2021),
        ],
    )
    OutcomeFigureFactory(cooperation=cooperation, value=35, unit="t", label="de légumes par an", position=0)
    LevelSheet.objects.create(code=Level.STRATEGIC, summary="Les partenaires s'engagent dans la durée.")
    return cooperation


def page(client, cooperation):
    response = client.get(cooperation.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_the_fiche_shows_its_summary_and_every_section(client, fiche):
    html = page(client, fiche)
    assert "<h1>Légumerie du Pays de Brest</h1>" in html
    assert "Une <strong>légumerie</strong> partagée" in html
    for heading, text in [
        ("Contexte et éléments déclencheurs", "Les cantines manquaient"),
        ("Objectifs", "Fournir 2 000 repas"),
        ("Mise en œuvre", "Un local loué"),
        ("Résultats", "Des légumes bretons"),
        ("Facteurs de réussite", "La confiance"),
        ("Difficultés et solutions", "Le financement"),
        ("Indicateurs d&#x27;évaluation", "Tonnes de légumes"),
        ("Reproductibilité et recommandations", "Reproductible avec"),
    ]:
        assert f"<h2>{heading}</h2>" in html
        assert text in html


def test_the_participants_come_lead_first_with_their_role_and_kind_and_link(client, fiche):
    html = page(client, fiche)
    lead = html.index("Légumes &amp; Cie")
    partner = html.index("Chantier Nature")
    client_ = html.index("Cuisine Centrale")
    assert lead < partner < client_
    structure = Structure.objects.get(name="Chantier Nature")
    assert f'<a href="{structure.get_absolute_url()}">Chantier Nature</a>' in html
    assert "<strong>Partenaire</strong> · Atelier et chantier d&#x27;insertion (ACI)" in html
    assert "<strong>Client / donneur d&#x27;ordre</strong> · Acteur public" in html


def test_the_territories_link_to_their_pages_and_communes_name_their_department(client, fiche):
    html = page(client, fiche)
    region, department = fiche.regions.get(), fiche.departments.get()
    assert f'<a href="{region.get_absolute_url()}">Bretagne</a>' in html
    assert f'<a href="{department.get_absolute_url()}">Finistère (29)</a>' in html
    assert "Brest <small>(Finistère)</small>" in html


def test_the_forms_link_to_their_resource_page_and_the_level_is_explained(client, fiche):
    html = page(client, fiche)
    form = fiche.forms.get()
    assert f'<a href="{form.get_absolute_url()}">Groupement d&#x27;intérêt économique</a>' in html
    assert "Coopération stratégique<br><small>Les partenaires s&#x27;engagent dans la durée.</small>" in html
    assert "Alimentation" in html


def test_the_key_figures_are_highlighted(client, fiche):
    html = page(client, fiche)
    assert '<span class="figure-value">12</span> <span class="figure-label">emplois créés</span>' in html
    # French thousands separator: a no-break space.
    assert (
        '<span class="figure-value">1\xa0500</span> <span class="figure-label">personnes accompagnées' in html
    )
    assert '35 <span class="figure-unit">t</span></span> <span class="figure-label">de légumes par an' in html
    assert "Et <strong>40</strong> agriculteurs livreurs." in html


def test_a_unit_that_the_label_repeats_is_shown_once(client, fiche):
    OutcomeFigureFactory(
        cooperation=fiche, value=5, unit="boulangeries", label="Boulangeries ouvertes", position=1
    )
    html = page(client, fiche)
    assert '<span class="figure-value">5</span> <span class="figure-label">Boulangeries ouvertes' in html


def test_the_sources_give_title_publisher_date_and_link(client, fiche):
    html = page(client, fiche)
    link = '<a href="https://www.avise.org/panorama" rel="noopener noreferrer">Panorama des coopérations</a>'
    assert f"<cite>{link}</cite>, Avise, 14 mars 2023." in html
    assert "<cite>Rapport annuel</cite>, Fédération, 2021." in html


def test_the_page_carries_sharing_metadata(client, fiche):
    html = page(client, fiche)
    assert '<meta property="og:title" content="Légumerie du Pays de Brest">' in html
    assert '<meta property="og:description" content="Une légumerie partagée par trois structures.">' in html
    assert (
        '<meta property="og:url" content="http://testserver/cooperations/legumerie-du-pays-de-brest/">'
        in html
    )
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="description" content="Une légumerie partagée par trois structures.">' in html


def test_a_draft_fiche_is_not_found(client):
    draft = CooperationFactory(title="Brouillon")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_edit_link_is_shown_to_those_who_may_change_fiches_only(client, fiche):
    edit_url = reverse("editing:cooperation_edit", args=[fiche.pk])
    assert edit_url not in page(client, fiche)
    visitor = User.objects.create_user("visiteur", password="x")
    client.force_login(visitor)
    assert edit_url not in page(client, fiche)
    editor = User.objects.create_user("editrice", password="x", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_cooperation"))
    client.force_login(editor)
    html = page(client, fiche)
    assert f'<a href="{edit_url}">' in html
    assert "Modifier la fiche" in html


def test_similar_fiches_share_most_with_this_one_first_and_never_include_drafts(client, fiche):
    form = fiche.forms.get()
    sector = fiche.sectors.get()
    region = fiche.regions.get()
    elsewhere = DepartmentFactory(region=RegionFactory())
    CooperationFactory(published=True, title="Même forme", forms=[form], departments=[elsewhere])
    CooperationFactory(
        published=True, title="Forme, secteur et région", forms=[form], sectors=[sector], regions=[region]
    )
    CooperationFactory(
        published=True, title="Région par un département", departments=[DepartmentFactory(region=region)]
    )
    CooperationFactory(published=True, title="Rien en commun", departments=[elsewhere])
    CooperationFactory(title="Brouillon proche", forms=[form], sectors=[sector], regions=[region])
    response = client.get(fiche.get_absolute_url())
    similar = [cooperation.title for cooperation in response.context["similar"]]
    assert similar[0] == "Forme, secteur et région"
    assert sorted(similar[1:]) == ["Même forme", "Région par un département"]


def test_a_fiche_in_two_departments_of_a_shared_region_scores_that_region_once(client):
    region = RegionFactory()
    north, south = DepartmentFactory(region=region), DepartmentFactory(region=region)
    sector = SectorFactory()
    fiche = CooperationFactory(published=True, sectors=[sector], departments=[north])
    now = datetime.datetime.now(tz=datetime.UTC)
    CooperationFactory(
        published=True,
        title="Deux départements de la région",
        departments=[north, south],
        published_at=now - datetime.timedelta(days=2),
    )
    CooperationFactory(published=True, title="Même secteur, plus récente", sectors=[sector], published_at=now)
    similar = [cooperation.title for cooperation in client.get(fiche.get_absolute_url()).context["similar"]]
    # One point each: the more recent comes first.
    assert similar == ["Même secteur, plus récente", "Deux départements de la région"]


def test_the_print_layout_hides_navigation_and_shows_source_addresses(client, fiche):
    html = page(client, fiche)
    assert '<span class="print-url">https://www.avise.org/panorama</span>' in html
    assert '<nav class="breadcrumb no-print"' in html


@pytest.mark.parametrize("size", [2, 20])
def test_the_fiche_runs_the_same_queries_whatever_its_size(client, django_assert_num_queries, size):
    region = RegionFactory()
    forms = [CooperationFormFactory() for _ in range(size)]
    departments = [DepartmentFactory(region=region) for _ in range(size)]
    cooperation = CooperationFactory(
        published=True,
        forms=forms,
        sectors=[SectorFactory() for _ in range(size)],
        regions=[region],
        departments=departments,
        communes=[CommuneFactory(department=departments[0]) for _ in range(size)],
        participants=[StructureFactory() for _ in range(size)],
        sources=[SourceFactory() for _ in range(size)],
    )
    for i in range(size):
        OutcomeFigureFactory(cooperation=cooperation, position=i)
    for _ in range(size * 10):  # 20 or 200 other fiches to choose similar ones from.
        CooperationFactory(published=True, forms=forms[:1], departments=departments[:1])
    similar.compute([cooperation.pk])  # as the commit of its last change does
    # The fiche's row, then, its layout not being cached yet: the fiche again + 8 prefetches (forms,
    # sectors, regions, departments with regions, communes with departments, participations with
    # structures, figures, sources) + the level sheet + the similar fiches' stored ids + their cards'
    # fiches, forms, departments and regions.
    with django_assert_num_queries(16):
        response = client.get(cooperation.get_absolute_url())
    assert len(response.context["similar"]) == 4
    # Then its row alone: its layout, its similar fiches and their cards are cached until it or they
    # change (lib/cache.py).
    with django_assert_num_queries(1):
        response = client.get(cooperation.get_absolute_url())
    assert len(response.context["similar"]) == 4


def test_a_fiche_with_only_a_sector_finds_its_neighbours_and_a_bare_fiche_finds_none(client):
    sector = SectorFactory()
    bare = CooperationFactory(published=True, title="Sans rien")
    with_sector = CooperationFactory(published=True, title="Avec un secteur", sectors=[sector])
    CooperationFactory(published=True, title="Même secteur", sectors=[sector])
    assert list(client.get(bare.get_absolute_url()).context["similar"]) == []
    similar = client.get(with_sector.get_absolute_url()).context["similar"]
    assert [cooperation.title for cooperation in similar] == ["Même secteur"]
    assert "Coopérations proches" not in page(client, bare)
