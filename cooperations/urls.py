from django.urls import path

from . import views

app_name = "cooperations"

urlpatterns = [
    path("", views.cooperation_list, name="list"),
    path("export/", views.cooperation_export, name="export"),
    path("<slug:slug>/", views.cooperation_detail, name="detail"),
    path("<slug:slug>/apercu/", views.cooperation_preview, name="preview"),
]
