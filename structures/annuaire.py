"""The « Recherche d'entreprises » API behind the Annuaire des entreprises: name or SIRET in, candidate
establishments out, each with what it would bring to one of our structures.

The API is public and needs no key (documentation: https://recherche-entreprises.api.gouv.fr/docs/).
A search by 14 digits is a direct search by SIRET, which ignores every other filter; a search by name
is narrowed by the structure's commune (`code_commune`) or department (`departement`). Its address and
the time we wait for it are settings (RECHERCHE_ENTREPRISES_URL, RECHERCHE_ENTREPRISES_TIMEOUT); when
it cannot be reached, RegistryUnavailable carries a French message and the editor goes on without it.
Requests go through `requests`, on the module's SESSION (tests mount a recorded transport on it).
"""

import re
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from lib.text import fold
from territories.models import Commune

from .models import Structure

PER_PAGE = 10  # the API gives at most 25
MAX_QUERY_LENGTH = 100
# The kinds of the Marché de l'inclusion (complements.type_siae) that are ours too.
SIAE_KINDS = {"ACI", "AI", "EI", "ETTI", "EITI", "GEIQ", "EA", "EATT"}
# Paris, Lyon and Marseille are known here as communes, Sirene places them in arrondissements.
ARRONDISSEMENTS = ((r"751\d\d", "75056"), (r"6938\d", "69123"), (r"132\d\d", "13055"))
# Short words kept in lower case when an address in capitals is made readable.
SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "et", "aux", "au", "en", "sur", "sous", "d", "l"}
# Abbreviations of addresses, kept in capitals: zone artisanale, boîte postale, route nationale…
ABBREVIATIONS = {"za", "zi", "zac", "zae", "bp", "cs", "rn", "rd", "cedex"}

SESSION = requests.Session()
SESSION.headers["User-Agent"] = "cooperations-iae (annuaire des cooperations de l'IAE)"


class RegistryUnavailable(Exception):
    """The API could not answer; the message says so in French."""


@dataclass
class Candidate:
    """One establishment the API found: the one that matched (the SIRET asked, or one in the commune
    or department asked), else the company's head office."""

    siren: str
    siret: str
    name: str
    address: str  # as the API writes it, postal code and commune included
    street: str  # without them, as our « adresse postale » holds it
    postal_code: str
    commune_code: str
    commune_name: str
    activity: str  # the NAF code, « 88.99B »
    is_open: bool
    is_siae: bool
    siae_kind: str
    is_head_office: bool

    @property
    def kind(self):
        return self.siae_kind if self.siae_kind in SIAE_KINDS else ""


def search(query, *, department=None, commune=None):
    """The candidates for `query` (a name, a SIREN or a SIRET); RegistryUnavailable when the API fails."""
    query = " ".join(str(query).split())[:MAX_QUERY_LENGTH]
    digits = re.sub(r"[\s.]", "", query)
    params = {"q": query, "page": 1, "per_page": PER_PAGE}
    if digits.isdigit() and len(digits) in (9, 14):
        params["q"] = digits  # a direct search, which ignores the places
    elif commune:
        params["code_commune"] = commune
    elif department:
        params["departement"] = department
    payload = _get("/search", params)
    wanted = digits if len(digits) == 14 and digits.isdigit() else None
    return [candidate for result in payload.get("results") or [] if (candidate := _candidate(result, wanted))]


def _get(path, params):
    url = settings.RECHERCHE_ENTREPRISES_URL.rstrip("/") + path
    try:
        response = SESSION.get(url, params=params, timeout=settings.RECHERCHE_ENTREPRISES_TIMEOUT)
    except requests.Timeout as error:
        raise RegistryUnavailable(
            _("L'Annuaire des entreprises n'a pas répondu à temps. Réessayez dans un moment.")
        ) from error
    except requests.RequestException as error:
        raise RegistryUnavailable(
            _("L'Annuaire des entreprises ne peut pas être joint pour l'instant.")
        ) from error
    if response.status_code == 429:
        raise RegistryUnavailable(
            _("L'Annuaire des entreprises reçoit trop de demandes : réessayez dans quelques secondes.")
        )
    if response.status_code == 400:
        detail = _json(response).get("erreur") or ""
        raise RegistryUnavailable(
            _("L'Annuaire des entreprises n'a pas compris la recherche. %(detail)s") % {"detail": detail}
        )
    if response.status_code != 200:
        raise RegistryUnavailable(
            _(
                "L'Annuaire des entreprises ne répond pas correctement (erreur %(status)s). "
                "Réessayez plus tard."
            )
            % {"status": response.status_code}
        )
    payload = _json(response)
    if not isinstance(payload, dict):
        raise RegistryUnavailable(_("L'Annuaire des entreprises a donné une réponse illisible."))
    return payload


def _json(response):
    try:
        return response.json()
    except ValueError:
        return {}


def _candidate(result, wanted_siret):
    if not isinstance(result, dict):
        return None
    establishments = [e for e in result.get("matching_etablissements") or [] if isinstance(e, dict)]
    chosen = next((e for e in establishments if e.get("siret") == wanted_siret), None)
    if chosen is None:
        chosen = establishments[0] if establishments and not wanted_siret else result.get("siege") or {}
    if not chosen.get("siret"):
        return None
    complements = result.get("complements") or {}
    postal_code = chosen.get("code_postal") or ""
    commune_name = chosen.get("libelle_commune") or ""
    address = chosen.get("adresse") or ""
    return Candidate(
        siren=result.get("siren") or "",
        siret=chosen["siret"],
        name=result.get("nom_complet") or result.get("nom_raison_sociale") or "",
        address=address,
        street=street_of(address, postal_code),
        postal_code=postal_code,
        commune_code=chosen.get("commune") or "",
        commune_name=commune_name,
        activity=chosen.get("activite_principale") or result.get("activite_principale") or "",
        is_open=chosen.get("etat_administratif", result.get("etat_administratif")) == "A",
        is_siae=bool(complements.get("est_siae")),
        siae_kind=(complements.get("type_siae") or "").upper(),
        is_head_office=bool(chosen.get("est_siege")),
    )


def street_of(address, postal_code):
    """« 12 RUE DES LILAS 59000 LILLE » → « 12 rue des Lilas »: what comes before the postal code, in
    the case people write."""
    if postal_code and f" {postal_code} " in f" {address} ":
        address = f" {address} ".rsplit(f" {postal_code} ", 1)[0]
    return readable(address.strip())


def readable(text):
    """Words in capitals written as people write them; words already in mixed case are left alone."""
    if text != text.upper():
        return text
    words = []
    for index, word in enumerate(text.lower().split()):
        if word in ABBREVIATIONS:
            words.append(word.upper())
        elif index and word in SMALL_WORDS:
            words.append(word)
        elif "'" in word:
            head, _sep, tail = word.partition("'")
            words.append(f"{head}'{tail.capitalize()}" if head in SMALL_WORDS else word.capitalize())
        else:
            words.append(word[:1].upper() + word[1:])
    return " ".join(words)


def commune_of(candidate):
    """Our commune for the candidate's commune code, arrondissements counted in their city."""
    code = candidate.commune_code
    for pattern, city in ARRONDISSEMENTS:
        if re.fullmatch(pattern, code):
            code = city
    return Commune.objects.select_related("department").filter(code=code).first() if code else None


# The structure's fields a candidate may fill, in the order they are shown.
PROPOSED_FIELDS = ("name", "kind", "siret", "address", "postal_code", "commune")


def proposed_values(candidate):
    """{field: (value as the structure editor takes it, as shown)} of what the candidate knows."""
    values = {
        "name": (readable(candidate.name), readable(candidate.name)),
        "siret": (candidate.siret, candidate.siret),
        "address": (candidate.street, candidate.street),
        "postal_code": (candidate.postal_code, candidate.postal_code),
    }
    commune = commune_of(candidate)
    if commune:
        values["commune"] = (str(commune), str(commune))
    if candidate.kind:
        values["kind"] = (candidate.kind, str(Structure.Kind(candidate.kind).label))
    return {field: value for field, value in values.items() if value[0]}


def same_value(field, typed, proposed):
    """Whether a typed value already says what the registry proposes (case, accents and spaces aside)."""
    if field == "siret":
        return re.sub(r"\s", "", typed or "") == proposed
    return fold(typed or "") == fold(proposed or "")
