"""Who may do what with the accounts, cell by cell: Administrateurs manage Éditeurs and Administrateurs,
never a superuser, never their own roles, and never the records of what was done."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from editing.roles import ADMINISTRATORS, EDITORS
from tests.factories import UserFactory

User = get_user_model()
ROLES = ("editor", "administrator", "superuser")

# fmt: off
MATRIX = {
    #                                        editor  administrator  superuser
    "list the accounts":                     (False, True,          True),
    "create an Éditeur":                     (False, True,          True),
    "make an Éditeur an Administrateur":     (False, True,          True),
    "change an Administrateur's password":   (False, True,          True),
    "deactivate an Éditeur":                 (False, True,          True),
    "delete an Éditeur":                     (False, True,          True),
    "see a superuser in the list":           (False, False,         True),
    "open a superuser's account":            (False, False,         True),
    "change a superuser's password":         (False, False,         True),
    "delete a superuser":                    (False, False,         True),
    "make an account superuser":             (False, False,         True),
    "give a permission one by one":          (False, False,         True),
    "give a group holding more than one has": (False, False,        True),
    "change one's own roles":                (False, False,         True),
    "deactivate one's own account":          (False, False,         True),
    "change the roles' permissions":         (False, False,         True),
    "unlock a locked-out account":           (False, True,          True),
    "delete the sign-in logs":               (False, False,         True),
}
# fmt: on


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def account_data(user, **changes):
    """What the account form posts for `user`, with `changes`."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def group(name):
    return str(Group.objects.get(name=name).pk)


def list_accounts(client, me):
    editor = UserFactory(editor=True, username="ines")
    response = client.get(reverse("admin:auth_user_changelist"))
    return response.status_code == 200 and change_url(editor) in response.text


def create_editor(client, me):
    client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nouvelle",
            "usable_password": "true",
            "password1": "Un-mot-de-passe-1",
            "password2": "Un-mot-de-passe-1",
        },
    )
    created = User.objects.filter(username="nouvelle").first()
    if created is None:
        return False
    client.post(change_url(created), account_data(created, groups=[group(EDITORS)]))
    created.refresh_from_db()
    # The role opens the administration: staff status comes with it.
    return created.is_staff and list(created.groups.values_list("name", flat=True)) == [EDITORS]


def promote_editor(client, me):
    editor = UserFactory(editor=True)
    client.post(change_url(editor), account_data(editor, groups=[group(ADMINISTRATORS)]))
    return editor.groups.filter(name=ADMINISTRATORS).exists()


def change_password(target):
    def attempt(client, me):
        account = target()
        client.post(
            reverse("admin:auth_user_password_change", args=[account.pk]),
            {"usable_password": "true", "password1": "Repris-par-moi-42", "password2": "Repris-par-moi-42"},
        )
        account.refresh_from_db()
        return account.check_password("Repris-par-moi-42")

    return attempt


def deactivate(target):
    def attempt(client, me):
        account = target(me)
        client.post(change_url(account), account_data(account, is_active=""))
        account.refresh_from_db()
        return not account.is_active

    return attempt


def delete(target):
    def attempt(client, me):
        account = target()
        client.post(reverse("admin:auth_user_delete", args=[account.pk]), {"post": "yes"})
        return not User.objects.filter(pk=account.pk).exists()

    return attempt


def see_superuser_in_list(client, me):
    boss = UserFactory(username="direction", is_superuser=True, is_staff=True)
    return change_url(boss) in client.get(reverse("admin:auth_user_changelist")).text


def open_superuser(client, me):
    boss = UserFactory(username="direction", is_superuser=True, is_staff=True)
    response = client.get(change_url(boss))
    return response.status_code == 200 and 'name="username"' in response.text


def make_superuser(client, me):
    editor = UserFactory(editor=True)
    client.post(change_url(editor), account_data(editor, is_superuser="on"))
    editor.refresh_from_db()
    return editor.is_superuser


def give_permission(client, me):
    editor = UserFactory(editor=True)
    permission = Permission.objects.get(codename="delete_cooperation")
    client.post(change_url(editor), account_data(editor, user_permissions=[str(permission.pk)]))
    return editor.user_permissions.filter(pk=permission.pk).exists()


def give_stronger_group(client, me):
    editor = UserFactory(editor=True)
    stronger = Group.objects.create(name="Gardiens des rôles")
    stronger.permissions.add(Permission.objects.get(codename="change_group"))
    client.post(change_url(editor), account_data(editor, groups=[group(EDITORS), str(stronger.pk)]))
    return editor.groups.filter(pk=stronger.pk).exists()


def change_own_roles(client, me):
    client.post(change_url(me), account_data(me, groups=[group(EDITORS), group(ADMINISTRATORS)]))
    return set(me.groups.values_list("name", flat=True)) >= {EDITORS, ADMINISTRATORS}


def change_role_permissions(client, me):
    editors = Group.objects.get(name=EDITORS)
    permission = Permission.objects.get(codename="delete_cooperation")
    client.post(
        reverse("admin:auth_group_change", args=[editors.pk]),
        {
            "name": EDITORS,
            "permissions": [*map(str, editors.permissions.values_list("pk", flat=True)), str(permission.pk)],
        },
    )
    return editors.permissions.filter(pk=permission.pk).exists()


def unlock(client, me):
    attempt = AccessAttempt.objects.create(username="ines", ip_address="203.0.113.7", failures_since_start=5)
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    return not AccessAttempt.objects.filter(pk=attempt.pk).exists()


def delete_logs(client, me):
    log = AccessLog.objects.create(username="ines", ip_address="203.0.113.7")
    client.post(reverse("admin:axes_accesslog_delete", args=[log.pk]), {"post": "yes"})
    return not AccessLog.objects.filter(pk=log.pk).exists()


def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


ATTEMPTS = {
    "list the accounts": list_accounts,
    "create an Éditeur": create_editor,
    "make an Éditeur an Administrateur": promote_editor,
    "change an Administrateur's password": change_password(lambda: UserFactory(administrator=True)),
    "deactivate an Éditeur": deactivate(lambda me: UserFactory(editor=True)),
    "delete an Éditeur": delete(lambda: UserFactory(editor=True)),
    "see a superuser in the list": see_superuser_in_list,
    "open a superuser's account": open_superuser,
    "change a superuser's password": change_password(superuser),
    "delete a superuser": delete(superuser),
    "make an account superuser": make_superuser,
    "give a permission one by one": give_permission,
    "give a group holding more than one has": give_stronger_group,
    "change one's own roles": change_own_roles,
    "deactivate one's own account": deactivate(lambda me: me),
    "change the roles' permissions": change_role_permissions,
    "unlock a locked-out account": unlock,
    "delete the sign-in logs": delete_logs,
}

CELLS = [
    (action, role, allowed)
    for action, row in MATRIX.items()
    for role, allowed in zip(ROLES, row, strict=True)
]


def test_the_matrix_covers_every_action_for_every_role():
    assert set(ATTEMPTS) == set(MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "role", "allowed"), CELLS, ids=[f"{r} may {a}: {ok}" for a, r, ok in CELLS]
)
def test_each_role_may_do_exactly_what_the_matrix_says(client, action, role, allowed):
    if role == "superuser":
        me = UserFactory(username="moi", is_superuser=True, is_staff=True)
    else:
        me = UserFactory(username="moi", **{role: True})
    client.force_login(me)
    assert ATTEMPTS[action](client, me) is allowed


@pytest.mark.django_db
def test_an_administrator_editing_an_account_keeps_the_groups_they_may_not_give(client):
    client.force_login(UserFactory(administrator=True))
    stronger = Group.objects.create(name="Gardiens des rôles")
    stronger.permissions.add(Permission.objects.get(codename="change_group"))
    editor = UserFactory(editor=True)
    editor.groups.add(stronger)
    client.post(change_url(editor), account_data(editor, first_name="Inès", groups=[group(EDITORS)]))
    editor.refresh_from_db()
    assert editor.first_name == "Inès"
    assert set(editor.groups.values_list("name", flat=True)) == {EDITORS, "Gardiens des rôles"}


@pytest.mark.django_db
def test_the_account_form_offers_an_administrator_only_the_two_roles(client):
    client.force_login(UserFactory(administrator=True))
    editor = UserFactory(editor=True)
    form = client.get(change_url(editor)).context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert [g.name for g in form.fields["groups"].queryset] == [ADMINISTRATORS, EDITORS]
