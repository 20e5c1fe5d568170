"""/api/: the read-only API (v1), its OpenAPI schema and its documentation; /donnees/: the open data."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import open_data, views

router = SimpleRouter()
router.register("cooperations", views.CooperationViewSet, basename="cooperation")
router.register("structures", views.StructureViewSet, basename="structure")
router.register(
    "data-inclusion/structures", views.DataInclusionStructureViewSet, basename="data-inclusion-structure"
)
router.register("forms", views.FormViewSet, basename="form")
router.register("levels", views.LevelViewSet, basename="level")
router.register("sectors", views.SectorViewSet, basename="sector")
router.register("regions", views.RegionViewSet, basename="region")
router.register("departments", views.DepartmentViewSet, basename="department")

app_name = "api"

urlpatterns = [
    # /api/
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", views.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    # /donnees/
    path("donnees/", open_data.open_data, name="open_data"),
    path("donnees/<str:name>", open_data.download, name="open_data_file"),
]
