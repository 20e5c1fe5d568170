"""The open-data CSV neutralises formulas with the site's own CSV rule: no published title can run as a
formula in the spreadsheet of whoever downloads the open data."""

import csv
import io
import json

import pytest

from api.exports import build_files
from cooperations.exports import export_cooperations
from cooperations.models import Cooperation
from tests.factories import CooperationFactory

pytestmark = pytest.mark.django_db
TITLE = '=HYPERLINK("https://pirate.example","Cliquez")'


def test_a_title_that_starts_like_a_formula_is_written_as_the_site_export_writes_it():
    CooperationFactory(published=True, title=TITLE, summary="- une liste\n- en Markdown")
    contents, *_counts = build_files("https://cooperations.example.org")
    [row] = csv.DictReader(io.StringIO(contents["cooperations.csv"].decode("utf-8")))
    assert row["titre"] == "'" + TITLE
    assert row["resume"] == "'- une liste\n- en Markdown"
    site, _type, _name = export_cooperations(Cooperation.objects.all(), "csv", base_url="https://x.example/")
    [site_row] = csv.DictReader(io.StringIO(site.decode("utf-8-sig")), delimiter=";")
    assert site_row["titre"] == row["titre"]
    assert json.loads(contents["cooperations.json"])[0]["title"] == TITLE  # typed JSON keeps it exact
