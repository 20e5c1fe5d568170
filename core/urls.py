from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("statistiques/", views.statistics, name="statistics"),
    path("formes/", include("cooperations.form_urls")),
    path("cooperations/", include("cooperations.urls")),
    path("structures/", include("structures.urls")),
    path("territoires/", include("territories.urls")),
]
