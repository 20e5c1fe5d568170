from django import forms
from django.utils.translation import gettext_lazy as _

from cooperations.models import CooperationForm
from lib.antispam import GuardedForm
from territories.lookups import TerritoryLookupError, find_department
from territories.models import Department

MAX_STRUCTURE_LINES = 20


class ProposalForm(GuardedForm):
    """What a director can tell about a cooperation without an account, with the usual robot traps.

    GuardedForm sets the robot traps; the rate limit per address is checked by the view.
    """

    title = forms.CharField(
        label=_("Nom ou objet de la coopération"),
        max_length=200,
        help_text=_("Par exemple : « Blanchisserie partagée entre trois ACI du Pays basque »."),
    )
    structures = forms.CharField(
        label=_("Structures impliquées"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une structure par ligne : son nom, puis son type après un point-virgule. "
            "Par exemple : « Régie de quartier Nord ; ACI »."
        ),
    )
    department = forms.CharField(
        label=_("Département"),
        max_length=100,
        help_text=_(
            "Celui où la coopération a lieu (le principal, s'il y en a plusieurs) : "
            "son numéro ou son nom, « 64 » ou « Pyrénées-Atlantiques »."
        ),
        # The browser suggests the departments listed in the page (no script needed).
        widget=forms.TextInput(attrs={"list": "departements", "autocomplete": "off"}),
    )
    cooperation_forms = forms.ModelMultipleChoiceField(
        label=_("Forme(s) de coopération"),
        queryset=CooperationForm.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Facultatif : cochez celles qui correspondent, si vous les connaissez."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Ce que font les structures ensemble, depuis quand, pour quels résultats. 4 000 signes au plus."
        ),
    )
    # The person's own details say what they are, for the browser to fill them in (RGAA 11.13).
    contact_name = forms.CharField(
        label=_("Votre nom"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_email = forms.EmailField(
        label=_("Votre adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Pour vous poser des questions avant la publication ; elle ne sera pas publiée."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Acronyms alone (« JVS », « PAT ») mean little to the public.
        self.fields["cooperation_forms"].label_from_instance = lambda form: form.full_name

    def clean_department(self):
        try:
            return find_department(self.cleaned_data["department"])
        except TerritoryLookupError as error:
            raise forms.ValidationError(error.message, code="unknown_department") from error

    def department_suggestions(self):
        return Department.objects.order_by("code")

    def clean_structures(self):
        lines = [line.strip() for line in self.cleaned_data["structures"].splitlines() if line.strip()]
        if len(lines) > MAX_STRUCTURE_LINES:
            raise forms.ValidationError(
                _("%(max)d structures au plus ; citez les principales, nous compléterons avec vous."),
                params={"max": MAX_STRUCTURE_LINES},
            )
        too_long = [line for line in lines if len(line) > 200]
        if too_long:
            raise forms.ValidationError(_("Une ligne par structure, de 200 signes au plus."))
        return "\n".join(lines)


class CorrectionForm(GuardedForm):
    """An error or a missing piece of a published fiche, told without an account."""

    message = forms.CharField(
        label=_("Votre suggestion"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Ce qui est inexact ou ce qui manque : coordonnées d'une structure, partenaires, chiffres, "
            "dates… et, si possible, d'où vous le tenez. 4 000 signes au plus."
        ),
    )
    name = forms.CharField(
        label=_("Votre nom (facultatif)"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Votre adresse e-mail (facultative)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Pour vous dire si la fiche est corrigée ; elle ne sera pas publiée."),
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if len(message) < 10:
            raise forms.ValidationError(
                _("Décrivez en une phrase au moins ce qui est à corriger ou à compléter."), code="too_short"
            )
        return message
