"""The public pages that `make lighthouse` measures, one "name<TAB>path" line each, read from the URLconfs
and from the database (the first published fiche, its first structure, region, department and sector).

    python manage.py shell < loadtest/lighthouse_urls.py

Left out: the workspace (/espace/) and the admin (staff only), /api/docs/ (Swagger UI, a developer's tool
loaded from its own assets, not a page of the site), the feeds, exports, files and API answers (no page
to render), the pages reached only through a link in an e-mail (confirm, unsubscribe, manage, password
reset by token) and the "thank you" pages after a form.
"""

from urllib.parse import urlencode

from django.urls import reverse

from cooperations.models import Cooperation, CooperationForm
from structures.models import Structure

fiche = Cooperation.objects.published().order_by("pk").first()
structure = Structure.objects.filter(participations__cooperation=fiche).order_by("pk").first()
region = fiche.regions.order_by("pk").first() or fiche.departments.order_by("pk").first().region
department = region.departments.order_by("pk").first()
sector = fiche.sectors.order_by("pk").first()
form = CooperationForm.objects.order_by("pk").first()
list_url = reverse("cooperations:list")
filters = {"region": region.code, "level": fiche.level}
if sector is not None:
    filters["sector"] = sector.slug

pages = [
    ("Accueil", reverse("home")),
    ("Coopérations", list_url),
    ("Coopérations, recherche", f"{list_url}?{urlencode({'q': 'insertion'})}"),
    ("Coopérations, filtres", f"{list_url}?{urlencode(filters)}"),
    ("Fiche", fiche.get_absolute_url()),
    ("Statistiques", reverse("statistics")),
    ("Territoires", reverse("territories:index")),
    ("Région", region.get_absolute_url()),
    ("Département", department.get_absolute_url()),
    ("Structures", reverse("structures:list")),
    ("Structure", structure.get_absolute_url()),
    ("Formes", reverse("forms:index")),
    ("Forme", form.get_absolute_url()),
    ("Niveaux", reverse("forms:levels")),
    ("Données ouvertes", reverse("api:open_data")),
    ("Proposer une coopération", reverse("proposals:create")),
    ("Signaler une correction", reverse("proposals:correct", args=[fiche.slug])),
    ("Suivre une recherche", reverse("alerts:follow_search")),
    ("Suivre une fiche", reverse("alerts:follow_fiche", args=[fiche.slug])),
    ("Connexion", reverse("login")),
    ("Mot de passe oublié", reverse("password_reset")),
]
for name, path in pages:
    print(f"{name}\t{path}")
