"""axe-core on every kind of public page beyond the list and the fiche, on a computer's width and a
phone's: the accessibility statement (pages/accessibility.py) states its level from these results."""

import pytest

from cooperations.models import Level, LevelSheet
from structures.models import Structure
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    DepartmentFactory,
    RegionFactory,
    SectorFactory,
    StructureFactory,
)

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def directory(transactional_db):
    brittany = RegionFactory(code="53", name="Bretagne", slug="bretagne")
    finistere = DepartmentFactory(code="29", name="Finistère", slug="finistere", region=brittany)
    DepartmentFactory(code="56", name="Morbihan", slug="morbihan", region=brittany)
    ptce = CooperationFormFactory(
        code="ptce", name="Pôle territorial de coopération économique", short_name="PTCE"
    )
    ptce.definition = "Un **regroupement** d'acteurs sur un territoire."
    ptce.save()
    for level in Level:
        LevelSheet.objects.create(
            code=level, summary=f"Le niveau {level.label}.", description="Une description."
        )
    aci = StructureFactory(
        name="Chantier du Port",
        kind=Structure.Kind.ACI,
        department=finistere,
        address="1 quai du Port",
        postal_code="29200",
        phone="02 98 00 00 00",
        email="contact@chantier-du-port.fr",
        siret="73282932000074",
    )
    fiche = CooperationFactory(
        published=True,
        title="Légumerie du Pays de Brest",
        summary="Une légumerie partagée qui fournit les cantines.",
        forms=[ptce],
        sectors=[SectorFactory(slug="alimentation", name="Alimentation")],
        departments=[finistere],
        participants=[(aci, "lead")],
    )
    return {
        "structure": aci.get_absolute_url(),
        "correction": f"/cooperations/{fiche.slug}/signaler/",
        "follow fiche": f"/alertes/suivre/fiche/{fiche.slug}/",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/structures/",
        "structure",
        "/territoires/",
        "/territoires/regions/bretagne/",
        "/territoires/departements/finistere/",
        "/formes/",
        "/formes/ptce/",
        "/formes/niveaux/",
        "/statistiques/",
        "/proposer/",
        "/connexion/",
        "correction",
        "/alertes/suivre/?department=29",
        "follow fiche",
        "/alertes/demande-envoyee/",
        "/cooperations/flux/?department=29",
        "/donnees/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/plan-du-site/",
    ],
)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_public_pages_have_no_accessibility_violation(audit_page, directory, axe_check, path, viewport):
    audit_page.set_viewport_size(viewport)
    response = audit_page.goto(directory.get(path, path))
    assert response.status == 200
    # None at all, whatever its impact: the statement says so.
    axe_check(audit_page, impacts=("minor", "moderate", "serious", "critical"))


def test_the_404_page_has_no_serious_accessibility_violation(audit_page, transactional_db, axe_check):
    response = audit_page.goto("/nulle-part/")
    assert response.status == 404
    assert audit_page.locator("h1").inner_text() == "Page introuvable"
    axe_check(audit_page)
