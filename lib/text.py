"""Text folding shared by look-ups, de-duplication and search on SQLite."""

import re
import unicodedata

from django.utils.text import slugify

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(value):
    """Lower-case, strip accents, and turn hyphens, apostrophes and punctuation into single spaces.

    "Villeneuve-d'Ascq", "villeneuve d ascq" and "VILLENEUVE D’ASCQ" all fold to "villeneuve d ascq".
    """
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(value))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return _NON_ALNUM.sub(" ", ascii_text.lower()).strip()


def slug_for(value, max_length=80):
    """A readable slug with accents folded: « Écopôle d'Audruicq » -> "ecopole-d-audruicq"."""
    return slugify(fold(value))[:max_length].strip("-")


def unique_slug(instance, value, max_length=80):
    """slug_for(value), made unique within the model by a numeric suffix."""
    base = slug_for(value, max_length) or "fiche"
    slug, n = base, 2
    model = type(instance)
    while model._default_manager.filter(slug=slug).exclude(pk=instance.pk).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug
