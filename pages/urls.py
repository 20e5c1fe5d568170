"""The public pages that combine several apps. Territory and structure pages keep their namespaces
(`territories:`, `structures:`), which the models' get_absolute_url() name."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import embed_views, legal_views, network_views, views
from .sitemaps import SITEMAPS

territory_patterns = [
    # /territoires/
    path("", views.territory_index, name="index"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("departements/<slug:slug>/", views.department_detail, name="department"),
]

structure_patterns = [
    # /structures/
    path("", views.structure_list, name="list"),
    path("<slug:slug>/", views.structure_detail, name="detail"),
]

network_patterns = [
    # /reseaux/
    path("", network_views.network_index, name="index"),
    path("<slug:slug>/", network_views.network_detail, name="detail"),
    path("<slug:slug>/logo/", network_views.network_logo, name="logo"),
]

embed_patterns = [
    # /integrer/ : the snippet to paste, and the list it frames on another site
    path("", embed_views.embed_builder, name="builder"),
    path("liste/", embed_views.embed_list, name="list"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("statistiques/", views.statistics, name="statistics"),
    path("mentions-legales/", legal_views.legal_notice, name="legal_notice"),
    path("donnees-personnelles/", legal_views.privacy, name="privacy"),
    path("accessibilite/", legal_views.accessibility_statement, name="accessibility"),
    path("plan-du-site/", legal_views.site_map, name="site_map"),
    path("territoires/", include((territory_patterns, "territories"))),
    path("structures/", include((structure_patterns, "structures"))),
    path("reseaux/", include((network_patterns, "networks"))),
    path("integrer/", include((embed_patterns, "embed"))),
]
