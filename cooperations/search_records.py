"""Recording each search of the list (models/search_record.py) without slowing it and without missing
the pages the page cache serves.

The list view says what it found by an attribute of its response, `search_record` (plain data, kept
when the page cache stores the response); this middleware, placed outside the page cache, writes it
once the response is sent (lib.deferred): one INSERT that the visitor never waits for, for every search
served, from the view or from the cache alike.
"""

import logging

from django.utils import timezone

from lib.deferred import after_response

from .models import SearchRecord
from .models.search_record import folded_query

logger = logging.getLogger(__name__)


def record_of(filterset, count):
    """(query, filters, count) for a search of the list, or None when nothing was searched."""
    if not filterset.search:
        return None
    return folded_query(filterset.search.text), filterset.other_filters(), count


def write(record):
    query, filters, count = record
    if query:
        SearchRecord.objects.create(
            query=query, filters=filters, result_count=count, searched_on=timezone.localdate()
        )


class SearchRecordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        record = getattr(response, "search_record", None)
        if record:
            after_response(response, lambda: write(record))
        return response
