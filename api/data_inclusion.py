"""Structures in the shape of data·inclusion's schema of structures, version 1.

data·inclusion gathers the structures of the inclusion ecosystem from every producer; each record
names its producer (`source`) and is identified within it (`id`). The field names, formats and the
values of `reseaux_porteurs` are the schema's: tests/api/test_data_inclusion.py validates every record
against the `data-inclusion-schema` package's own pydantic model.
"""

from datetime import UTC

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .serializers import absolute

SOURCE = "cooperations-iae"

# Our kinds of structure that are networks of data·inclusion's list (`reseaux_porteurs`); an SIAE whose
# agreement is unknown, a GES and the partners have none of their own.
KIND_NETWORKS = {
    "ACI": "aci",
    "AI": "ai",
    "EI": "ei",
    "ETTI": "etti",
    "EITI": "eiti",
    "GEIQ": "geiq",
    "EA": "ea",
    "EATT": "eatt",
    "ESAT": "esat",
}
# Our networks (their slugs) that data·inclusion lists under the same identifier.
NETWORKS = {
    "chantier-ecole",
    "coorace",
    "emmaus",
    "federation-des-acteurs-de-la-solidarite",
    "france-active",
    "inae",
    "ressourceries",
    "unea",
}
# The schema's limits on a description: a shorter or longer one is left out rather than refused.
DESCRIPTION_LENGTH = (5, 10_000)


def _within(text, limits):
    low, high = limits
    return text if text and low <= len(text) <= high else None


class DataInclusionStructureSerializer(serializers.Serializer):
    source = serializers.SerializerMethodField(help_text=_("Le producteur : « cooperations-iae »."))
    id = serializers.SerializerMethodField(help_text=_("« cooperations-iae--<numéro de la structure> »."))
    nom = serializers.SerializerMethodField()
    date_maj = serializers.SerializerMethodField()
    lien_source = serializers.SerializerMethodField()
    siret = serializers.CharField(allow_null=True)
    commune = serializers.SerializerMethodField()
    code_postal = serializers.SerializerMethodField()
    code_insee = serializers.SerializerMethodField()
    adresse = serializers.SerializerMethodField()
    telephone = serializers.SerializerMethodField()
    courriel = serializers.SerializerMethodField()
    site_web = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    reseaux_porteurs = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_source(self, structure):
        return SOURCE

    @extend_schema_field(OpenApiTypes.STR)
    def get_id(self, structure):
        # The primary key, which unlike the slug never changes.
        return f"{SOURCE}--{structure.pk}"

    @extend_schema_field(OpenApiTypes.STR)
    def get_nom(self, structure):
        return structure.name

    @extend_schema_field(OpenApiTypes.DATE)
    def get_date_maj(self, structure):
        # In UTC: a date in Paris can be tomorrow for a consumer whose clock says UTC, and the schema
        # refuses a date in the future.
        return structure.updated_at.astimezone(UTC).date().isoformat()

    @extend_schema_field(OpenApiTypes.URI)
    def get_lien_source(self, structure):
        return absolute(self, structure.get_absolute_url())

    @extend_schema_field(OpenApiTypes.STR)
    def get_commune(self, structure):
        return structure.commune.name if structure.commune else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_code_postal(self, structure):
        return structure.postal_code or None

    @extend_schema_field(OpenApiTypes.STR)
    def get_code_insee(self, structure):
        return structure.commune_id

    @extend_schema_field(OpenApiTypes.STR)
    def get_adresse(self, structure):
        return structure.address or None

    @extend_schema_field(OpenApiTypes.STR)
    def get_telephone(self, structure):
        return structure.phone.as_e164 if structure.phone else None

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_courriel(self, structure):
        return structure.email or None

    @extend_schema_field(OpenApiTypes.URI)
    def get_site_web(self, structure):
        return structure.website or None

    @extend_schema_field(OpenApiTypes.STR)
    def get_description(self, structure):
        return _within(structure.description.strip(), DESCRIPTION_LENGTH)

    @extend_schema_field({"type": "array", "items": {"type": "string"}, "nullable": True})
    def get_reseaux_porteurs(self, structure):
        """The structure's kind and networks that data·inclusion knows, from the prefetched networks."""
        networks = {KIND_NETWORKS[structure.kind]} if structure.kind in KIND_NETWORKS else set()
        networks |= {network.slug for network in structure.networks.all() if network.slug in NETWORKS}
        return sorted(networks) or None
