"""The structure editor's form: every field of a structure, its commune typed by name or code."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.text import SlugFormMixin, fold
from structures.models import Structure
from territories.lookups import TerritoryLookupError, find_commune

# The fields of a structure, grouped as its public page shows them; the note for the team, then the
# address, last.
SECTIONS = [
    (_("Identité"), "identite", ["name", "kind", "siret", "networks", "sectors"]),
    (
        _("Coordonnées publiques"),
        "coordonnees",
        ["address", "postal_code", "commune", "department", "website", "email", "phone"],
    ),
    (_("Présentation"), "presentation", ["description"]),
    (_("Note interne"), "note-interne", ["internal_note"]),
    (_("Adresse de la structure"), "adresse", ["slug"]),
]
EDITED_FIELDS = [name for _label, _anchor, names in SECTIONS for name in names]


class CommuneField(forms.CharField):
    """A commune typed as people write it (« Lille », « Saint-Omer (62) », « 59350 »), as the import reads
    it; the department typed beside tells homonyms apart."""

    def __init__(self, **kwargs):
        super().__init__(max_length=100, required=False, **kwargs)

    def prepare_value(self, value):
        return str(value) if hasattr(value, "department_id") else value


class StructureEditorForm(SlugFormMixin, forms.ModelForm):
    """The whole structure, refused (code "stale") when someone saved it since it was read."""

    commune = CommuneField(
        label=_("Commune"),
        help_text=_(
            "Son nom, ou son code INSEE ; ajoutez le département s'il y a plusieurs communes de ce nom."
        ),
    )

    siret = forms.CharField(
        label=_("SIRET"),
        max_length=20,  # the 14 digits as people write them, with spaces
        required=False,
        help_text=_("14 chiffres, espaces permis. Facultatif, unique s'il est renseigné."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    website = forms.URLField(
        label=_("Site web"),
        max_length=200,
        required=False,
        assume_scheme="https",  # « www.coorace.org », as documents write it
    )

    class Meta:
        model = Structure
        fields = [*EDITED_FIELDS, "version"]
        widgets = {
            "version": forms.HiddenInput,
            "networks": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "internal_note": forms.Textarea(attrs={"rows": 3}),
            "postal_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        }
        help_texts = {
            "department": _("Déduit de la commune quand elle est indiquée."),
            "networks": _("Les réseaux et fédérations dont la structure est membre."),
            "internal_note": _(
                "Réservée à l'équipe : elle n'apparaît ni sur le site, ni dans les exports. Provenance, "
                "points à vérifier, choix de saisie."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.commune_id and not self.is_bound:
            self.initial["commune"] = str(self.instance.commune)
        self.fields["department"].label_from_instance = lambda d: f"{d.code} · {d.name}"
        self.fields["department"].queryset = self.fields["department"].queryset.order_by("code")
        self.fields["name"].widget.attrs["class"] = "title-input"

    def sections(self):
        """(label, anchor, bound fields) in the order of the structure's page."""
        return [(label, anchor, [self[name] for name in names]) for label, anchor, names in SECTIONS]

    def clean_siret(self):
        return re.sub(r"[\s.]", "", self.cleaned_data.get("siret") or "") or None

    def clean(self):
        cleaned_data = super().clean()
        typed = self.data.get(self.add_prefix("commune"), "").strip()
        department = cleaned_data.get("department")
        if typed:
            try:
                commune = find_commune(typed, departments=[department.code] if department else [])
            except TerritoryLookupError as error:
                self.add_error("commune", error.message)
            else:
                cleaned_data["commune"] = commune
                cleaned_data["department"] = commune.department
                self.instance.department = commune.department
        else:
            cleaned_data["commune"] = None
        self._check_unique_name(cleaned_data)
        return cleaned_data

    def _check_unique_name(self, cleaned_data):
        # The model's constraint is on the folded name, which save() computes: checked here first.
        name, kind = cleaned_data.get("name"), cleaned_data.get("kind")
        if not (name and kind):
            return
        same = (
            Structure.objects.filter(search_name=fold(name), kind=kind).exclude(pk=self.instance.pk).first()
        )
        if same:
            self.add_error(
                "name",
                forms.ValidationError(
                    _(
                        "« %(name)s » (%(kind)s) existe déjà : s'il s'agit de la même structure, "
                        "fusionnez-les."
                    ),
                    params={"name": same.name, "kind": same.get_kind_display()},
                    code="duplicate",
                ),
            )

    def validate_unique(self):
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
        except forms.ValidationError as error:
            if "siret" in error.error_dict:
                other = Structure.objects.filter(siret=self.cleaned_data.get("siret")).first()
                error.error_dict["siret"] = [
                    forms.ValidationError(
                        _(
                            "Ce SIRET est déjà celui de « %(name)s » : s'il s'agit de la même structure, "
                            "fusionnez-les."
                        ),
                        params={"name": other.name if other else "?"},
                        code="duplicate_siret",
                    )
                ]
            self._update_errors(error)

    def duplicate_of(self):
        """The other structure a refused name or SIRET belongs to, for a link to merge them."""
        if self.has_error("siret", "duplicate_siret"):
            return Structure.objects.filter(
                siret=self.cleaned_data.get("siret") or self.data.get("siret")
            ).first()
        if self.has_error("name", "duplicate"):
            name, kind = self.data.get("name", ""), self.data.get("kind", "")
            return (
                Structure.objects.filter(search_name=fold(name), kind=kind)
                .exclude(pk=self.instance.pk)
                .first()
            )
        return None
