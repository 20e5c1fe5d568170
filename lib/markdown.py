"""Markdown rendered to HTML that is safe to show: nh3 keeps only a small allow-list of tags."""

import re
import threading
from functools import lru_cache

import markdown as md
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre",
    "h3", "h4", "h5", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)]) ")


def _open_lists(text):
    """Put a blank line before a list that follows a paragraph line.

    People write « Ce que chacun apporte :\n- la commune… » and expect a list; Python-Markdown, like
    the original Markdown, would read the dashes as part of the paragraph.
    """
    lines = text.splitlines()
    out = []
    for line in lines:
        previous = out[-1] if out else ""
        if (
            _LIST_ITEM.match(line)
            and previous.strip()
            and not _LIST_ITEM.match(previous)
            and not previous.startswith(" ")
        ):
            out.append("")
        out.append(line)
    return "\n".join(out)


_local = threading.local()


def _converter():
    """This thread's Markdown converter: building one costs more than converting a summary, and a
    list page converts twenty of them. A converter keeps state while it works, hence one per thread."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    return converter.reset()


def render_markdown(text):
    if not text:
        return ""
    return _render(text)


# The same text gives the same HTML: a fiche's summary is converted for its card, its page and the
# page's three descriptions; its sections on every view of the page. Keyed by the text itself, an
# entry can never be stale nor show another fiche's words. About 4,000 summaries and sections of a
# few kilobytes: some megabytes a process.
@lru_cache(maxsize=4096)
def _render(text):
    html = _converter().convert(_open_lists(text))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
