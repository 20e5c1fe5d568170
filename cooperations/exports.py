"""Cooperation fiches as a downloadable file, for the public list.

The cells are the columns' own (cooperations.columns), so that the file imports back unchanged; the
fiches they read are built a thousand at a time from plain values: the fiches' fields, their link
tables and participations as tuples, the forms, places, sectors and sources they name read once per
thousand fiches. Ten thousand fiches cost about a second of processor time where model instances with
prefetches cost ten, in constant memory: the CSV is streamed as it is built.
"""

from collections import namedtuple
from urllib.parse import urljoin

from django.urls import reverse
from django.utils import timezone

from lib.sql import ids_subquery
from lib.text import slug_for
from spreadsheets.cells import language_read_once
from spreadsheets.formats import EXPORT_FORMATS

from .columns import COLUMNS, LINK_FIELDS, TEXT_FIELDS
from .models import Cooperation, Participation

FORMATS = tuple(EXPORT_FORMATS)  # csv, xlsx, ods, json
CHUNK = 1000  # fiches read at a time
FIELDS = ("slug", "title", "status", "level", "scope", "start_year", "jobs_created", "people_supported")
FIELDS += TEXT_FIELDS

StructureRow = namedtuple("StructureRow", "name kind siret search_name")
OrganisationRow = namedtuple("OrganisationRow", "name")
ParticipationRow = namedtuple("ParticipationRow", "role structure")


class _Links(list):
    """A relation already read, as the columns read it: `fiche.forms.all()`."""

    def all(self):
        return self


_LISTS = (*LINK_FIELDS, "participations")


class _Fiche:
    """What the columns read of a fiche: its fields and relations as plain attributes. A model
    instance would build a related manager for each `fiche.forms`, which cost more than the rest."""

    Status = Cooperation.Status
    is_published = Cooperation.is_published

    def __init__(self, url, values):
        values.update({name: _Links() for name in _LISTS}, url=url)
        self.__dict__ = values

    def get_absolute_url(self):
        return self.url


def export_cooperations(queryset, fmt, *, base_url="", stream=False):
    """(content, content type, file name) of the fiches of `queryset` in `fmt` (one of FORMATS).

    The content is the file's bytes; with `stream`, a CSV is an iterator of bytes instead, to be sent
    as it is built. `base_url`, the site's address, makes the fiches' addresses absolute.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    file_format = EXPORT_FORMATS[fmt]()
    headers = [str(column.header) for column in COLUMNS]
    rows = exported_rows(queryset, base_url=base_url)
    if stream and fmt == "csv":
        content = file_format.stream(headers, rows)
    else:
        content = file_format.write(
            headers, rows, title=str(Cooperation._meta.verbose_name_plural).capitalize()
        )
    stem = slug_for(str(Cooperation._meta.verbose_name_plural))
    return content, file_format.get_content_type(), f"{stem}-{timezone.localdate().isoformat()}.{fmt}"


def exported_rows(queryset, *, base_url=""):
    """The cells of each fiche of `queryset`, in its order, one list per fiche in COLUMNS' order."""
    if not queryset.query.order_by:
        queryset = queryset.order_by("pk")  # as the admin's export (django-import-export) orders them
    pks = list(queryset.values_list("pk", flat=True))
    # The addresses differ only by the slug: reverse() and urljoin() once, not for every fiche.
    url = reverse("cooperations:detail", args=["-"]).removesuffix("-/")
    root = urljoin(base_url, "/")
    exports = [column.export for column in COLUMNS]
    links = [index for index, column in enumerate(COLUMNS) if column.link]
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        fiches = _fiches(chunk, url)
        # A chunk's rows are built together, the language read once for all their labels, and only
        # then yielded: the export may be streamed from another context than the one that began it.
        with language_read_once():
            rows = []
            for pk in chunk:
                fiche = fiches[pk]
                row = [export(fiche) for export in exports]
                for index in links:
                    if row[index]:
                        row[index] = root + row[index].removeprefix("/")
                rows.append(row)
        del fiches
        yield from rows


def _fiches(pks, url):
    """{pk: _Fiche} of these fiches with their links, participations and organisation: nine queries at
    most, whatever their number."""
    fiches = {}
    chunk = ids_subquery(pks)
    # Unordered: the fiches' own order is the chunk's, and sorting on the model's ordering cost the
    # database as much as reading them.
    for values in (
        Cooperation.objects.filter(pk__in=chunk).order_by().values("pk", *FIELDS, "organisation__name")
    ):
        name = values.pop("organisation__name")
        values["organisation"] = OrganisationRow(name) if name else None
        fiches[values["pk"]] = _Fiche(f"{url}{values['slug']}/", values)
    for name in LINK_FIELDS:
        _read_links(fiches, name, chunk)
    structure_fields = [f"structure__{name}" for name in StructureRow._fields]
    # Unordered: the column sorts them, and the model's ordering joined each participation to its fiche
    # only to sort on the fiche's date and title (two thirds of the query's time).
    participations = Participation.objects.filter(cooperation_id__in=chunk).order_by()
    for fiche, role, *structure in participations.values_list("cooperation_id", "role", *structure_fields):
        fiches[fiche].participations.append(ParticipationRow(role, StructureRow(*structure)))
    return fiches


def _read_links(fiches, name, chunk):
    """Fill the fiches' `name` links, in the order of the linked model, as a prefetch would."""
    field = Cooperation._meta.get_field(name)
    through, model = field.remote_field.through, field.related_model
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    links = list(through.objects.filter(**{f"{source}__in": chunk}).values_list(source, target))
    if not links:
        return
    targets = model.objects.filter(pk__in=ids_subquery({pk for _fiche, pk in links}))
    position = {
        obj.pk: (index, obj) for index, obj in enumerate(targets.order_by(*model._meta.ordering, "pk"))
    }
    for fiche, pk in sorted(links, key=lambda link: position[link[1]][0]):
        getattr(fiches[fiche], name).append(position[pk][1])
