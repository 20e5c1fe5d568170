"""/donnees/: what the open data holds, its licence, its files as last exported, and the API."""

from datetime import UTC, datetime

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render

from .exports import FILE_NAMES, FILES, load_schema
from .throttling import rate_limit


def exported_files():
    """The export's files present in OPEN_DATA_DIR, with their size and the time they last changed."""
    files = []
    for file in FILES:
        path = settings.OPEN_DATA_DIR / file.name
        if path.is_file():
            stat = path.stat()
            files.append(
                {
                    "file": file,
                    "size": stat.st_size,
                    "modified": datetime.fromtimestamp(stat.st_mtime, tz=UTC),
                }
            )
    return files


def open_data(request):
    files = exported_files()
    context = {
        "files": files,
        # Unchanged files are not rewritten: the latest of them tells when the data last changed.
        "last_export": max((item["modified"] for item in files), default=None),
        "schema": load_schema(),
        "rate": rate_limit(),
    }
    return render(request, "api/open_data.html", context)


def download(request, name):
    file = FILE_NAMES.get(name)
    path = settings.OPEN_DATA_DIR / name
    if file is None or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=f"{file.media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
