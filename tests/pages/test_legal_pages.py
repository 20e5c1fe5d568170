"""The pages a public service owes: legal notice, personal data, accessibility statement, site map; linked
from every footer, the operator's details from the settings."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from pages.accessibility import AUDIT
from tests.factories import CooperationFormFactory

pytestmark = pytest.mark.django_db
LEGAL_PAGES = ["legal_notice", "privacy", "accessibility", "site_map"]


def parse(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(element):
    return " ".join(element.get_text().split())


@pytest.mark.parametrize(
    "name", ["home", "cooperations:list", "statistics", "proposals:create", *LEGAL_PAGES]
)
def test_every_footer_links_to_the_four_pages(client, name):
    footer = parse(client.get(reverse(name))).select_one("footer")
    links = {text(a): a["href"] for a in footer.select(".footer-legal a")}
    assert links == {
        "Mentions légales": reverse("legal_notice"),
        "Données personnelles": reverse("privacy"),
        f"Accessibilité : {AUDIT.status}": reverse("accessibility"),
        "Plan du site": reverse("site_map"),
    }


def test_the_error_pages_footer_has_them_too(client):
    page = BeautifulSoup(client.get("/nulle-part/").content, "html.parser")
    assert page.select_one(f"footer a[href='{reverse('accessibility')}']")


def test_the_legal_notice_names_the_operator_from_the_settings(client, settings):
    settings.OPERATOR_NAME = "Fédération des entreprises d'insertion"
    settings.OPERATOR_ADDRESS = "1 rue de l'Exemple\n75000 Paris"
    settings.PUBLICATION_DIRECTOR = "Camille Martin, déléguée générale"
    settings.HOST_DETAILS = "Hébergeur Exemple SAS, 2 rue du Serveur, 59000 Lille"
    settings.CONTACT_EMAIL = "contact@cooperations.example"
    page = parse(client.get(reverse("legal_notice")))
    assert page.h1.get_text() == "Mentions légales"
    facts = {text(div.dt): div.dd for div in page.select(".legal-facts > div")}
    assert text(facts["Éditeur du site"]) == "Fédération des entreprises d'insertion"
    assert str(facts["Adresse"].br) == "<br/>"  # the address keeps its lines
    assert text(facts["Directeur ou directrice de la publication"]) == "Camille Martin, déléguée générale"
    assert facts["Contact"].a["href"] == "mailto:contact@cooperations.example"
    assert "Hébergeur Exemple SAS" in text(page.select_one("#hebergeur + p"))
    assert not page.select(".placeholder")


def test_details_not_given_show_a_clear_placeholder(client, settings):
    settings.OPERATOR_NAME = settings.HOST_DETAILS = settings.CONTACT_EMAIL = ""
    settings.OPERATOR_ADDRESS = settings.PUBLICATION_DIRECTOR = ""
    page = parse(client.get(reverse("legal_notice")))
    placeholders = [text(span) for span in page.select(".placeholder")]
    assert placeholders == [
        "à compléter (variable OPERATOR_NAME)",
        "à compléter (variable OPERATOR_ADDRESS)",
        "à compléter (variable PUBLICATION_DIRECTOR)",
        "à compléter (variable CONTACT_EMAIL)",
        "à compléter (variable HOST_DETAILS)",
    ]


def test_the_personal_data_page_says_what_is_kept_and_for_how_long(client, django_assert_num_queries):
    # Nothing read from the database: the durations are the code's.
    with django_assert_num_queries(0):
        page = parse(client.get(reverse("privacy")))
    kinds = {text(section.h3): section for section in page.select(".data-kind")}
    assert list(kinds) == [
        "Alertes par e-mail",
        "Propositions de coopération et suggestions de correction",
        "Recherches",
        "Comptes de l'équipe",
        "Journaux techniques et protection des formulaires",
    ]

    def duration(kind):
        facts = {text(div.dt): text(div.dd) for div in kinds[kind].select(".facts > div")}
        return facts["Combien de temps"]

    assert "Une demande non confirmée est effacée au bout de 7 jours." in duration("Alertes par e-mail")
    assert "effacés 6 mois après l'examen" in duration(
        "Propositions de coopération et suggestions de correction"
    )
    assert duration("Recherches") == "13 mois."
    assert "le journal des connexions, 12 mois" in duration("Comptes de l'équipe")
    assert "l'empreinte de l'adresse IP, 60 minutes" in duration(
        "Journaux techniques et protection des formulaires"
    )
    assert page.select_one("#vos-droits a[href='https://www.cnil.fr/fr/plaintes']")
    assert "csrftoken" in text(page.select_one("#cookies"))


def test_the_accessibility_statement_states_its_measured_level(client, settings):
    settings.CONTACT_EMAIL = "contact@cooperations.example"
    page = parse(client.get(reverse("accessibility")))
    assert page.h1.get_text() == "Déclaration d'accessibilité"
    assert text(page.select_one(".accessibility-status")) == (
        f"Coopérations IAE est {AUDIT.status} avec le référentiel général d'amélioration de "
        "l'accessibilité (RGAA), version 4.1."
    )
    results = text(page.select_one("#resultats"))
    assert (
        f"{AUDIT.rate} % des {len(AUDIT.applicable)} critères applicables vérifiés sont respectés" in results
    )
    assert "axe-core 4.11.4" in results and "1280 et à 390 pixels" in results
    rows = page.select("table.criteria tbody tr")
    assert len(rows) == len(AUDIT.criteria) > 20
    assert [text(row.th) for row in rows][0] == f"{AUDIT.criteria[0].number} {AUDIT.criteria[0].title}"
    assert "Cette déclaration a été établie le 7 décembre 2026." in text(page.select_one("#etablissement"))
    assert page.select_one("#contact a")["href"].startswith("mailto:contact@cooperations.example")
    recourse = text(page.select_one("#recours"))
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in recourse


def test_the_stated_level_follows_the_results():
    assert AUDIT.rate == 100 * sum(c.result == "C" for c in AUDIT.applicable) // len(AUDIT.applicable)
    assert AUDIT.status == ("partiellement conforme" if AUDIT.rate >= 50 else "non conforme")


def test_the_site_map_lists_every_section_and_the_regions_alphabetically(client, django_assert_num_queries):
    CooperationFormFactory(code="ptce", name="Pôle territorial de coopération économique")
    # The regions, the forms of cooperation.
    with django_assert_num_queries(2):
        page = parse(client.get(reverse("site_map")))
    regions = [text(a) for a in page.select("#plan-territoires + ul a")]
    assert len(regions) == 18
    assert regions == sorted(regions, key=lambda name: name.replace("Î", "I"))
    assert regions[0] == "Auvergne-Rhône-Alpes"
    hrefs = {a["href"] for a in page.select(".site-map a")}
    for name in [
        "cooperations:list",
        "cooperations:feeds",
        "api:open_data",
        "proposals:create",
        *LEGAL_PAGES[:3],  # not itself
    ]:
        assert reverse(name) in hrefs
    assert "/formes/ptce/" in hrefs
