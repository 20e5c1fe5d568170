"""Installing Django REST framework changes none of the site's French wording: its catalogue would
otherwise win over Django's for a few core messages (api/apps.py)."""

import pytest
from django.utils.translation import gettext, override

from api.apps import DJANGO_WORDING


@pytest.mark.parametrize(
    ("message", "french"),
    [
        ("Enter a valid email address.", "Saisissez une adresse de courriel valide."),
        ("No file was submitted.", "Aucun fichier n’a été soumis."),
        ("Value must be valid JSON.", "La valeur doit respecter la syntaxe JSON."),
    ],
)
def test_django_s_own_messages_keep_django_s_french(message, french):
    assert message in DJANGO_WORDING
    with override("fr"):
        assert gettext(message) == french
