"""The form of an organisation in the workspace: who they are, their logo, their editors."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from structures.models import LOGO_MAX_BYTES, Network, logo_content_type

from .roles import ADMINISTRATORS, EDITORS


class NetworkForm(forms.ModelForm):
    logo_file = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("Une image PNG, JPEG ou WebP de 200 Ko au plus, carrée de préférence."),
    )
    remove_logo = forms.BooleanField(label=_("Retirer le logo"), required=False)

    class Meta:
        model = Network
        fields = ["name", "short_name", "kind", "website", "description", "editors"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "editors": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The team's accounts: those who hold a role, and those already editors of this organisation.
        current = self.instance.editors.all() if self.instance.pk else []
        editors = self.fields["editors"]
        editors.queryset = (
            get_user_model()
            .objects.filter(Q(groups__name__in=[EDITORS, ADMINISTRATORS]) | Q(pk__in=[u.pk for u in current]))
            .filter(is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )
        editors.label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
        )

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return None
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("Le logo pèse %(size)s Ko : 200 Ko au plus."), params={"size": upload.size // 1000}
            )
        data = upload.read()
        content_type = logo_content_type(data)
        if content_type is None:
            raise forms.ValidationError(_("Ce fichier n'est pas une image PNG, JPEG ou WebP."))
        return data, content_type

    def save(self, commit=True):
        network = super().save(commit=False)
        if self.cleaned_data.get("logo_file"):
            network.logo, network.logo_type = self.cleaned_data["logo_file"]
        elif self.cleaned_data.get("remove_logo"):
            network.logo, network.logo_type = None, ""
        if commit:
            network.save()
            self.save_m2m()
        return network
