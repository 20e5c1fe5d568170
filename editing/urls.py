from django.urls import path

from . import stubs, views

app_name = "editing"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # /espace/fiches/
    path("fiches/nouvelle/", views.cooperation_create, name="cooperation_create"),
    path("fiches/<int:pk>/", views.cooperation_edit, name="cooperation_edit"),
    path("fiches/<int:pk>/apercu/", views.cooperation_preview, name="cooperation_preview"),
    # The editor's helpers.
    path("apercu-markdown/", views.markdown_preview, name="markdown_preview"),
    path("structures/", views.structure_search, name="structure_search"),
    path("structures/nouvelle/", views.structure_create, name="structure_create"),
    path("communes/", views.commune_search, name="commune_search"),
    # Until the review and history pages are merged.
    path("a-examiner/", stubs.not_yet, name="review"),
    path("fiches/<int:pk>/historique/", stubs.not_yet, name="history"),
    path("fiches/<int:pk>/historique/comparer/", stubs.not_yet, name="compare"),
    path("fiches/<int:pk>/historique/<int:history_id>/restaurer/", stubs.not_yet, name="restore"),
]
