"""The two staff roles, as Django groups, and the permissions each one holds.

Administrateurs hold every permission but those of `administrator_may_not`; accounts/admin.py keeps
them from giving more than they hold, or from touching a superuser.

`sync_roles` is idempotent: the data migration runs it once, and every later `migrate` runs it again
(post_migrate) so that permissions created since — a new model, an import permission — reach the
groups without another migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

EDITORS = "Éditeurs"
ADMINISTRATORS = "Administrateurs"
# Django's own tables, which no one manages by hand.
BOOKKEEPING_APPS = ("contenttypes", "sessions")

# Network staff write, correct and publish fiches and structures. Removing a participation or a figure
# from a fiche is part of editing it (and stays in its history); deleting a fiche or a structure,
# importing and managing accounts are not theirs.
EDITOR_PERMISSIONS = {
    "cooperations": [
        "view_cooperation",
        "add_cooperation",
        "change_cooperation",
        "publish_cooperation",
        "view_participation",
        "add_participation",
        "change_participation",
        "delete_participation",
        "view_outcomefigure",
        "add_outcomefigure",
        "change_outcomefigure",
        "delete_outcomefigure",
        "view_cooperationform",
        "view_source",
        "add_source",
        "change_source",
        # What visitors search for without finding it, and the synonyms that answer it.
        "view_searchrecord",
        "view_synonym",
        "add_synonym",
    ],
    "structures": [
        "view_structure",
        "add_structure",
        "change_structure",
        # Undone from the structure's history: a merge loses nothing.
        "merge_structure",
        "view_sector",
        "view_network",
        "view_structuremerge",
        "view_structuresuggestion",
        "change_structuresuggestion",
    ],
    # Needed by the autocomplete of the territory fields.
    "territories": ["view_region", "view_department", "view_epci", "view_commune"],
    "proposals": ["view_proposal", "change_proposal", "view_correction", "change_correction"],
}


def sync_roles(apps, using=DEFAULT_DB_ALIAS):
    """Create the groups and give them exactly their permissions; safe to run any number of times."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    # Permissions are normally created after all migrations; make sure they exist before assigning.
    # (The app configs of a migration state have no models module: create_permissions needs one.)
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            app_config.models_module = models_module

    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    wanted = [
        (app_label, codename) for app_label, codenames in EDITOR_PERMISSIONS.items() for codename in codenames
    ]
    permissions = Permission.objects.using(using).filter(content_type__app_label__in=EDITOR_PERMISSIONS)
    editors.permissions.set(
        [
            p
            for p in permissions.select_related("content_type")
            if (p.content_type.app_label, p.codename) in wanted
        ]
    )

    administrators, _ = Group.objects.using(using).get_or_create(name=ADMINISTRATORS)
    administrators.permissions.set(
        [
            p
            for p in Permission.objects.using(using).select_related("content_type")
            if not administrator_may_not(p.content_type.app_label, p.content_type.model, p.codename)
        ]
    )


def administrator_may_not(app_label, model, codename):
    """True for the permissions Administrateurs do not hold: those that would let them rewrite the
    roles, the records of what was done, or Django's own bookkeeping."""
    action = codename.split("_", 1)[0]
    if action == "view":
        return app_label in BOOKKEEPING_APPS
    if app_label == "axes":
        # Unlocking an account locked out after failed sign-ins is theirs; the logs are a record.
        return not (model == "accessattempt" and action == "delete")
    if app_label == "auth":
        return model in ("group", "permission")  # the roles are defined here, in code
    if model.startswith("historical"):
        return True  # the versions of fiches and structures: restored through the fiche, never edited
    return app_label in ("admin", *BOOKKEEPING_APPS)
