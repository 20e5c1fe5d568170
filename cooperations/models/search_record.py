"""What visitors search for, kept to improve the search: the folded query, the filters, how many fiches
it found and the day. Nothing that identifies the visitor: no address, no cookie, no session, no time of
day. Deleted after SEARCH_RECORD_MONTHS (pages/retention.py, `manage.py erase_personal_data`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.text import fold

SEARCH_RECORD_MONTHS = 13
# Longer queries are cut (the list refuses more than 200 characters already).
QUERY_LENGTH = 200
# « Peu de résultats »: at most this many fiches.
FEW_RESULTS = 3


def folded_query(text):
    """The query as it is counted: folded, blanks collapsed, bounded (« Écopôle  d'Audruicq » and
    « ecopole d audruicq » are one search)."""
    return " ".join(fold(text or "").split())[:QUERY_LENGTH]


class SearchRecordQuerySet(models.QuerySet):
    def between(self, start, end):
        return self.filter(searched_on__gte=start, searched_on__lte=end)

    def without_results(self):
        return self.filter(result_count=0)

    def with_few_results(self):
        return self.filter(result_count__gte=1, result_count__lte=FEW_RESULTS)

    def grouped(self):
        """One row per folded query: how many searches, the last day, the fewest and most fiches found."""
        return (
            self.values("query")
            .annotate(
                searches=models.Count("pk"),
                last_searched_on=models.Max("searched_on"),
                fewest=models.Min("result_count"),
                most=models.Max("result_count"),
            )
            .order_by("-searches", "-last_searched_on", "query")
        )


class SearchRecord(models.Model):
    query = models.CharField(_("recherche"), max_length=QUERY_LENGTH)
    # The list's other filters, by name: {"region": "76", "sector": ["batiment"]}; the known ones only.
    filters = models.JSONField(_("filtres"), default=dict, blank=True)
    result_count = models.PositiveIntegerField(_("fiches trouvées"))
    searched_on = models.DateField(_("date"))

    objects = SearchRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("recherche faite")
        verbose_name_plural = _("recherches faites")
        indexes = [models.Index(fields=["searched_on", "result_count"], name="search_record_day_count")]

    def __str__(self):
        return f"{self.query} ({self.result_count})"
