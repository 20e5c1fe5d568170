"""What each saved row can alter, declared in one place: the fiches' copies (search data, facet keys)
and the caches.

Caches (lib/cache.py). What shows one fiche (its card, its page's layout) is kept until that fiche
changes; what counts or lists fiches (facets, pages of ids, searches, home counts) until any fiche
does; everything until the reference data does. SHOWN_BY names, for each model whose rows a fiche's
own fragments show, the fiches that show a given row; REFERENCE, the models whose rows every page may
show (a form's, an organisation's or a territory's name, a synonym, a level's sheet). signals.py
connects both.

A fiche's search data (search_index.py) copies names from other tables: its participants' names and
kinds, its forms, sectors, regions, departments (with their region's name) and communes. For each of
those models, COPIED names the fields that are copied (and those the facet counts are keyed by:
facet_counts.py) and FICHES the SQL that finds the fiches holding
a copy of given rows (`%(ids)s`: an array of their primary keys). signals.py connects the receivers
from these declarations: a save that changes a copied field, an upsert of `load_territories`, rewrites
the search data of those fiches, those that held a copy before the save and after it, in the save's
transaction.
"""

from contextlib import contextmanager

from django.db import connection

from lib.cache import EVERY_CHANGE_TAG, pages_worked_out, tags_changed
from structures.models import DuplicateDismissal, Network, Sector, Structure
from territories.models import Commune, Department, Region

from .models import (
    Cooperation,
    CooperationForm,
    LevelSheet,
    OutcomeFigure,
    Participation,
    SimilarFiches,
    Source,
    Synonym,
    reach,
)


def _linked(relation, column):
    return f"SELECT cooperation_id FROM cooperations_cooperation_{relation} WHERE {column} = ANY(%(ids)s)"


COPIED = {
    Structure: ("name", "kind"),
    CooperationForm: ("name", "short_name", "code"),
    Sector: ("name", "slug"),
    Region: ("name",),
    Department: ("name", "region_id"),
    Commune: ("name",),
}

FICHES = {
    Structure: "SELECT cooperation_id FROM cooperations_participation WHERE structure_id = ANY(%(ids)s)",
    CooperationForm: _linked("forms", "cooperationform_id"),
    Sector: _linked("sectors", "sector_id"),
    # A department's text carries its region's name.
    Region: _linked("regions", "region_id")
    + " UNION SELECT l.cooperation_id FROM cooperations_cooperation_departments AS l"
    " JOIN territories_department AS d ON d.code = l.department_id WHERE d.region_id = ANY(%(ids)s)",
    # Its region's fiches count in it too (models/reach.py): those of the region, before and after a move.
    Department: _linked("departments", "department_id")
    + " UNION SELECT l.cooperation_id FROM cooperations_cooperation_regions AS l"
    " JOIN territories_department AS d ON d.region_id = l.region_id WHERE d.code = ANY(%(ids)s)"
    " UNION SELECT l.cooperation_id FROM cooperations_cooperation_departments AS l"
    " JOIN territories_department AS placed ON placed.code = l.department_id"
    " JOIN territories_department AS d ON d.region_id = placed.region_id WHERE d.code = ANY(%(ids)s)",
    Commune: _linked("communes", "commune_id"),
}


def copied_values(instance):
    """The values of `instance` that some fiche's search data copies."""
    return tuple(getattr(instance, field) for field in COPIED[type(instance)])


# --- Caches ------------------------------------------------------------------------------------------

# model -> the ids of the fiches whose own fragments show a row: a function of the row, or SQL.
SHOWN_BY = {
    Cooperation: lambda row: [row.pk],
    Participation: lambda row: [row.cooperation_id],
    OutcomeFigure: lambda row: [row.cooperation_id],
    Structure: FICHES[Structure],
    Source: _linked("sources", "source_id"),
    # The likely duplicates of the structures' workspace (structures/duplicates.py), cached with the
    # lists: no fiche shows them.
    DuplicateDismissal: lambda row: [],
}
# Network: the organisation a fiche names (« Fiche suivie par … ») and the list's choice of organisations.
REFERENCE = (CooperationForm, Sector, Network, Region, Department, Commune, Synonym, LevelSheet)
# A fiche's links, changed from either side: the fiche's own fragments show them.
LINKS = tuple(
    getattr(Cooperation, name).through
    for name in ("forms", "sectors", "regions", "departments", "communes", "sources")
)


# --- Whole pages (lib/page_cache.py) -----------------------------------------------------------------
# A page is keyed by the tags of what it shows; a fiche saved from the editor (`fiche_change`) replaces
# the tags its change can alter, worked out from what the public saw of it before and after the save
# (`listing`). Any other change (an import, a structure's or a reference row's save) forgets every page.
#
# What each page shows, hence its tags:
# - a fiche's page: that fiche (`fiche:<slug>`), the cards of its similar fiches, chosen by the
#   fiches' facets (SIMILAR_TAG);
# - a list or search page: the cards of the fiches that pass all its filters and every facet's counts
#   (FACETS_TAG: any change to a fiche's facets or to what is published), the cards of the fiches
#   having one of its chosen values (`region:<code>`…, or LISTED_TAG when it chooses none: years, sort
#   and pages alone show any fiche), and for a search, the fiches whose text it finds (SEARCH_TAG);
# - any other page (home counts, territories, statistics, feeds…): EVERY_CHANGE_TAG.
FACETS_TAG = "facets"
LISTED_TAG = "listed"
SEARCH_TAG = "search"
SIMILAR_TAG = "similar"
# A list's parameter -> the facet it chooses values of.
LIST_FACETS = {
    "region": "region",
    "department": "department",
    "level": "level",
    "form": "form",
    "sector": "sector",
    "structure_kind": "kind",
    "organisation": "organisation",
}
# What a fiche's card, a list's order or the feeds do not show: a change to these alone leaves lists alone
# (a search finds them: SEARCH_FIELDS).
BODY_FIELDS = (*Cooperation.SECTION_FIELDS, "figures_text", "jobs_created", "people_supported")
UNSHOWN_FIELDS = ("internal_note", "updated_at", "updated_by", "version", "search_vector")
SEARCH_FIELDS = BODY_FIELDS


def list_page_tags(query, **kwargs):
    """The tags of a list or search page for its (declared) query."""
    tags = {FACETS_TAG}
    chosen = {f"{LIST_FACETS[name]}:{value}" for name in LIST_FACETS for value in query.getlist(name)}
    tags |= chosen or {LISTED_TAG}
    if any(value.strip() for value in query.getlist("q")):
        tags.add(SEARCH_TAG)
    return sorted(tags)


def fiche_page_tags(query, slug, **kwargs):
    return [f"fiche:{slug}", SIMILAR_TAG]


def listing(pk):
    """What the public sees of a fiche, as comparable values: {"slug", "facets", "listed", "searched"};
    None when it is not published."""
    fiche = Cooperation.objects.published().filter(pk=pk).select_related("organisation").first()
    if fiche is None:
        return None
    regions = set(fiche.regions.values_list("code", flat=True))
    departments = set(fiche.departments.values_list("code", flat=True))
    # The territories whose lists show it (models/reach.py: its departments' regions, every department of
    # its regions, all of them for a national fiche).
    regions_reached, departments_reached = (
        _reached(kind, fiche.pk) for kind in (reach.REGION, reach.DEPARTMENT)
    )
    participants = sorted(
        fiche.participations.values_list("structure_id", "structure__name", "structure__kind", "role")
    )
    facets = {
        ("level", fiche.level),
        *(("region", code) for code in regions_reached),
        *(("department", code) for code in departments_reached),
        *(("form", code) for code in fiche.forms.values_list("code", flat=True)),
        *(("sector", slug) for slug in fiche.sectors.values_list("slug", flat=True)),
        *(("kind", kind) for _, _, kind, _ in participants),
    }
    if fiche.organisation is not None:
        facets.add(("organisation", fiche.organisation.slug))
    skipped = {*BODY_FIELDS, *UNSHOWN_FIELDS}
    fields = [field.attname for field in Cooperation._meta.concrete_fields if field.name not in skipped]
    listed = (
        tuple(getattr(fiche, name) for name in fields),
        sorted(fiche.communes.values_list("pk", flat=True)),
        sorted(fiche.forms.values_list("pk", flat=True)),
        sorted(regions),
        sorted(departments),
        participants,
    )
    return {
        "slug": fiche.slug,
        "facets": facets,
        "listed": listed,
        "searched": tuple(getattr(fiche, name) for name in SEARCH_FIELDS),
    }


def changed_tags(pk, before, after):
    """The page tags that a fiche's change from `before` to `after` (listing()) can alter."""
    tags = {EVERY_CHANGE_TAG}
    shown = [state for state in (before, after) if state is not None]
    tags |= {f"fiche:{state['slug']}" for state in shown}
    if not shown:  # a draft stays a draft
        return tags
    if before is None or after is None or before["facets"] != after["facets"]:
        tags |= {FACETS_TAG, SIMILAR_TAG, LISTED_TAG, SEARCH_TAG}
    if before is None or after is None or before["listed"] != after["listed"]:
        tags.add(LISTED_TAG)
        tags |= {f"{facet}:{value}" for state in shown for facet, value in state["facets"]}
        # The pages that show it among their similar fiches.
        showing = SimilarFiches.objects.filter(ids__contains=[pk]).values_list("cooperation__slug", flat=True)
        tags |= {f"fiche:{slug}" for slug in showing}
    if before is None or after is None or before["searched"] != after["searched"]:
        tags.add(SEARCH_TAG)
    return tags


def _reached(kind, pk):
    """The codes of the territories of `kind` that this fiche belongs to (models/reach.py)."""
    one = f"(SELECT id, scope FROM {reach.FICHES} WHERE id = %(pk)s) AS one"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT code FROM ({reach.pairs(kind, one)}) AS r", {"pk": pk})
        return {code for (code,) in cursor.fetchall()}


@contextmanager
def fiche_change(cooperation):
    """Around the save of a fiche from the editor: forget only the pages its change can alter. A new
    fiche has no id yet: its save forgets every page."""
    pk = cooperation.pk
    if pk is None:
        yield
        return
    before = listing(pk)
    with pages_worked_out([pk]):
        yield
    tags_changed(changed_tags(pk, before, listing(pk)))
