from django.urls import path

from . import views
from .feeds import CooperationFeed

app_name = "cooperations"

urlpatterns = [
    path("", views.cooperation_list, name="list"),
    path("export/", views.cooperation_export, name="export"),
    # A dot cannot be in a fiche's address: no fiche can hide the feed.
    path("flux.atom", CooperationFeed(), name="feed"),
    # What a feed is, and the address of the list's feed to copy (like export/, before the fiches).
    path("flux/", views.cooperation_feeds, name="feeds"),
    path("<slug:slug>/", views.cooperation_detail, name="detail"),
    path("<slug:slug>/apercu/", views.cooperation_preview, name="preview"),
]
