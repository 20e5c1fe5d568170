from django.urls import path

from . import history_views, review_views, views

app_name = "editing"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # /espace/fiches/
    path("fiches/nouvelle/", views.cooperation_create, name="cooperation_create"),
    path("fiches/<int:pk>/", views.cooperation_edit, name="cooperation_edit"),
    path("fiches/<int:pk>/apercu/", views.cooperation_preview, name="cooperation_preview"),
    # /espace/fiches/<pk>/historique/ : a fiche's versions, compared and restored
    path("fiches/<int:pk>/historique/", history_views.history, name="history"),
    path("fiches/<int:pk>/historique/comparer/", history_views.compare, name="compare"),
    path("fiches/<int:pk>/historique/<int:history_id>/restaurer/", history_views.restore, name="restore"),
    # The editor's helpers.
    path("apercu-markdown/", views.markdown_preview, name="markdown_preview"),
    path("structures/", views.structure_search, name="structure_search"),
    path("structures/nouvelle/", views.structure_create, name="structure_create"),
    # The territory pickers' options: /espace/territoires/communes/?q=…
    path("territoires/<slug:kind>/", views.territory_search, name="territory_search"),
    # /espace/a-examiner/ : what the public sent, waiting for the team
    path("a-examiner/", review_views.review_queue, name="review"),
    path("a-examiner/propositions/<int:pk>/", review_views.proposal_detail, name="review_proposal"),
    path("a-examiner/propositions/<int:pk>/retenir/", review_views.proposal_accept, name="proposal_accept"),
    path("a-examiner/propositions/<int:pk>/ecarter/", review_views.proposal_dismiss, name="proposal_dismiss"),
    path("a-examiner/suggestions/<int:pk>/", review_views.correction_detail, name="review_correction"),
    path(
        "a-examiner/suggestions/<int:pk>/retenir/", review_views.correction_accept, name="correction_accept"
    ),
    path(
        "a-examiner/suggestions/<int:pk>/ecarter/", review_views.correction_dismiss, name="correction_dismiss"
    ),
]
