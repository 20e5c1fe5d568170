from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("", views.territory_index, name="index"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("departements/<slug:slug>/", views.department_detail, name="department"),
]
