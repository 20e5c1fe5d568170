"""Text folding shared by look-ups, de-duplication, slugs and the search's reading of a query."""

import re
import unicodedata

from django import forms
from django.db import IntegrityError, transaction
from django.utils.text import slugify

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_LINE_END = re.compile(r"[ \t\u00a0]*(?:\r\n|\r|\n)")


def normalize_text(value):
    """A text as people see it: line ends as "\n" (a browser sends "\r\n", a spreadsheet "\r"), no
    spaces at the end of a line, nor blank lines or spaces around the whole. Two texts that read the same
    are then equal, whether typed in the editor, saved in the admin or read back from an export."""
    if not value:
        return ""
    return _LINE_END.sub("\n", str(value)).strip()


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
    """A readable slug with accents folded: « Écopôle d'Audruicq » -> "ecopole-d-audruicq"; the one rule
    for every slug, whoever makes it (seeds, imports, the admin). A long one is cut after a whole word."""
    slug = slugify(fold(value))
    if len(slug) <= max_length:
        return slug
    cut = slug[: max_length + 1]
    if cut[-1] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]  # the last word is incomplete: leave it out
    return cut[:max_length].strip("-")


class NormalizedTextField(forms.CharField):
    """A text whose value is normalize_text()'d: sent back unchanged by a browser (with "\r\n"), it is
    unchanged for the form too (has_changed)."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


class SlugFormMixin:
    """For a model form with a `slug`: left empty, the model's save() makes it from the name or title;
    typed, it is folded by slug_for, « L'ACI du Nord » giving "l-aci-du-nord", as everywhere else."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            model_field = self.fields["slug"]
            # Any text is welcome: folded below, it becomes a valid slug.
            self.fields["slug"] = forms.CharField(
                label=model_field.label,
                help_text=model_field.help_text,
                max_length=model_field.max_length,
                required=False,
            )

    def clean_slug(self):
        return slug_for(self.cleaned_data.get("slug") or "")


def unique_slug(instance, value, max_length=80):
    """slug_for(value), made unique within the model by a numeric suffix."""
    base = slug_for(value, max_length) or "fiche"
    slug, n = base, 2
    model = type(instance)
    while model._default_manager.filter(slug=slug).exclude(pk=instance.pk).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


SLUG_ATTEMPTS = 5


def save_with_unique_slug(instance, value, save, max_length=80):
    """Give `instance` a free slug made from `value` and `save()` it. The check and the insert are not
    atomic: two saves of the same title at the same moment both find the slug free. The unique index
    decides, and the one that loses tries again in a savepoint, with the slug the other one took now
    seen as taken."""
    for attempt in range(SLUG_ATTEMPTS):
        instance.slug = unique_slug(instance, value, max_length)
        try:
            with transaction.atomic():
                return save()
        except IntegrityError as error:
            if "slug" not in str(error) or attempt == SLUG_ATTEMPTS - 1:
                raise
