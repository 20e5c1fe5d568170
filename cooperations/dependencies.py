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

from structures.models import DuplicateDismissal, Network, Sector, Structure
from territories.models import Commune, Department, Region

from .models import Cooperation, CooperationForm, LevelSheet, OutcomeFigure, Participation, Source, Synonym


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
