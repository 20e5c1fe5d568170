from django.urls import path

from . import views

app_name = "alerts"

# /alertes/
urlpatterns = [
    path("suivre/", views.follow_search, name="follow_search"),
    path("suivre/fiche/<slug:slug>/", views.follow_fiche, name="follow_fiche"),
    path("demande-envoyee/", views.request_sent, name="sent"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("reabonner/", views.resubscribe, name="resubscribe"),
    path("gerer/<str:key>/", views.manage, name="manage"),
]
