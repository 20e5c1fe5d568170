"""Cooperation fiches as a downloadable file, for the admin and the public list."""

from spreadsheets.formats import EXPORT_FORMATS

from .resources import CooperationResource

FORMATS = tuple(EXPORT_FORMATS)  # csv, xlsx, ods, json


def export_cooperations(queryset, fmt, *, base_url=""):
    """(file bytes, content type, file name) of the fiches of `queryset` in `fmt` (one of FORMATS).

    The file imports back with no change: same columns as the import, same spellings. `base_url`, the
    site's address, makes the fiches' addresses absolute.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return CooperationResource(base_url=base_url).export_file(queryset, fmt)
