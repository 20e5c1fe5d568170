"""The read-only API: the published fiches with the list page's own filters, the structures the public
may see (also in data·inclusion's shape), and the reference lists. Each list runs a fixed number of
queries whatever its length (tests/api/test_queries.py)."""

from django.http import Http404
from django.middleware.http import ConditionalGetMiddleware
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cooperations import stats
from cooperations.filters import REASONS, CooperationFilter
from cooperations.models import Cooperation, Level, LevelSheet
from lib import page_cache
from lib.history import moved_or_404
from structures.filters import StructureFilter
from structures.models import Structure
from territories.models import Region

from . import data_inclusion, schema
from .serializers import (
    CooperationDetailSerializer,
    CooperationListSerializer,
    DepartmentWithCountSerializer,
    FormSerializer,
    LevelSerializer,
    RegionWithCountSerializer,
    SectorWithCountSerializer,
    StructureSerializer,
)


class ConditionalGetMixin:
    """An ETag on every answer, and 304 Not Modified when the client already has it (Django's
    ConditionalGetMiddleware, run once DRF has rendered the JSON). It saves the transfer, not the
    queries: the answer is computed to be compared."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "GET" and hasattr(response, "add_post_render_callback"):
            conditional = ConditionalGetMiddleware(lambda _request: response)
            django_request = request._request
            response.add_post_render_callback(
                lambda rendered: conditional.process_response(django_request, rendered)
            )
        return response


# Never from the page cache: the rate limit, `Accept` and `If-None-Match` are the view's to answer.
@page_cache.never
class ReadOnlyViewSet(ConditionalGetMixin, viewsets.GenericViewSet):
    pass


class FollowRenamedMixin:
    """A renamed fiche or structure keeps its old address in the API, as on the site: a permanent
    redirect to the new one (lib/history.py), else 404."""

    detail_view_name = ""

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            return moved_or_404(self.get_queryset(), kwargs["slug"], self.detail_view_name)


# --- Fiches -----------------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(
        summary=_("Les fiches publiées"),
        description=_(
            "Les mêmes filtres, la même recherche et le même tri que la liste des coopérations du site : "
            "une adresse de la liste se lit ici en gardant ses paramètres. Les paramètres répétables "
            "se donnent plusieurs fois (`form=gme&form=ptce`)."
        ),
        parameters=schema.filter_parameters(CooperationFilter),
    ),
    retrieve=extend_schema(summary=_("Une fiche publiée, complète")),
)
@extend_schema(tags=["Coopérations"])
class CooperationViewSet(
    FollowRenamedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadOnlyViewSet
):
    lookup_field = "slug"
    detail_view_name = "api:cooperation-detail"
    serializer_class = CooperationListSerializer

    def get_serializer_class(self):
        return CooperationDetailSerializer if self.action == "retrieve" else CooperationListSerializer

    def get_queryset(self):
        published = Cooperation.objects.published()
        if self.action == "retrieve":
            return published.for_detail()
        filterset = CooperationFilter(self.request.query_params, queryset=published)
        errors = schema.filter_errors(filterset, self.request.query_params)
        if errors:
            raise ValidationError(errors)
        return filterset.qs.for_cards().with_participants()


# --- Structures -------------------------------------------------------------------------------------
def public_structures():
    structures = stats.public_structures(Structure.objects.with_place())
    return structures.prefetch_related("sectors", "networks").order_by("search_name", "pk")


def filtered_structures(request):
    """The public structures with the structure list's filters; 400 with its French messages if one
    of them is not valid."""
    filterset = StructureFilter(request.query_params, queryset=public_structures())
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


STRUCTURE_PARAMETERS = schema.filter_parameters(StructureFilter)


@extend_schema_view(
    list=extend_schema(
        summary=_("Les structures"),
        description=_(
            "Les structures citées par une fiche publiée et celles de l'annuaire qu'aucune fiche ne cite "
            "(jamais celles qui ne figurent que dans des brouillons), avec les filtres de la liste des "
            "structures du site."
        ),
        parameters=STRUCTURE_PARAMETERS,
    ),
    retrieve=extend_schema(summary=_("Une structure")),
)
@extend_schema(tags=["Structures"])
class StructureViewSet(FollowRenamedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadOnlyViewSet):
    lookup_field = "slug"
    detail_view_name = "api:structure-detail"
    serializer_class = StructureSerializer

    def get_queryset(self):
        return filtered_structures(self.request) if self.action == "list" else public_structures()


@extend_schema_view(
    list=extend_schema(
        summary=_("Les structures au format de data·inclusion"),
        description=_(
            "Les mêmes structures, avec les noms de champs du schéma des structures de data·inclusion "
            "(version 1) : `source`, `id`, `nom`, `siret`, `commune`, `code_insee`, `reseaux_porteurs`…"
        ),
        parameters=STRUCTURE_PARAMETERS,
    )
)
@extend_schema(tags=["data·inclusion"])
class DataInclusionStructureViewSet(mixins.ListModelMixin, ReadOnlyViewSet):
    serializer_class = data_inclusion.DataInclusionStructureSerializer

    def get_queryset(self):
        return filtered_structures(self.request)


# --- Reference lists: short, whole, each with its number of published fiches ----------------------
class ReferenceViewSet(mixins.ListModelMixin, ReadOnlyViewSet):
    pagination_class = None


@extend_schema_view(list=extend_schema(summary=_("Les formes de coopération")))
@extend_schema(tags=["Listes de référence"])
class FormViewSet(ReferenceViewSet):
    serializer_class = FormSerializer

    def get_queryset(self):
        return stats.forms_with_counts().order_by("position", "name")


@extend_schema_view(list=extend_schema(summary=_("Les secteurs d'activité")))
@extend_schema(tags=["Listes de référence"])
class SectorViewSet(ReferenceViewSet):
    serializer_class = SectorWithCountSerializer

    def get_queryset(self):
        return stats.sectors_with_counts().order_by("name")


@extend_schema_view(list=extend_schema(summary=_("Les régions")))
@extend_schema(tags=["Listes de référence"])
class RegionViewSet(ReferenceViewSet):
    serializer_class = RegionWithCountSerializer

    def get_queryset(self):
        return stats.regions_with_counts().order_by("code")


@extend_schema_view(
    list=extend_schema(
        summary=_("Les départements"),
        parameters=[OpenApiParameter("region", str, description=_("Code INSEE d'une région."))],
    )
)
@extend_schema(tags=["Listes de référence"])
class DepartmentViewSet(ReferenceViewSet):
    serializer_class = DepartmentWithCountSerializer

    def get_queryset(self):
        departments = stats.departments_with_counts(reach_count=True).order_by("code")
        region = self.request.query_params.get("region", "").strip()
        if not region:
            return departments
        if not Region.objects.filter(code=region).exists():
            raise ValidationError({"region": [str(REASONS["region"]) % {"value": region}]})
        return departments.filter(region_id=region)


@extend_schema_view(list=extend_schema(summary=_("Les niveaux de coopération (typologie de l'Avise)")))
@extend_schema(tags=["Listes de référence"])
class LevelViewSet(ReferenceViewSet):
    serializer_class = LevelSerializer

    def get_queryset(self):
        return LevelSheet.objects.none()  # levels are a fixed list, read in list()

    def list(self, request, *args, **kwargs):
        sheets = {sheet.code: sheet for sheet in LevelSheet.objects.all()}
        counts = dict(stats.level_counts(Cooperation.objects.published()))
        levels = [
            {
                "code": level.value,
                "label": str(level.label),
                "summary": sheets[level].summary if level in sheets else "",
                "description": sheets[level].description if level in sheets else "",
                "cooperation_count": counts[level],
            }
            for level in Level
        ]
        return Response(self.get_serializer(levels, many=True).data)


# --- Documentation ----------------------------------------------------------------------------------
class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored files, its settings in a script of its own: the site's Content
    Security Policy applies unchanged (our template drops the package's inline <style>)."""

    template_name = "api/swagger_ui.html"
    title = "API de Coopérations IAE"
