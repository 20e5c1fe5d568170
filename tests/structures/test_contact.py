"""A structure's public contact details: how they are checked, stored and shown."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from structures.contact import clean_contact, clean_phone, clean_postal_code, clean_website, phone_text
from structures.models import Structure
from tests.factories import CommuneFactory, CooperationFactory, StructureFactory, real_places

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("03.84.27 49 37", "+33384274937", "03 84 27 49 37"),
        ("0149237050", "+33149237050", "01 49 23 70 50"),
        ("+33 1 49 23 70 50", "+33149237050", "01 49 23 70 50"),
        ("+32 2 555 12 12", "+3225551212", "+32 2 555 12 12"),
    ],
)
def test_a_phone_number_written_any_usual_way_is_stored_in_one_form(typed, stored, shown):
    number = clean_phone(typed)
    assert number.as_e164 == stored
    assert phone_text(number) == shown


@pytest.mark.parametrize("typed", ["12 34", "01 49 23 70", "pas de téléphone", "+33 0 00 00 00 00"])
def test_a_phone_number_that_cannot_be_dialled_is_refused_in_french(typed):
    with pytest.raises(ValidationError) as error:
        clean_phone(typed)
    assert error.value.messages == [
        f"« {typed} » n'est pas un numéro de téléphone valide : dix chiffres pour la France "
        "(03 84 27 49 37), l'indicatif pour l'étranger (+32 2 555 12 12)."
    ]


def test_a_web_address_without_its_scheme_gets_https_and_a_bad_one_is_refused():
    assert clean_website("www.coorace.org") == "https://www.coorace.org"
    assert clean_website("http://exemple.fr/page") == "http://exemple.fr/page"
    with pytest.raises(ValidationError, match="« pas un site » n'est pas une adresse web valide."):
        clean_website("pas un site")


def test_postal_codes_have_five_digits():
    assert clean_postal_code(" 90 100 ") == "90100"
    with pytest.raises(ValidationError, match="cinq chiffres"):
        clean_postal_code("9010")


def test_clean_contact_reports_each_bad_value_by_its_key_and_keeps_the_good_ones():
    cleaned, errors = clean_contact({"email": "contact@exemple.fr", "phone": "123", "postal_code": "ABCDE"})
    assert cleaned == {"email": "contact@exemple.fr"}
    assert set(errors) == {"phone", "postal_code"}
    assert errors["postal_code"] == "Un code postal s'écrit avec cinq chiffres, par exemple 90100."


def test_the_model_refuses_a_bad_email_phone_or_postal_code():
    structure = StructureFactory.build(name="Chantier", email="pas-une-adresse", phone="12", postal_code="1")
    with pytest.raises(ValidationError) as error:
        structure.full_clean(exclude=["slug", "search_name"])
    assert set(error.value.message_dict) == {"email", "phone", "postal_code"}


def test_the_directory_link_is_made_from_the_siret():
    structure = StructureFactory.build(siret="73282932000074")
    assert structure.annuaire_url == "https://annuaire-entreprises.data.gouv.fr/etablissement/73282932000074"
    assert StructureFactory.build().annuaire_url == ""


def test_the_structure_page_shows_what_is_known_with_links_to_call_write_and_visit(client):
    delle = CommuneFactory(code="90033", name="Delle", department=real_places()["nord"])
    structure = StructureFactory(
        name="CHACASOL",
        commune=delle,
        address="21 avenue du Général de Gaulle",
        postal_code="90100",
        phone="03 84 27 49 37",
        email="chacasol90@gmail.com",
        website="https://www.chacasol.fr/",
        siret="73282932000074",
    )
    response = client.get(structure.get_absolute_url())
    for pair in (
        "<dt>Adresse</dt><dd>21 avenue du Général de Gaulle<br>90100 Delle</dd>",
        '<dt>Téléphone</dt><dd><a href="tel:+33-3-84-27-49-37">03 84 27 49 37</a></dd>',
        '<dt>E-mail</dt><dd><a href="mailto:chacasol90@gmail.com">chacasol90@gmail.com</a></dd>',
        '<dt>Site web</dt><dd><a href="https://www.chacasol.fr/" rel="noopener noreferrer">'
        "www.chacasol.fr</a></dd>",
        '<dt>SIRET</dt><dd>73282932000074<br><a rel="noopener noreferrer" '
        'href="https://annuaire-entreprises.data.gouv.fr/etablissement/73282932000074">'
        "Voir sur l'Annuaire des entreprises</a></dd>",
    ):
        assertContains(response, pair, html=True)


def test_a_structure_without_contact_details_says_so(client):
    structure = StructureFactory(name="Atelier discret")
    CooperationFactory(published=True, participants=[structure])
    response = client.get(structure.get_absolute_url())
    assertContains(
        response,
        '<p class="empty-state">Aucune coordonnée n\'est encore connue pour cette structure.</p>',
        html=True,
    )
    assertNotContains(response, "<dt>Téléphone</dt>", html=True)


def test_editors_fill_contact_details_in_the_admin_and_the_phone_is_normalized(client, editor):
    structure = StructureFactory(name="Régie Nord", kind=Structure.Kind.ACI)
    url = reverse("admin:structures_structure_change", args=[structure.pk])
    data = {
        "name": "Régie Nord",
        "kind": "ACI",
        "siret": "",
        "address": "3 rue du Port",
        "postal_code": "59000",
        "commune": "",
        "department": "",
        "website": "https://regie-nord.fr",
        "email": "contact@regie-nord.fr",
        "phone": "03 20 00 00 00",
        "description": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    structure.refresh_from_db()
    assert (structure.email, structure.phone.as_e164, structure.address, structure.postal_code) == (
        "contact@regie-nord.fr",
        "+33320000000",
        "3 rue du Port",
        "59000",
    )
    response = client.post(url, data | {"phone": "03 20", "email": "contact@", "postal_code": "59"})
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"phone", "email", "postal_code"}
    assert errors["postal_code"] == ["Un code postal s'écrit avec cinq chiffres, par exemple 90100."]
