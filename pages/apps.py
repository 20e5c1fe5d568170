from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from lib.operator import check_operator
from lib.urls import check_site_url


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Pages publiques")

    def ready(self):
        # Said once for the whole site, by the app at the top of the layers.
        checks.register(check_site_url)
        checks.register(check_operator)
