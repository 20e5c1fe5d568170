"""/sitemap.xml: the pages search engines should know, each with the date its content last changed.

Published fiches, the structures that take part in one, the territories that have one, the forms'
resource sheets and the main pages; a query or two a section (the long ones are counted first, to be
cut into pages of 50,000 addresses). A page's date is that of the latest change to what it shows (a
territory's page changes with its fiches).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from cooperations.models import Cooperation, CooperationForm, reach
from structures.models import Network, Structure
from territories.models import Department, Region

PUBLISHED = Cooperation.Status.PUBLISHED


def _latest(*dates):
    dates = [date for date in dates if date is not None]
    return max(dates) if dates else None


class MainPagesSitemap(Sitemap):
    # The pages that list the fiches change with them; the proposal form does not.
    LISTING = [
        "home",
        "cooperations:list",
        "structures:list",
        "territories:index",
        "networks:index",
        "statistics",
    ]
    OTHERS = [
        "forms:index",
        "forms:levels",
        "proposals:create",
        "api:open_data",
        "cooperations:feeds",
        "embed:builder",
        "legal_notice",
        "privacy",
        "accessibility",
        "site_map",
    ]

    def items(self):
        self.directory_date = Cooperation.objects.published().aggregate(date=Max("updated_at"))["date"]
        return self.LISTING + self.OTHERS

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return self.directory_date if name in self.LISTING else None


class CooperationSitemap(Sitemap):
    def items(self):
        return Cooperation.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, cooperation):
        return cooperation.updated_at


class StructureSitemap(Sitemap):
    """Structures named in a published fiche: the others' pages have nothing to show yet."""

    def items(self):
        latest_fiche = Max(
            "participations__cooperation__updated_at",
            filter=Q(participations__cooperation__status=PUBLISHED),
        )
        return (
            Structure.objects.annotate(fiche_date=latest_fiche)
            .filter(fiche_date__isnull=False)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, structure):
        return _latest(structure.updated_at, structure.fiche_date)


def _with_latest_changes(model, kind):
    """The territories with published fiches (models/reach.py), each with `latest`, when they last
    changed, and `latest_own`, when those placed in it did (None if it has none), in one query."""
    table = model._meta.db_table
    return model.objects.raw(
        f"SELECT t.*, c.latest, c.latest_own FROM {table} AS t"
        f" JOIN ({reach.latest_changes(kind)}) AS c ON c.code = t.code ORDER BY t.code"
    )


class RegionSitemap(Sitemap):
    """Regions with a published fiche, placed in the region itself or in one of its departments."""

    def items(self):
        return list(_with_latest_changes(Region, reach.REGION))

    def lastmod(self, region):
        return region.latest


class DepartmentSitemap(Sitemap):
    """Departments with a published fiche of their own; their page changes with those of their region
    and the national ones too."""

    def items(self):
        return [
            department
            for department in _with_latest_changes(Department, reach.DEPARTMENT)
            if department.latest_own
        ]

    def lastmod(self, department):
        return department.latest


class FormSitemap(Sitemap):
    """Every form's resource sheet, dated by the latest of its published fiches when it has some."""

    def items(self):
        forms = CooperationForm.objects.annotate(
            fiche_date=Max("cooperations__updated_at", filter=Q(cooperations__status=PUBLISHED))
        )
        return list(forms.order_by("position", "name"))

    def lastmod(self, form):
        return form.fiche_date


class NetworkSitemap(Sitemap):
    """The organisations that follow a published fiche, dated by the latest of them."""

    def items(self):
        latest_fiche = Max(
            "curated_cooperations__updated_at", filter=Q(curated_cooperations__status=PUBLISHED)
        )
        return list(
            Network.objects.annotate(fiche_date=latest_fiche)
            .filter(fiche_date__isnull=False)
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, network):
        return network.fiche_date


SITEMAPS = {
    "pages": MainPagesSitemap,
    "cooperations": CooperationSitemap,
    "structures": StructureSitemap,
    "regions": RegionSitemap,
    "departments": DepartmentSitemap,
    "forms": FormSitemap,
    "networks": NetworkSitemap,
}
