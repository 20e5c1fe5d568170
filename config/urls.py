from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Coopérations IAE — administration")
admin.site.site_title = _("Coopérations IAE")
admin.site.index_title = _("Fiches, structures et comptes")

# The 400, 403 and 404 pages are Django's views with our templates; the 500 one also answers 503 when
# the database is unreachable.
handler500 = "pages.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("espace/", include("editing.urls")),
    path("", include("pages.urls")),
    path("cooperations/", include("cooperations.urls")),
    path("formes/", include("cooperations.form_urls")),
    path("", include("proposals.urls")),
    path("alertes/", include("alerts.urls")),
    path("", include("api.urls")),
    path("", include("accounts.urls")),
]
