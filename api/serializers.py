"""What the API says of each thing: an explicit list of public fields, never a model's every field.

Nothing here reads a draft's fields, an internal note, who edited what, or the search columns; the
tests in tests/api/test_privacy.py fail if one of them appears.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from cooperations.models import Cooperation, Participation
from lib.markdown import render_markdown
from lib.urls import absolute_url
from structures.models import Structure


def absolute(serializer, path):
    """The path as an absolute address: on the site's address for the request (lib/urls.py), or on the
    context's `base_url` when there is none (the open-data export)."""
    request = serializer.context.get("request")
    if request is not None:
        return absolute_url(path, request)
    return serializer.context.get("base_url", "") + path


class PublicUrlField(serializers.Field):
    """The absolute address of the object's public page."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _("Adresse de la page publique."))
        super().__init__(**kwargs)

    def to_representation(self, value):
        return absolute(self.parent, value.get_absolute_url())


extend_schema_field(OpenApiTypes.URI)(PublicUrlField)


@extend_schema_field(
    {
        "type": "object",
        "properties": {"markdown": {"type": "string"}, "html": {"type": "string"}},
        "required": ["markdown", "html"],
    }
)
class MarkdownField(serializers.Field):
    """A text written in Markdown, given as written and as sanitised HTML (the site's own rendering)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"markdown": value, "html": str(render_markdown(value))}


class ChoiceField(serializers.Field):
    """A coded value with its French label: {"code": "simple", "label": "Coopération simple"}."""

    def __init__(self, choices, **kwargs):
        self.labels = dict(choices)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"code": value, "label": str(self.labels.get(value, value))}


extend_schema_field(
    {
        "type": "object",
        "properties": {"code": {"type": "string"}, "label": {"type": "string"}},
        "required": ["code", "label"],
    }
)(ChoiceField)


# --- Reference lists --------------------------------------------------------------------------------
class RegionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Code INSEE de la région (COG 2026)."))
    name = serializers.CharField()
    url = PublicUrlField()


# `cooperation_count`, the name these figures had before they were named after what they count, is kept
# with its former meaning so that reusers' code goes on working; the documentation marks it deprecated.
@extend_schema_serializer(deprecate_fields=["cooperation_count"])
class RegionWithCountSerializer(RegionSerializer):
    reach_count = serializers.IntegerField(
        help_text=_(
            "Fiches publiées de la région : liées à la région ou à l'un de ses départements, celles que "
            "donne le filtre region= de /api/v1/cooperations/."
        )
    )
    cooperation_count = serializers.IntegerField(
        source="reach_count", help_text=_("Ancien nom de reach_count, gardé pour les réutilisations.")
    )


class DepartmentSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Code INSEE du département (COG 2026)."))
    name = serializers.CharField()
    region = serializers.CharField(source="region_id", help_text=_("Code INSEE de sa région."))
    url = PublicUrlField()


@extend_schema_serializer(deprecate_fields=["cooperation_count"])
class DepartmentWithCountSerializer(DepartmentSerializer):
    placed_count = serializers.IntegerField(help_text=_("Fiches publiées liées au département."))
    reach_count = serializers.IntegerField(
        help_text=_(
            "Fiches publiées du département : les siennes, celles à l'échelle de sa région et les "
            "nationales, celles que donne le filtre department= de /api/v1/cooperations/."
        )
    )
    cooperation_count = serializers.IntegerField(
        source="placed_count", help_text=_("Ancien nom de placed_count, gardé pour les réutilisations.")
    )


class CommuneSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Code INSEE de la commune (COG 2026)."))
    name = serializers.CharField()
    department = serializers.CharField(source="department_id")


class SectorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class SectorWithCountSerializer(SectorSerializer):
    cooperation_count = serializers.IntegerField(help_text=_("Fiches publiées dans le secteur."))


class FormRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    url = PublicUrlField()


class FormSerializer(FormRefSerializer):
    summary = serializers.CharField()
    definition = MarkdownField()
    objectives = MarkdownField()
    legal_frame = MarkdownField()
    cooperation_count = serializers.IntegerField(help_text=_("Fiches publiées de cette forme."))


class LevelSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    summary = serializers.CharField()
    description = MarkdownField()
    cooperation_count = serializers.IntegerField(help_text=_("Fiches publiées de ce niveau."))


# --- Structures -------------------------------------------------------------------------------------
class NetworkSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class StructureRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = ChoiceField(Structure.Kind.choices)
    siret = serializers.CharField(allow_null=True)
    url = PublicUrlField()


class StructureSerializer(StructureRefSerializer):
    commune = CommuneSerializer(allow_null=True)
    department = serializers.CharField(source="department_id", allow_null=True)
    region = serializers.SerializerMethodField()
    address = serializers.CharField()
    postal_code = serializers.CharField()
    phone = serializers.SerializerMethodField(help_text=_("Au format international E.164."))
    email = serializers.CharField()
    website = serializers.CharField()
    description = serializers.CharField()
    sectors = SectorSerializer(many=True)
    networks = NetworkSerializer(many=True)
    updated_at = serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_region(self, structure):
        return structure.department.region_id if structure.department else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_phone(self, structure):
        return structure.phone.as_e164 if structure.phone else ""


# --- Fiches -----------------------------------------------------------------------------------------
class ParticipantSerializer(serializers.Serializer):
    role = ChoiceField(Participation.Role.choices)
    structure = StructureRefSerializer()


class FigureSerializer(serializers.Serializer):
    value = serializers.DecimalField(max_digits=14, decimal_places=2, coerce_to_string=False)
    unit = serializers.CharField()
    label = serializers.CharField()


class SourceSerializer(serializers.Serializer):
    title = serializers.CharField()
    publisher = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    published_on = serializers.DateField(allow_null=True)
    url = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    url = PublicUrlField()


class CooperationListSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text=_("Identifiant de la fiche, la fin de son adresse."))
    title = serializers.CharField()
    url = PublicUrlField()
    api_url = serializers.SerializerMethodField(help_text=_("Adresse de la fiche dans l'API."))
    level = ChoiceField(Cooperation._meta.get_field("level").choices)
    forms = FormRefSerializer(many=True)
    scope = ChoiceField(Cooperation.Scope.choices)
    regions = RegionSerializer(many=True)
    departments = DepartmentSerializer(many=True)
    summary = serializers.CharField(help_text=_("Résumé, en Markdown."))
    participants = ParticipantSerializer(source="participations", many=True)
    organisation = OrganisationSerializer(
        allow_null=True, help_text=_("Le réseau référent, qui suit la fiche ; null s'il n'y en a pas.")
    )
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, cooperation):
        return absolute(self, reverse("api:cooperation-detail", args=[cooperation.slug]))


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    markdown = serializers.CharField()
    html = serializers.CharField()


class CooperationDetailSerializer(CooperationListSerializer):
    communes = CommuneSerializer(many=True)
    sectors = SectorSerializer(many=True)
    start_year = serializers.IntegerField(allow_null=True)
    jobs_created = serializers.IntegerField(allow_null=True)
    people_supported = serializers.IntegerField(allow_null=True)
    figures = FigureSerializer(many=True)
    figures_text = MarkdownField(help_text=_("Autres chiffres clés."))
    summary_html = serializers.SerializerMethodField()
    sections = serializers.SerializerMethodField(
        help_text=_("Les rubriques remplies, dans l'ordre de la fiche, en Markdown et en HTML assaini.")
    )
    sources = SourceSerializer(many=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_summary_html(self, cooperation):
        return str(render_markdown(cooperation.summary))

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, cooperation):
        return [
            {
                "key": name,
                "title": str(Cooperation._meta.get_field(name).verbose_name),
                "markdown": getattr(cooperation, name),
                "html": str(render_markdown(getattr(cooperation, name))),
            }
            for name in Cooperation.SECTION_FIELDS
            if getattr(cooperation, name)
        ]
