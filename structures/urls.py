from django.urls import path

from . import views

app_name = "structures"

urlpatterns = [
    path("<slug:slug>/", views.structure_detail, name="detail"),
]
