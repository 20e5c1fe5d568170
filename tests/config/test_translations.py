"""The French catalogue: three plural forms (none, one, more), and every plural message of the code has
them, so that a count of zero reads « Aucune coopération publiée »."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.utils.translation import ngettext, override

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_counts_read_none_one_more():
    with override("fr"):
        forms = [
            ngettext("%(counter)s coopération publiée", "%(counter)s coopérations publiées", n)
            % {"counter": n}
            for n in (0, 1, 2)
        ]
    assert forms == ["Aucune coopération publiée", "1 coopération publiée", "2 coopérations publiées"]


def test_every_plural_message_of_the_code_has_its_three_forms(tmp_path):
    """The catalogue is brought up to date with the code, in a copy (as `make messages` would do)."""
    copy = tmp_path / "code"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "staticfiles", "var", "tests", "__pycache__", "*.mo"
        ),
    )
    try:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "fr", "--add-location=file", "--verbosity=0"],
            cwd=copy,
            env={**os.environ, "DJANGO_DEBUG": "1"},
            capture_output=True,
            check=True,
        )
    finally:
        # Without DATABASE_URL the copy's settings started its own embedded server: not left running.
        subprocess.run([sys.executable, "-m", "config.database", "stop"], cwd=copy, capture_output=True)
    updated = (copy / CATALOGUE.relative_to(ROOT)).read_text()
    assert "plural=(n == 0 ? 0 : n == 1 ? 1 : 2)" in updated
    incomplete = [
        _text(re.search(r'^msgid ".*"(?:\n".*")*', entry, re.M)[0])
        for entry in updated.split("\n\n")
        if "\nmsgid_plural " in entry
        # A new message guessed from a close one is "fuzzy": left out of the compiled catalogue.
        and (re.search(r"^#, .*fuzzy", entry, re.M) or not _has_three_forms(entry))
    ]
    assert incomplete == [], (
        "Plural messages without their three forms: run `make messages` and fill them in."
    )


def _text(lines):
    """The text of a .po string, which may run over several quoted lines."""
    return "".join(re.findall(r'"(.*)"', lines))


def _has_three_forms(entry):
    forms = re.findall(r'^msgstr\[(\d)\] (".*"(?:\n".*")*)', entry, re.M)
    return [index for index, _lines in forms] == ["0", "1", "2"] and all(_text(lines) for _i, lines in forms)
