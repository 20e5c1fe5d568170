"""The fiche editor's forms: the fiche itself, who takes part, its figures, and a new structure."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperations.forms import CooperationAdminForm
from cooperations.models import Cooperation, CooperationForm, Level, OutcomeFigure, Participation, rights
from lib.forms import single_line_names
from lib.text import fold
from structures.models import Structure
from territories.models import Commune, Department, Region

# The fields of the fiche, grouped in the order of the public fiche template (cooperations/detail.html):
# its header, « En bref », then the figures, the sections, the sources; the note for the team last.
SECTIONS = [
    (_("L'essentiel"), "essentiel", ["title", "summary", "organisation"]),
    (
        _("En bref"),
        "en-bref",
        ["level", "forms", "sectors", "start_year", "scope", "regions", "departments", "communes"],
    ),
    (_("Chiffres clés"), "chiffres", ["jobs_created", "people_supported", "figures_text"]),
    (_("Le récit de la coopération"), "recit", list(Cooperation.SECTION_FIELDS)),
    (_("Sources"), "sources", ["sources"]),
    (_("Note interne"), "note-interne", ["internal_note"]),
    (_("Adresse de la fiche"), "adresse", ["slug"]),
]
MARKDOWN_FIELDS = ["summary", *Cooperation.SECTION_FIELDS, "figures_text"]
EDITED_FIELDS = [name for _label, _anchor, names in SECTIONS for name in names]


def region_label(region):
    return region.name


def department_label(department):
    return f"{department.name} ({department.code})"


def commune_label(commune):
    return f"{commune.name} ({commune.department_id})"


# The territories the editor's pickers offer: (model, label of a chosen one, order of the chosen ones).
TERRITORY_PICKERS = {
    "regions": (Region, region_label, "search_name"),
    "departments": (Department, department_label, "code"),
    "communes": (Commune, commune_label, "search_name"),
}


class ChosenWidget(forms.CheckboxSelectMultiple):
    """The chosen territories only, as ticked boxes (untick to remove); others are added by typing their
    name in the picker below (editing/includes/combobox.html): a list of 101 departments or 35,000
    communes is no way to choose."""

    def __init__(self, kind, attrs=None):
        super().__init__(attrs)
        self.kind = kind

    def optgroups(self, name, value, attrs=None):
        model, label, order = TERRITORY_PICKERS[self.kind]
        chosen = {str(v) for v in value if v}
        self.choices = [(t.pk, label(t)) for t in model.objects.filter(pk__in=chosen).order_by(order)]
        return super().optgroups(name, value, attrs)


class CooperationEditorForm(CooperationAdminForm):
    """The whole fiche, refused (code "stale") when someone saved it since it was read."""

    class Meta(CooperationAdminForm.Meta):
        fields = [*EDITED_FIELDS, "version"]
        widgets = {
            "version": forms.HiddenInput,
            "level": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "forms": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "regions": ChosenWidget("regions"),
            "departments": ChosenWidget("departments"),
            "communes": ChosenWidget("communes"),
            "sources": forms.CheckboxSelectMultiple,
            "internal_note": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 6, "data-markdown": ""}) for name in MARKDOWN_FIELDS},
        }
        help_texts = {
            **CooperationAdminForm.Meta.help_texts,
            "summary": _("Deux ou trois phrases : quoi, qui, où. Elles ouvrent la fiche et ses cartes."),
            "level": _("Simple, stratégique ou renforcée, selon la typologie de l'Avise."),
            "forms": _("Les formes juridiques ou organisées que prend la coopération, s'il y en a."),
            "sectors": _("Les secteurs d'activité où la coopération agit."),
            "start_year": _("L'année où la coopération a commencé, quand elle est connue."),
            "scope": _("Le territoire que la coopération couvre, de la commune au pays."),
            "regions": _("Tapez le nom d'une région pour l'ajouter ; décochez-la pour la retirer."),
            "departments": _(
                "Tapez le nom ou le numéro d'un département pour l'ajouter ; décochez-le pour le retirer."
            ),
            "jobs_created": _("Seulement s'il est donné par une source ; sinon, laisser vide."),
            "people_supported": _("Seulement s'il est donné par une source ; sinon, laisser vide."),
            "communes": _("Tapez le nom d'une commune pour l'ajouter ; décochez-la pour la retirer."),
            "figures_text": _(
                "D'autres chiffres, en texte libre ; ceux à comparer d'une fiche à l'autre vont dans "
                "« Chiffres à comparer » ci-dessus."
            ),
            "sources": _("Les documents dont la fiche est tirée : ils sont cités en bas de la fiche."),
            "organisation": _(
                "Le réseau ou le service qui suit la fiche : ses éditeurs la modifient et la publient ; "
                "les autres peuvent lui suggérer une correction."
            ),
            "internal_note": _(
                "Réservée à l'équipe : elle n'apparaît ni sur le site, ni dans les exports, ni dans les "
                "flux, ni dans la recherche. Provenance, points à vérifier, choix de saisie."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An Éditeur gives a fiche one of their organisations, or none; Administrateurs any.
        organisation = self.fields["organisation"]
        organisation.queryset = rights.organisation_choices(user, self.instance.organisation_id)
        organisation.empty_label = _("Aucun : tous les éditeurs peuvent la modifier")
        self.fields["forms"].label_from_instance = lambda form: form.full_name
        self.fields["forms"].queryset = CooperationForm.objects.order_by("position", "name")
        self.fields["level"].choices = Level.choices  # a radio button for each level, no blank one
        self.fields["title"].widget.attrs["class"] = "title-input"

    def sections(self):
        """(label, anchor, bound fields) in the order of the public fiche."""
        return [(label, anchor, [self[name] for name in names]) for label, anchor, names in SECTIONS]


class ParticipationForm(forms.ModelForm):
    """A structure of the fiche, chosen by the search above the list (its id travels hidden)."""

    structure = forms.ModelChoiceField(
        queryset=Structure.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Cette structure n'existe plus : cherchez-la à nouveau.")},
    )

    class Meta:
        model = Participation
        fields = ["structure", "role"]

    def structure_label(self):
        """The chosen structure's name, also when the page comes back with errors."""
        if self.is_bound and self.has_error("structure") is False and self.cleaned_data.get("structure"):
            return self.cleaned_data["structure"].name
        if self.instance.structure_id:
            return self.instance.structure.name
        return ""


class BaseParticipationFormSet(forms.BaseInlineFormSet):
    def clean(self):
        # Before the formset's own check, whose message (« données en double ») names no structure.
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            structure = form.cleaned_data.get("structure")
            if structure is None:
                continue
            if structure in seen:
                raise forms.ValidationError(
                    _("« %(name)s » figure deux fois parmi les participants.") % {"name": structure}
                )
            seen.add(structure)
        super().clean()


ParticipationFormSet = forms.inlineformset_factory(
    Cooperation,
    Participation,
    form=ParticipationForm,
    formset=BaseParticipationFormSet,
    extra=0,
    can_delete=True,
)

OutcomeFigureFormSet = forms.inlineformset_factory(
    Cooperation,
    OutcomeFigure,
    fields=["value", "unit", "label", "position"],
    extra=0,
    can_delete=True,
    widgets={"position": forms.NumberInput(attrs={"min": 0})},
)


class StructureQuickForm(forms.ModelForm):
    """A structure created from the editor, when the search does not find it: the essentials only, and
    its role in the fiche, where it is added at once."""

    role = forms.ChoiceField(
        label=_("Son rôle dans la coopération"),
        choices=Participation.Role.choices,
        initial=Participation.Role.PARTNER,
    )

    class Meta:
        model = Structure
        fields = ["name", "kind", "website", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        single_line_names(self)

    def clean(self):
        cleaned_data = super().clean()
        name, kind = cleaned_data.get("name"), cleaned_data.get("kind")
        # The model's constraint is on the folded name, which save() computes: checked here first.
        if name and kind and Structure.objects.filter(search_name=fold(name), kind=kind).exists():
            raise forms.ValidationError(
                _("Une structure de ce type porte déjà ce nom : choisissez-la dans la recherche.")
            )
        return cleaned_data
