from django.urls import path

from . import views

app_name = "proposals"

# /proposer/
urlpatterns = [
    path("", views.proposal_create, name="create"),
    path("merci/", views.proposal_thanks, name="thanks"),
]
