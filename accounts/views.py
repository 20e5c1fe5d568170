"""The forgotten-password page, which answers in the same time whether the address has an account."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from lib.antispam import rate_limited
from lib.deferred import after_response

from .forms import EmailPasswordResetForm


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm

    def form_valid(self, form):
        if rate_limited(self.request, "password_reset"):
            form.add_error(
                None,
                _(
                    "Beaucoup de demandes sont parties de votre connexion en peu de temps. Réessayez dans "
                    "une heure."
                ),
            )
            return self.form_invalid(form)
        options = {
            "use_https": self.request.is_secure(),
            "token_generator": self.token_generator,
            "from_email": self.from_email,
            "email_template_name": self.email_template_name,
            "subject_template_name": self.subject_template_name,
            "request": self.request,
            "html_email_template_name": self.html_email_template_name,
            "extra_email_context": self.extra_email_context,
        }
        # Looking the address up and e-mailing it take time only when it has an account: done once the
        # answer is sent, they cannot tell anyone which addresses have one.
        return after_response(HttpResponseRedirect(self.get_success_url()), lambda: form.save(**options))
