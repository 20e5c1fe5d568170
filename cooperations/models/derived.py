"""What the list and the fiche page would otherwise compute over the whole directory, kept up to date
on each change: the facet counts of every published fiche, and each fiche's similar fiches.

The list's facet counts over every published fiche are kept in the transaction of each change.

The unfiltered list counts every published fiche by level, form, sector, kind of structure, region and
department: over 100,000 fiches, 1.1 s of SQL each time the cached counts were forgotten. Instead, each
published fiche has a FacetKey row for each value it is counted under, and FacetCount the number of
fiches of each value. When a fiche's search data is rewritten (search_index.py, which every change to
what a fiche is found or counted by goes through), its keys are rewritten too and the counts of the
keys it gained or lost move by one: reading the counts is then one small table (facet_counts.py).
"""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models

from .cooperation import Cooperation


class FacetKey(models.Model):
    """A published fiche counts under this value of this facet ("national": the fiches of national
    scope, counted in every department)."""

    pk = models.CompositePrimaryKey("cooperation_id", "facet", "value")
    # Removed, and the counts moved, by the fiche's post_delete (signals.py), once nothing else of the
    # deletion can write them again (its participations' signals rewrite its keys before it goes).
    cooperation = models.ForeignKey(Cooperation, on_delete=models.DO_NOTHING, related_name="+")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=60)

    def __str__(self):
        return f"{self.cooperation_id} {self.facet}={self.value}"


class FacetCount(models.Model):
    """A move of the number of published fiches of a value: the count is the sum of its rows. Rows
    are only added, so that two transactions moving the same count never wait for each other;
    facet_counts.py merges them now and then."""

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=60)
    n = models.IntegerField()

    def __str__(self):
        return f"{self.facet}={self.value}: {self.n:+d}"


class SimilarFiches(models.Model):
    """The ids of the fiches most like this one (QuerySet.similar_to), best first, computed when the
    fiche changes (similar.py) rather than on the first view of its page: at 100,000 fiches, scoring
    the neighbours reads tens of thousands of links."""

    cooperation = models.OneToOneField(
        Cooperation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    ids = ArrayField(models.BigIntegerField())

    class Meta:
        # A fiche's save finds the pages that show it among their similar fiches (ids @> [its id]).
        indexes = [GinIndex(fields=["ids"], name="similar_fiches_ids_gin")]

    def __str__(self):
        return f"{self.cooperation_id}: {self.ids}"
