"""`manage.py import_sqlite`: a local SQLite database of the site, as the SQLite default left it,
copied into PostgreSQL.

files/local-site-2026-12.sqlite3.xz was made by `make run` on the SQLite default (commit 3c6ae77,
December 2026), then edited as a team would: an Éditeur « ines » (password motdepasse-ines-2026) who
completed the summary of fiche 1, a new structure and a draft with an internal note, a public proposal,
a suggested correction, two confirmed alerts and a synonym. The communes and EPCI no row names were
then deleted, to keep the file small.
"""

import lzma

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from alerts.models import Subscription
from cooperations.models import Cooperation, Synonym
from cooperations.search import text_search
from proposals.models import Correction, Proposal
from structures.models import Structure

FIXTURE = "tests/devtools/files/local-site-2026-12.sqlite3.xz"


@pytest.fixture
def local_site(tmp_path):
    path = tmp_path / "db.sqlite3"
    with lzma.open(FIXTURE) as source:
        path.write_bytes(source.read())
    return path


def test_it_copies_fiches_accounts_history_proposals_alerts_and_synonyms(db, local_site, capsys, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # the file's
    call_command("import_sqlite", str(local_site), "--no-input")

    assert Cooperation.objects.count() == 43
    edited = Cooperation.objects.get(pk=1)
    assert edited.summary.endswith("Complété par Inès après un appel à la structure porteuse.")
    assert edited.history.count() == 2
    assert edited.history.first().history_user.username == "ines"
    draft = Cooperation.objects.get(title="Chantier partagé des Deux Rives")
    assert draft.status == Cooperation.Status.DRAFT
    assert draft.internal_note == "À vérifier avec la DREETS."
    assert draft.participations.get().structure.name == "Ressourcerie des Deux Rives"
    assert Structure.objects.get(name="Ressourcerie des Deux Rives").email == "contact@deux-rives.example"

    ines = get_user_model().objects.get(username="ines")
    assert ines.check_password("motdepasse-ines-2026")
    assert [group.name for group in ines.groups.all()] == ["Éditeurs"]
    assert ines.has_perm("cooperations.change_cooperation")

    proposal = Proposal.objects.get()
    assert (proposal.contact_email, proposal.cooperation.title) == (
        "paul@exemple.org",
        "Conciergerie solidaire de quartier",
    )
    assert Correction.objects.get().cooperation == edited
    assert sorted(Subscription.objects.values_list("query", "cooperation_id")) == [
        ("", 1),
        ("region=32&form=gme", None),
    ]
    assert Synonym.objects.filter(terms="atelier chantier d'insertion; ACI").exists()
    assert "43 fiches" in capsys.readouterr().out


def test_the_copy_is_searchable_and_new_rows_take_the_next_ids(db, local_site):
    call_command("import_sqlite", str(local_site), "--no-input")

    found = text_search("appel structure porteuse").filter(Cooperation.objects.published())
    assert [fiche.pk for fiche in found] == [1]
    assert Cooperation.objects.create(title="Une fiche de plus").pk == 44


def test_a_dry_run_counts_and_copies_nothing(db, local_site, capsys):
    before = Cooperation.objects.count()
    call_command("import_sqlite", str(local_site), "--dry-run")
    assert Cooperation.objects.count() == before
    output = capsys.readouterr().out
    assert "dont 43 fiches" in output
    assert "cooperations_synonym : 31" in output


def test_a_missing_file_is_named_in_french(db, tmp_path):
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("import_sqlite", str(tmp_path / "absent.sqlite3"))


def test_a_file_that_is_not_the_sites_database_is_refused(db, tmp_path):
    other = tmp_path / "other.sqlite3"
    other.write_bytes(b"not a database at all")
    with pytest.raises(CommandError, match="n'est pas une base SQLite du site"):
        call_command("import_sqlite", str(other), "--dry-run")
