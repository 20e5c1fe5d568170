from django import forms
from django.utils.translation import gettext_lazy as _

from cooperations.models import CooperationForm, Participation
from lib.antispam import GuardedForm
from lib.forms import SingleLineField
from structures.models import Structure
from territories.lookups import TerritoryLookupError, find_department
from territories.models import Department

MAX_STRUCTURE_LINES = 20
PARTICIPANT_ROWS = 4  # shown empty at first; « Ajouter une structure » adds more


class ParticipantRowForm(forms.Form):
    """One structure of the cooperation: its name, its kind if known, its role."""

    name = SingleLineField(label=_("Nom de la structure"), max_length=200, required=False)
    kind = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Je ne sais pas"))] + list(Structure.Kind.choices),
    )
    role = forms.ChoiceField(
        label=_("Rôle"), choices=Participation.Role.choices, initial=Participation.Role.PARTNER
    )

    def has_changed(self):
        # A row counts once a name is typed: its role alone, preset, says nothing.
        return bool(self.data.get(self.add_prefix("name"), "").strip())

    def clean(self):
        cleaned_data = super().clean()
        if self.has_changed():
            cleaned_data["name"] = " ".join(cleaned_data.get("name", "").split())
        return cleaned_data


class BaseParticipantRows(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.rows():
            raise forms.ValidationError(
                _("Indiquez au moins une structure qui participe à la coopération."), code="no_structure"
            )

    def rows(self):
        """The rows typed, as {name, kind, role}."""
        return [
            {
                "name": form.cleaned_data["name"],
                "kind": form.cleaned_data["kind"],
                "role": form.cleaned_data["role"],
            }
            for form in self.forms
            if form.has_changed() and form.cleaned_data.get("name")
        ]


ParticipantRows = forms.formset_factory(
    ParticipantRowForm,
    formset=BaseParticipantRows,
    extra=PARTICIPANT_ROWS,
    max_num=MAX_STRUCTURE_LINES,
    absolute_max=MAX_STRUCTURE_LINES,
    validate_max=True,
)


class ProposalForm(GuardedForm):
    """What a director can tell about a cooperation without an account, with the usual robot traps.

    GuardedForm sets the robot traps; the rate limit per address is checked by the view.
    """

    title = SingleLineField(
        label=_("Nom ou objet de la coopération"),
        max_length=200,
        help_text=_("Par exemple : « Blanchisserie partagée entre trois ACI du Pays basque »."),
    )
    department = SingleLineField(
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
    source_title = SingleLineField(
        label=_("D'où le tenez-vous ? (facultatif)"),
        max_length=300,
        required=False,
        help_text=_("Un document, un article, une page qui en parle : son titre, ou qui le publie."),
    )
    source_url = forms.URLField(
        label=_("Son adresse sur internet (facultative)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    # The person's own details say what they are, for the browser to fill them in (RGAA 11.13).
    contact_name = SingleLineField(
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
    name = SingleLineField(
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
