"""The fiche's form in the admin, refused when someone saved the fiche since it was read."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lib.history import version_date
from lib.history_changes import display_name, join
from lib.text import NormalizedTextField, SlugFormMixin

from .models import Cooperation


def text_formfield(model_field, **kwargs):
    """The fiche's texts read as the model keeps them (Cooperation.TEXT_FIELDS)."""
    if model_field.name in Cooperation.TEXT_FIELDS:
        kwargs["form_class"] = NormalizedTextField
    return model_field.formfield(**kwargs)


class CooperationAdminForm(SlugFormMixin, forms.ModelForm):
    """The fiche, with the version it was read at: saving over a newer version is refused."""

    class Meta:
        model = Cooperation
        fields = ["version"]  # the admin adds the fields of its fieldsets
        formfield_callback = text_formfield
        widgets = {"version": forms.HiddenInput}
        help_texts = {
            "title": gettext_lazy("Ce que font les structures ensemble, en quelques mots."),
            "context": gettext_lazy("Situation de départ, besoin repéré, élément déclencheur."),
            "objectives": gettext_lazy("Ce que les partenaires cherchent à obtenir, pour qui."),
            "results": gettext_lazy("Ce qui a été obtenu, chiffres à l'appui quand c'est possible."),
            "success_factors": gettext_lazy("Ce qui a fait que cela a marché."),
            "difficulties": gettext_lazy("Les obstacles rencontrés et la façon dont ils ont été levés."),
            "indicators": gettext_lazy("Comment les partenaires mesurent les effets de la coopération."),
            "replicability": gettext_lazy("Conseils à qui voudrait faire de même ailleurs."),
            "figures_text": gettext_lazy(
                "Autres chiffres en texte libre ; les chiffres à comparer vont dans le tableau "
                "« Chiffres clés »."
            ),
        }

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk and cleaned_data.get("version") is not None:
            with transaction.atomic():
                # Locked until the admin's transaction ends: a concurrent save waits, then sees our version.
                current = (
                    Cooperation.objects.select_for_update()
                    .filter(pk=self.instance.pk)
                    .values_list("version", flat=True)
                    .first()
                )
            if current is None:
                raise ValidationError(_("Cette fiche a été supprimée entre-temps."), code="deleted")
            if cleaned_data["version"] != current:
                raise ValidationError(self.stale_message(cleaned_data["version"]), code="stale")
        return cleaned_data

    def stale_message(self, read_version):
        saves = Cooperation.history.filter(id=self.instance.pk, version__gt=read_version).select_related(
            "history_user"
        )
        people = sorted({display_name(record.history_user) for record in saves})
        latest = saves.first()
        who = _(" par %(people)s") % {"people": join(people)} if people else ""
        when = _(" le %(date)s") % {"date": version_date(latest)} if latest else ""
        return _(
            "Cette fiche a été enregistrée%(who)s%(when)s pendant que vous la modifiiez. "
            "Pour ne pas effacer ce travail, vos modifications n'ont pas été enregistrées : elles sont "
            "conservées ci-dessous. Ouvrez la fiche dans un autre onglet pour voir la version actuelle, "
            "reportez-y vos changements, puis enregistrez-la."
        ) % {"who": who, "when": when}
