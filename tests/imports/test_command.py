"""python manage.py import_cooperations FILE [--dry-run] [--user]: progress, summary, exit code."""

import io

import pytest
from django.core.management import CommandError, call_command

from cooperations.models import Cooperation
from structures.models import Structure

from .conftest import HEADER, csv_file, staff_user

pytestmark = pytest.mark.django_db

ROWS = [
    HEADER,
    ["Ressourcerie", "simple", "59", "Interm'Aide Emploi (AI, porteur)"],
    ["Atelier", "renforcée", "62", ""],
]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def run(path, *args, stderr=None):
    stdout, stderr = io.StringIO(), stderr or io.StringIO()
    call_command("import_cooperations", str(path), *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def good_file(tmp_path, reference):
    path = tmp_path / "fiches.csv"
    path.write_bytes(csv_file(ROWS, encoding="cp1252"))
    return path


def test_the_command_imports_and_ends_with_a_summary(good_file):
    stdout, stderr = run(good_file)
    assert stdout == "fiches.csv : nouvelles : 2 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0.\n"
    assert stderr == ""  # no progress bar when the output is not a terminal
    assert Cooperation.objects.count() == 2
    stdout, _ = run(good_file)
    assert stdout == "fiches.csv : nouvelles : 0 ; modifiées : 0 ; inchangées : 2 ; en erreur : 0.\n"


def test_a_dry_run_summarises_and_writes_nothing(good_file):
    stdout, _ = run(good_file, "--dry-run")
    assert stdout == (
        "fiches.csv : nouvelles : 2 ; modifiées : 0 ; inchangées : 0 ; en erreur : 0. "
        "Simulation : rien n'a été enregistré.\n"
    )
    assert not Cooperation.objects.exists()
    assert not Structure.objects.exists()


def test_errors_are_listed_and_the_command_fails_without_writing(tmp_path, reference):
    path = tmp_path / "fiches.csv"
    path.write_bytes(csv_file([*ROWS, ["Cantine", "moyen", "Seine St Denis", ""]]))
    stderr = io.StringIO()
    with pytest.raises(CommandError) as failed:
        run(path, stderr=stderr)
    assert failed.value.returncode == 1
    assert str(failed.value) == (
        "fiches.csv : nouvelles : 2 ; modifiées : 0 ; inchangées : 0 ; en erreur : 1. Rien n'a été "
        "enregistré : corrigez les erreurs ci-dessus."
    )
    assert stderr.getvalue().splitlines() == [
        "Ligne 4, colonne niveau : « moyen » est inconnu. Valeurs possibles : simple, stratégique, "
        "renforcée.",
        "Ligne 4, colonne départements : « Seine St Denis » est inconnu ; vouliez-vous dire 93 "
        "Seine-Saint-Denis ?",
    ]
    assert not Cooperation.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide.csv : Le fichier est vide. Rien n'a été enregistré."),
        (
            b"nom;budget\r\nx;1\r\n",
            "vide.csv : fichier refusé. Rien n'a été enregistré : corrigez les erreurs ci-dessus.",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_fails_the_command(tmp_path, content, message):
    path = tmp_path / "vide.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        run(path)


def test_a_missing_file_or_account_fails_the_command(good_file):
    with pytest.raises(CommandError, match="Le fichier « absent.csv » n'existe pas."):
        run("absent.csv")
    with pytest.raises(CommandError, match="Aucun compte « personne »."):
        run(good_file, "--user", "personne")


def test_the_account_given_is_recorded_and_its_right_to_publish_applies(
    tmp_path, reference, django_user_model
):
    staff_user(django_user_model, "importer", "import_cooperation")
    path = tmp_path / "fiches.csv"
    path.write_bytes(csv_file([["titre", "niveau", "statut"], ["Ressourcerie", "simple", "publiée"]]))
    _, stderr = run(path, "--user", "importer")
    assert (
        stderr
        == "Ligne 2 : Vous n'avez pas le droit de publier ou de dépublier : la fiche reste en brouillon.\n"
    )
    fiche = Cooperation.objects.get()
    assert (fiche.status, fiche.created_by.username) == ("draft", "importer")


def test_without_an_account_the_command_may_publish(tmp_path, reference):
    path = tmp_path / "fiches.csv"
    path.write_bytes(csv_file([["titre", "niveau", "statut"], ["Ressourcerie", "simple", "publiée"]]))
    run(path)
    assert Cooperation.objects.get().status == "published"


def test_a_progress_bar_is_drawn_on_a_terminal(good_file):
    terminal = Terminal()
    run(good_file, stderr=terminal)
    output = terminal.getvalue()
    assert "\rVérification   [##############################] 2/2" in output
    assert "\rÉcriture       [##############################] 4/4" in output
    assert output.endswith("\n")
