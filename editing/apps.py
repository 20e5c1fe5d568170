from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def sync_roles_after_migrate(sender, using="default", apps=None, **kwargs):
    from .roles import sync_roles

    sync_roles(apps, using=using)


class EditingConfig(AppConfig):
    name = "editing"
    verbose_name = "Édition"

    def ready(self):
        # post_migrate is sent once per app with models; this app has none, so listen for "auth"'s
        # (sync_roles creates the permissions of every app itself, whatever the order).
        post_migrate.connect(sync_roles_after_migrate, sender=apps.get_app_config("auth"))
