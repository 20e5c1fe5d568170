from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cooperations"
    verbose_name = _("Coopérations")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers that keep the search index fresh
