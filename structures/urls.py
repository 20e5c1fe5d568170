from django.urls import path

from . import views

app_name = "structures"

urlpatterns = [
    path("", views.structure_list, name="list"),
    path("<slug:slug>/", views.structure_detail, name="detail"),
]
