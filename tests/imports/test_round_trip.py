"""Importing twice changes nothing the second time, and every export imports back with no change."""

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from cooperations.exports import FORMATS, export_cooperations
from cooperations.models import Cooperation, Participation
from structures.models import Structure

from .conftest import run_import

pytestmark = pytest.mark.django_db


def snapshot():
    """Everything an import could change, to compare before and after."""
    fiches = list(Cooperation.objects.order_by("pk").values())
    links = {
        name: sorted(
            getattr(Cooperation, name).through.objects.values_list(*["cooperation_id", f"{field}_id"])
        )
        for name, field in [
            ("forms", "cooperationform"),
            ("regions", "region"),
            ("departments", "department"),
            ("communes", "commune"),
            ("sectors", "sector"),
            ("sources", "source"),
        ]
    }
    participations = sorted(Participation.objects.values_list("pk", "cooperation_id", "structure_id", "role"))
    structures = list(Structure.objects.order_by("pk").values())
    return fiches, links, participations, structures


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_export_of_every_seeded_fiche_imports_back_with_no_change(seeded, fmt):
    count = seeded.counts[("fiches", "created")]
    assert Cooperation.objects.count() == count > 0
    before = snapshot()
    data, content_type, filename = export_cooperations(Cooperation.objects.all(), fmt)
    report = run_import(data)
    assert report.summary() == f"nouvelles : 0 ; modifiées : 0 ; inchangées : {count} ; en erreur : 0", (
        report.messages()
    )
    assert snapshot() == before


def test_the_admin_export_imports_back_through_the_admin_with_no_change_and_no_log(seeded, admin_client):
    response = admin_client.post(
        reverse("admin:cooperations_cooperation_export"),
        {"format": "1", "resource": "0"},  # XLSX, every column
    )
    assert response["Content-Disposition"].startswith('attachment; filename="cooperations-')
    count = seeded.counts[("fiches", "created")]
    assert load_workbook(io.BytesIO(response.content)).active.max_row == count + 1  # the header, the fiches
    before = snapshot()
    upload = io.BytesIO(response.content)
    upload.name = "export.xlsx"
    preview = admin_client.post(
        reverse("admin:cooperations_cooperation_import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )
    assert f"nouvelles : 0 ; modifiées : 0 ; inchangées : {count} ; en erreur : 0" in preview.content.decode()
    confirm = preview.context["confirm_form"].initial
    admin_client.post(reverse("admin:cooperations_cooperation_process_import"), confirm)
    assert snapshot() == before
    assert not LogEntry.objects.exists()
