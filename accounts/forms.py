from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Identifiant ou mot de passe incorrect. Attention aux majuscules ; en cas d'oubli, "
            "demandez un nouveau mot de passe."
        ),
    }


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        max_length=254,
        help_text=_("Celle de votre compte : un lien pour choisir un nouveau mot de passe y sera envoyé."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
