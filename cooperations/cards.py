"""Fragments of the list and fiche pages rendered once and kept until what they show changes.

Rendering twenty cards and two hundred facet options was most of a list page's time (see
docs/performance.md, « Pages (issue 17) »), and they are the same for every visitor until someone saves.
A card is kept until its fiche changes (fiche_cached_many), the facets and a page's ids until any fiche
does (directory_cached), both until the reference data does (lib/cache.py, dependencies.py), so a
fragment is never older than what it shows. Only published fiches are rendered here, from the same
public querysets as the pages, and nothing here depends on who asks: a fragment holds nothing a visitor
may not see.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import get_language

from lib.cache import digest, directory_cached, fiche_cached_many

from .models import Cooperation

CARD_TEMPLATE = "cooperations/includes/card.html"
FACETS_TEMPLATE = "cooperations/includes/facets.html"


@dataclass
class Card:
    """A fiche's rendered card, what names it (title, address, the search's snippet), and its reach
    when the list groups the fiches by it."""

    pk: int
    html: str
    title: str
    slug: str
    highlighted_title: str = ""
    snippet: str = ""
    reach: int | None = None


def selection_key(filterset):
    """What the facets, their counts and the results depend on: the valid filters and the search, in
    a stable order (two addresses that differ only by a wrong value or the parameters' order share it)."""
    return digest(f"{get_language()}?{filterset.query_string()}")


def rendered_facets(filterset):
    """The facet block's HTML for this selection."""
    return directory_cached(
        f"facets_html:{selection_key(filterset)}",
        lambda: render_to_string(FACETS_TEMPLATE, {"facets": filterset.facets(), "filterset": filterset}),
    )


def page_rows(filterset, page):
    """[(pk,) or (pk, reach)] of the fiches of this page of the list, in order: ranking a common word's
    thousands of matches is the search's costliest query, and its answer changes only with the
    directory."""
    key = f"{selection_key(filterset)}:{filterset.current_sort}:{page.number}"
    return directory_cached(f"list_page:{key}", lambda: [tuple(row) for row in page.object_list])


def rendered_cards(rows, *, search=None, participants=False):
    """[Card] for rows of (pk,) or (pk, reach), in their order.

    One get_many for the page; the fiches whose card is not cached yet are read (published ones only)
    with their forms, places and participants, highlighted for the search, and rendered.
    """
    variant = f"{get_language()}:{int(participants)}:{digest(search.text) if search else ''}"

    def render(missing):
        fiches = Cooperation.objects.published().filter(pk__in=missing).for_cards()
        if participants:
            fiches = fiches.with_participants()
        if search:
            fiches = search.with_highlights(fiches)
        fiches = list(fiches)
        if search:
            search.highlight(fiches)
        return {
            fiche.pk: {
                "html": render_to_string(CARD_TEMPLATE, {"cooperation": fiche, "participants": participants}),
                "title": fiche.title,
                "slug": fiche.slug,
                "highlighted_title": getattr(fiche, "highlighted_title", ""),
                "snippet": getattr(fiche, "snippet", ""),
            }
            for fiche in fiches
        }

    found = fiche_cached_many(f"card:{variant}", [row[0] for row in rows], render)
    reaches = {row[0]: row[1] for row in rows if len(row) > 1}
    return [Card(row[0], **found[row[0]], reach=reaches.get(row[0])) for row in rows if row[0] in found]
