"""Who runs the site, as the legal pages state it: from the settings, with a visible placeholder for each
detail not given yet, and a system check that reports them in production."""

from dataclasses import dataclass

from django.conf import settings
from django.core.checks import Warning
from django.utils.translation import gettext_lazy as _

# (setting, what it is, as the pages name it)
DETAILS = [
    ("OPERATOR_NAME", _("Éditeur du site")),
    ("OPERATOR_ADDRESS", _("Adresse de l'éditeur")),
    ("PUBLICATION_DIRECTOR", _("Directeur ou directrice de la publication")),
    ("HOST_DETAILS", _("Hébergeur")),
    ("CONTACT_EMAIL", _("Adresse de contact")),
]


@dataclass(frozen=True)
class Detail:
    setting: str
    label: str
    value: str

    @property
    def missing(self):
        return not self.value


def operator():
    """{setting: Detail} of each of DETAILS, as the settings give it (empty: a placeholder is shown)."""
    return {name: Detail(name, label, getattr(settings, name, "")) for name, label in DETAILS}


def check_operator(app_configs=None, **kwargs):
    """A system check: in production, the legal pages must not show placeholders."""
    missing = [name for name, _label in DETAILS if not getattr(settings, name, "")]
    if settings.DEBUG or not missing:
        return []
    return [
        Warning(
            f"Les mentions légales affichent « à compléter » : {', '.join(missing)} non défini(s).",
            hint="Donnez ces variables d'environnement : qui édite le site, qui l'héberge, où écrire.",
            id="site.W002",
        )
    ]
