import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from structures.models import Structure, validate_siret

VALID_SIRET = "73282932000074"  # a public test SIRET with a correct Luhn key


def test_a_valid_siret_passes():
    validate_siret(VALID_SIRET)


@pytest.mark.parametrize("value", ["73282932000075", "1234", "ABCDEFGHIJKLMN"])
def test_an_invalid_siret_is_refused_with_a_french_message(value):
    with pytest.raises(ValidationError) as error:
        validate_siret(value)
    assert "n'est pas un numéro SIRET valide" in error.value.messages[0]


@pytest.mark.django_db
def test_full_clean_reports_a_bad_siret_on_its_field():
    structure = Structure(name="Tremplin", kind=Structure.Kind.AI, siret="73282932000075")
    with pytest.raises(ValidationError) as error:
        structure.full_clean()
    assert "siret" in error.value.message_dict


@pytest.mark.django_db
def test_siret_is_unique_when_given_but_may_be_left_empty_on_many_structures():
    Structure.objects.create(name="A", kind=Structure.Kind.AI, siret=VALID_SIRET)
    Structure.objects.create(name="B", kind=Structure.Kind.AI, siret="")
    Structure.objects.create(name="C", kind=Structure.Kind.AI)
    assert Structure.objects.filter(siret__isnull=True).count() == 2
    with pytest.raises(IntegrityError):
        Structure.objects.create(name="D", kind=Structure.Kind.EI, siret=VALID_SIRET)


@pytest.mark.django_db
def test_slug_is_readable_folded_and_unique():
    first = Structure.objects.create(name="Interm'Aide Emploi", kind=Structure.Kind.AI)
    second = Structure.objects.create(name="Interm’Aide Emploi", kind=Structure.Kind.EI)
    assert first.slug == "interm-aide-emploi"
    assert second.slug == "interm-aide-emploi-2"


@pytest.mark.django_db
def test_two_structures_of_the_same_kind_cannot_share_a_folded_name():
    Structure.objects.create(name="Interm'Aide Emploi", kind=Structure.Kind.AI)
    with pytest.raises(IntegrityError):
        Structure.objects.create(name="INTERM AIDE-EMPLOI", kind=Structure.Kind.AI)
