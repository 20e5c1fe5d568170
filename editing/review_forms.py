from django import forms
from django.utils.translation import gettext_lazy as _


class DismissForm(forms.Form):
    """Why a proposal or a suggestion is set aside: the person who sent it reads it."""

    reason = forms.CharField(
        label=_("Raison"),
        help_text=_("Envoyée à la personne, si elle a laissé son adresse : restez courtois et précis."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Indiquez pourquoi vous l'écartez : la personne le lira.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(self.fields["reason"].error_messages["required"], code="required")
        return reason
