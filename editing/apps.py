from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate


def sync_roles_after_migrate(sender, using="default", apps=global_apps, **kwargs):
    from .roles import sync_roles

    # `flush` (between transactional tests) sends the signal without `apps`.
    sync_roles(apps or global_apps, using=using)


class EditingConfig(AppConfig):
    name = "editing"
    verbose_name = "Édition"

    def ready(self):
        # post_migrate is sent once per app with models; this app has none, so listen for "auth"'s
        # (sync_roles creates the permissions of every app itself, whatever the order).
        post_migrate.connect(sync_roles_after_migrate, sender=global_apps.get_app_config("auth"))
