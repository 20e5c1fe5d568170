"""The public contact details of a structure: how each is checked, written and shown.

The same rules serve the admin (through the model's validators), the spreadsheet import and the seed:
a web address and an e-mail address as Django checks them, a phone number as `phonenumbers` reads it
(French numbers written any usual way, foreign ones with their +code), a five-digit postal code.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator, URLValidator
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber, to_python

PHONE_REGION = "FR"
ANNUAIRE_URL = "https://annuaire-entreprises.data.gouv.fr/etablissement/{siret}"

validate_postal_code = RegexValidator(
    r"^[0-9]{5}$",
    _("Un code postal s'écrit avec cinq chiffres, par exemple 90100."),
    code="invalid_postal_code",
)


def clean_website(text):
    typed = text.strip()
    # « www.coorace.org », as documents write them, is taken as its https:// address.
    url = typed if not typed or re.match(r"^https?://", typed, re.IGNORECASE) else f"https://{typed}"
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValidationError(
                _("« %(value)s » n'est pas une adresse web valide."), params={"value": typed}
            ) from error
    return url


def clean_email(text):
    text = text.strip()
    if text:
        try:
            EmailValidator()(text)
        except ValidationError as error:
            raise ValidationError(
                _("« %(value)s » n'est pas une adresse e-mail valide."), params={"value": text}
            ) from error
    return text


def clean_phone(text):
    """The number as a PhoneNumber ("" when empty); ValidationError when it is not a number in use."""
    text = text.strip()
    if not text:
        return ""
    number = to_python(text, region=PHONE_REGION)
    if not number.is_valid():
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un numéro de téléphone valide : dix chiffres pour la France "
                "(03 84 27 49 37), l'indicatif pour l'étranger (+32 2 555 12 12)."
            ),
            params={"value": text},
        )
    return number


def clean_address(text):
    text = " ".join(text.split())
    if len(text) > 200:
        raise ValidationError(_("L'adresse dépasse 200 caractères."))
    return text


def clean_postal_code(text):
    text = re.sub(r"\s", "", text)
    if text:
        validate_postal_code(text)
    return text


# Each contact detail and how a typed value becomes a stored one (raising ValidationError in French).
CLEANERS = {
    "website": clean_website,
    "email": clean_email,
    "phone": clean_phone,
    "address": clean_address,
    "postal_code": clean_postal_code,
}


def clean_contact(values):
    """The contact details given in `values` (a dict of texts) cleaned, and the errors by key."""
    cleaned, errors = {}, {}
    for key, clean in CLEANERS.items():
        if key in values:
            try:
                cleaned[key] = clean(str(values[key] or ""))
            except ValidationError as error:
                errors[key] = error.messages[0]
    return cleaned, errors


def website_label(url):
    """A web address without what readers skip: « www.coorace.org » for https://www.coorace.org/."""
    return re.sub(r"^https?://", "", url, flags=re.IGNORECASE).rstrip("/")


def phone_text(number):
    """A number as people write it: 03 84 27 49 37 in France, +32 2 555 12 12 abroad."""
    if not number:
        return ""
    if not isinstance(number, PhoneNumber) or not number.is_valid():
        return str(number)
    national = number.country_code == 33
    return number.as_national if national else number.as_international
