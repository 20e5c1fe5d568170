"""The reference pages, under /formes/: the cooperation forms and the three levels."""

from django.urls import path

from . import form_views as views

app_name = "forms"

urlpatterns = [
    path("", views.form_index, name="index"),
    path("niveaux/", views.level_index, name="levels"),
    path("<slug:code>/", views.form_detail, name="detail"),
]
