import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from editing.roles import ADMINISTRATORS, EDITOR_PERMISSIONS, EDITORS, sync_roles


def codenames(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


@pytest.mark.django_db
def test_the_migration_gives_editors_exactly_their_permissions():
    expected = {f"{app}.{codename}" for app, names in EDITOR_PERMISSIONS.items() for codename in names}
    assert codenames(EDITORS) == expected


@pytest.mark.django_db
def test_editors_may_publish_but_not_delete_import_or_manage_accounts():
    permissions = codenames(EDITORS)
    assert "cooperations.publish_cooperation" in permissions
    forbidden = {
        "cooperations.delete_cooperation",
        "structures.delete_structure",
        "cooperations.import_cooperation",
        "structures.import_structure",
        "auth.add_user",
        "auth.change_user",
        "auth.change_group",
    }
    assert permissions.isdisjoint(forbidden)


@pytest.mark.django_db
def test_administrators_hold_every_permission_but_the_roles_the_records_and_djangos_bookkeeping():
    everything = {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }
    withheld = everything - codenames(ADMINISTRATORS)
    assert {
        "auth.change_group",
        "auth.add_group",
        "auth.change_permission",
        "admin.delete_logentry",
        "axes.delete_accesslog",
        "axes.delete_accessfailurelog",
        "axes.change_accessattempt",
        "cooperations.delete_historicalcooperation",
        "structures.change_historicalstructure",
        "sessions.delete_session",
        "sessions.view_session",
    } <= withheld
    assert {
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.view_group",
        "axes.view_accesslog",
        "axes.delete_accessattempt",
        "cooperations.delete_cooperation",
        "cooperations.import_cooperation",
        "cooperations.view_historicalcooperation",
        "structures.import_structure",
        "proposals.delete_proposal",
    } <= codenames(ADMINISTRATORS)
    assert all(
        codename.split(".")[1].startswith(("add_", "change_", "delete_", "view_")) for codename in withheld
    )


@pytest.mark.django_db
def test_syncing_again_changes_nothing():
    before = (codenames(EDITORS), codenames(ADMINISTRATORS), Group.objects.count())
    sync_roles(apps)
    sync_roles(apps)
    assert (codenames(EDITORS), codenames(ADMINISTRATORS), Group.objects.count()) == before


@pytest.mark.django_db
def test_a_permission_created_later_reaches_the_administrators_only():
    content_type = ContentType.objects.get(app_label="cooperations", model="cooperation")
    Permission.objects.create(codename="archive_cooperation", name="Peut archiver", content_type=content_type)
    sync_roles(apps)
    assert "cooperations.archive_cooperation" in codenames(ADMINISTRATORS)
    assert "cooperations.archive_cooperation" not in codenames(EDITORS)


@pytest.mark.django_db
def test_a_group_removed_by_mistake_comes_back():
    Group.objects.filter(name=EDITORS).delete()
    sync_roles(apps)
    assert "cooperations.change_cooperation" in codenames(EDITORS)
