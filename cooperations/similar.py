"""Each published fiche's similar fiches, stored (models.SimilarFiches) when the fiche changes.

search_index.py calls `changed(ids)` wherever a fiche's search data is rewritten: a few fiches (an
edit in the workspace or the admin) have their neighbours computed again once their transaction
commits, once each however many of their links the save touched; a bulk write (an import) forgets
theirs, computed again on the first view of each page. The fiches it is now close to forget
theirs, so that it appears among them; the others keep theirs (a neighbour is a suggestion, not a count;
a fiche gone from the directory is left out when the cards are read, published only).
"""

from django.db import connection, transaction

from lib.cache import fiches_changed

from .models import Cooperation, SimilarFiches

SIMILAR_COUNT = 4
# At most this many fiches changed in one call are computed again at once; more are forgotten.
AT_ONCE = 20


def ids_for(cooperation):
    """The ids of the fiches most like this one: stored, or computed (and stored if it is published;
    a draft previewed by the team is computed each time)."""
    if cooperation.status != Cooperation.Status.PUBLISHED:
        return [other.pk for other in _neighbours(Cooperation.objects.filter(pk=cooperation.pk))[0][1]]
    stored = SimilarFiches.objects.filter(pk=cooperation.pk).values_list("ids", flat=True).first()
    return stored if stored is not None else compute([cooperation.pk]).get(cooperation.pk, [])


def _neighbours(fiches):
    """[(fiche, its similar published fiches)]."""
    fiches = fiches.prefetch_related("forms", "sectors", "regions", "departments")
    return [(fiche, Cooperation.objects.published().similar_to(fiche, SIMILAR_COUNT)) for fiche in fiches]


def compute(cooperation_ids):
    """{id: similar ids} of these fiches, stored (nothing for a fiche that is not published)."""
    fiches = Cooperation.objects.published().filter(pk__in=cooperation_ids)
    found = {fiche.pk: [other.pk for other in similar] for fiche, similar in _neighbours(fiches)}
    SimilarFiches.objects.bulk_create(
        [SimilarFiches(cooperation_id=pk, ids=ids) for pk, ids in found.items()],
        update_conflicts=True,
        unique_fields=["cooperation"],
        update_fields=["ids"],
    )
    return found


def changed(cooperation_ids):
    """These fiches changed: their stored neighbours are forgotten now, and computed again after the
    commit when they are few."""
    ids = list(cooperation_ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cooperations_similarfiches WHERE cooperation_id = ANY(%s)", [ids])
    if len(ids) > AT_ONCE:
        return
    # One set per connection: the first callback to run computes them all, the others find it empty.
    connection.__dict__.setdefault("_similar_pending", set()).update(ids)
    transaction.on_commit(_compute_pending)


def forget_all():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cooperations_similarfiches")


def _compute_pending():
    """Compute the changed fiches' neighbours; forget those of the fiches they are now close to,
    which may now count them among theirs (computed again on their next view)."""
    ids = connection.__dict__.pop("_similar_pending", set())
    if not ids:
        return
    found = compute(sorted(ids))
    close = {pk for neighbours in found.values() for pk in neighbours} - ids
    SimilarFiches.objects.filter(pk__in=close).delete()
    # The neighbours their pages may have cached meanwhile. Whole pages are left to what the save
    # itself forgot: neighbours follow the facets, whose change forgets every fiche's page
    # (dependencies.SIMILAR_TAG), and a save not worked out forgets every page.
    fiches_changed(ids | close, pages=False)
