from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    # /proposer/
    path("proposer/", views.proposal_create, name="create"),
    path("proposer/merci/", views.proposal_thanks, name="thanks"),
    # /cooperations/<slug>/signaler/ : a suggestion on a published fiche
    path("cooperations/<slug:slug>/signaler/", views.correction_create, name="correct"),
    path("cooperations/<slug:slug>/signaler/merci/", views.correction_thanks, name="correction_thanks"),
]
