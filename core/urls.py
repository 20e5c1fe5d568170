from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("cooperations/", include("cooperations.urls")),
    path("structures/", include("structures.urls")),
    path("territoires/", include("territories.urls")),
    path("proposer/", include("proposals.urls")),
    path("", include("editing.urls")),
]
