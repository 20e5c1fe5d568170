from django.urls import path

from . import (
    history_views,
    merge_views,
    network_views,
    review_views,
    search_views,
    source_views,
    structure_views,
    suggestion_views,
    views,
)
from .versioned import FICHES, STRUCTURES

app_name = "editing"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # /espace/fiches/
    path("fiches/nouvelle/", views.cooperation_create, name="cooperation_create"),
    path("fiches/<int:pk>/", views.cooperation_edit, name="cooperation_edit"),
    path("fiches/<int:pk>/apercu/", views.cooperation_preview, name="cooperation_preview"),
    # /espace/fiches/<pk>/historique/ : a fiche's versions, compared and restored
    path("fiches/<int:pk>/historique/", history_views.history, {"subject": FICHES}, name="history"),
    path("fiches/<int:pk>/historique/comparer/", history_views.compare, {"subject": FICHES}, name="compare"),
    path(
        "fiches/<int:pk>/historique/<int:history_id>/restaurer/",
        history_views.restore,
        {"subject": FICHES},
        name="restore",
    ),
    # The fiche editor's helpers.
    path("apercu-markdown/", views.markdown_preview, name="markdown_preview"),
    path("fiches/structures/", views.structure_search, name="structure_search"),
    path("fiches/structures/nouvelle/", views.structure_create, name="structure_create"),
    path("fiches/sources/nouvelle/", source_views.source_quick_create, name="source_quick_create"),
    # The territory pickers' options: /espace/territoires/communes/?q=…
    path("territoires/<slug:kind>/", views.territory_search, name="territory_search"),
    # /espace/structures/
    path("structures/", structure_views.structure_list, name="structures"),
    path("structures/nouvelle/", structure_views.structure_new, name="structure_new"),
    path("structures/<int:pk>/", structure_views.structure_edit, name="structure_edit"),
    path(
        "structures/<int:pk>/historique/",
        history_views.history,
        {"subject": STRUCTURES},
        name="structure_history",
    ),
    path(
        "structures/<int:pk>/historique/comparer/",
        history_views.compare,
        {"subject": STRUCTURES},
        name="structure_compare",
    ),
    path(
        "structures/<int:pk>/historique/<int:history_id>/restaurer/",
        history_views.restore,
        {"subject": STRUCTURES},
        name="structure_restore",
    ),
    # /espace/structures/doublons/ : likely duplicates, merged or set apart
    path("structures/doublons/", merge_views.duplicates, name="duplicates"),
    path("structures/doublons/ecarter/", merge_views.duplicate_dismiss, name="duplicate_dismiss"),
    path("structures/fusionner/", merge_views.merge, name="structure_merge"),
    path("structures/fusions/<int:pk>/annuler/", merge_views.merge_undo, name="structure_merge_undo"),
    # /espace/sources/
    path("sources/", source_views.source_list, name="sources"),
    path("sources/nouvelle/", source_views.source_new, name="source_new"),
    path("sources/<int:pk>/", source_views.source_edit, name="source_edit"),
    # /espace/reseaux/ : the organisations that follow fiches, and their editors
    path("reseaux/", network_views.network_list, name="networks"),
    path("reseaux/nouveau/", network_views.network_new, name="network_new"),
    path("reseaux/<int:pk>/", network_views.network_edit, name="network_edit"),
    # /espace/recherches/ : what visitors searched for without finding it
    path(
        "recherches/sans-resultat/", search_views.searches, {"kind": search_views.NONE}, name="searches_none"
    ),
    path(
        "recherches/peu-de-resultats/", search_views.searches, {"kind": search_views.FEW}, name="searches_few"
    ),
    path("recherches/synonymes/nouveau/", search_views.synonym_new, name="synonym_new"),
    # /espace/a-examiner/ : what the public sent, and what registries know, waiting for the team
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
    path(
        "a-examiner/structures/<int:pk>/",
        suggestion_views.suggestion_detail,
        name="review_structure_suggestion",
    ),
]
