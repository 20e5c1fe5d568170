"""manage.py create_editor: an Éditeur's or Administrateur's account in one command, as the README says."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from editing.roles import ADMINISTRATORS, EDITORS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def run(*args, passwords=()):
    out = StringIO()
    answers = iter(passwords)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("getpass.getpass", lambda prompt: next(answers))
        call_command("create_editor", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_an_editor_is_created_with_the_role_and_the_password_typed_twice():
    out = run(
        "ines", "--email", "ines@reseau.example", "--first-name", "Inès", passwords=["Un-Mot-De-Passe-42"] * 2
    )
    user = User.objects.get(username="ines")
    assert (user.email, user.first_name, user.is_staff) == ("ines@reseau.example", "Inès", True)
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    assert user.check_password("Un-Mot-De-Passe-42")
    assert out == "Compte « ines » créé : Éditeurs.\n"


def test_without_input_the_person_chooses_the_password_through_the_forgotten_password_page():
    out = run("ines", "--email", "ines@reseau.example", "--no-input")
    assert not User.objects.get(username="ines").has_usable_password()
    assert "« Mot de passe oublié »" in out


def test_a_weak_or_mistyped_password_is_asked_again_then_refused():
    with pytest.raises(CommandError, match="rien n'a été créé"):
        run("ines", "--email", "i@x.example", passwords=["1234", "1234", "Un-Mot", "Autre", "ines", "ines"])
    assert not User.objects.filter(username="ines").exists()


def test_an_existing_account_gets_the_administrator_role_and_keeps_its_password():
    user = UserFactory(username="ines", editor=True)
    out = run("ines", "--email", "ines@reseau.example", "--administrateur")
    user.refresh_from_db()
    assert set(user.groups.values_list("name", flat=True)) == {EDITORS, ADMINISTRATORS}
    assert user.check_password("mot-de-passe-de-test")
    assert out == "Compte « ines » mis à jour : Administrateurs.\n"


def test_the_readme_tells_how_to_create_an_editor():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "manage.py create_editor" in readme
