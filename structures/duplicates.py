"""Likely duplicate structures: the rules, written once as SQL conditions on another structure, used by
the workspace's filter « doublons possibles » (a subquery) and by the list of pairs to merge.

- the same SIREN (the SIRET is unique: two establishments of one company, or one typed twice);
- the same folded name in the same department (one of them may have none);
- close names for two structures of the same kind, in the same department or one without: similar
  as wholes (pg_trgm similarity), or one name found whole in the other (« DIRECCTE » and « DIRECCTE
  Île-de-France », pg_trgm word similarity).

A pair an editor said is not a duplicate (DuplicateDismissal) is no longer proposed.

Comparing every structure with every other costs seconds on ten thousand of them: the answer is kept in
the directory's cache (lib.cache) until the directory changes, which any structure saved or deleted, a
dismissal, or an import does (cooperations/signals.py).
"""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest, Least, Left
from django.utils.translation import gettext_lazy as _

from lib.cache import directory_cached

from .models import DuplicateDismissal, Structure

# Trigram similarity of two folded names from which they count as close (« Atelier du Toit » and
# « Ateliers du toit angevin »); pg_trgm's % operator (threshold 0.3) finds them through the index.
CLOSE_NAMES = 0.55
# Word similarity from which one name counts as found in the other.
NAME_WITHIN = 0.9

RULES = {
    "siren": _("même SIREN"),
    "name": _("même nom, même département"),
    "close": _("noms proches, même type"),
}


def _others():
    """The structures other than the outer one that no editor set apart from it."""
    dismissed = DuplicateDismissal.objects.filter(
        first=Least(OuterRef(OuterRef("pk")), OuterRef("pk")),
        second=Greatest(OuterRef(OuterRef("pk")), OuterRef("pk")),
    )
    return Structure.objects.exclude(pk=OuterRef("pk")).filter(~Exists(dismissed)).order_by()


def _same_place():
    # Equal departments, or either one unknown.
    return Q(department_id=Coalesce(OuterRef("department_id"), F("department_id"))) | Q(
        department__isnull=True
    )


def matching(rule):
    """The other structures that `rule` pairs with the outer one (OuterRef("pk"))."""
    others = _others()
    if rule == "siren":
        return (
            others.filter(siret__isnull=False)
            .annotate(siren=Left("siret", 9))
            .filter(siren=Left(OuterRef("siret"), 9))
        )
    if rule == "name":
        return others.filter(_same_place(), search_name=OuterRef("search_name"))
    return (
        others.filter(
            _same_place(), kind=OuterRef("kind"), search_name__trigram_similar=OuterRef("search_name")
        )
        .annotate(
            similarity=TrigramSimilarity("search_name", OuterRef("search_name")),
            within=TrigramWordSimilarity(F("search_name"), OuterRef("search_name")),
            around=TrigramWordSimilarity(OuterRef("search_name"), F("search_name")),
        )
        .filter(Q(similarity__gte=CLOSE_NAMES) | Q(within__gte=NAME_WITHIN) | Q(around__gte=NAME_WITHIN))
        .exclude(search_name=OuterRef("search_name"))
    )


def possible_duplicates(structures=None):
    """The structures that at least one rule pairs with another."""
    structures = Structure.objects.all() if structures is None else structures
    condition = Q()
    for rule in RULES:
        condition |= Exists(matching(rule))
    return structures.filter(condition)


def possible_duplicate_ids():
    """The numbers of the structures possible_duplicates() finds, cached until the directory changes."""
    return directory_cached(
        "structures:duplicates", lambda: sorted(possible_duplicates().values_list("pk", flat=True))
    )


def duplicate_pairs(limit=200):
    """[(first, second, [reasons])], each pair once, the lower number first: the pairs are cached until
    the directory changes, their structures read in one query."""
    pairs = directory_cached("structures:duplicate-pairs", lambda: _pairs(limit))
    structures = Structure.objects.with_place().in_bulk({pk for a, b, _rules in pairs for pk in (a, b)})
    return [
        (structures[a], structures[b], [RULES[rule] for rule in rules])
        for a, b, rules in pairs
        if a in structures and b in structures
    ]


def _pairs(limit):
    annotated = possible_duplicates().annotate(
        **{f"{rule}_ids": ArraySubquery(matching(rule).values("pk")) for rule in RULES}
    )
    rows = list(annotated.values_list("pk", *(f"{rule}_ids" for rule in RULES)).order_by("pk")[: limit * 2])
    reasons = {}
    for pk, *ids in rows:
        for rule, others in zip(RULES, ids, strict=True):
            for other in others:
                reasons.setdefault((min(pk, other), max(pk, other)), set()).add(rule)
    return [(a, b, [rule for rule in RULES if rule in reasons[(a, b)]]) for a, b in sorted(reasons)[:limit]]
