from django import forms
from django.utils.translation import gettext_lazy as _

from lib.antispam import GuardedForm

from .models import Subscription


class FollowForm(GuardedForm):
    """An address and a frequency, with the robot traps of every public form."""

    email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),  # RGAA 11.13
        help_text=_("Un e-mail vous demandera de confirmer ; l'adresse ne sert qu'à cette alerte."),
    )
    frequency = forms.ChoiceField(
        label=_("Recevoir les nouveautés"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
