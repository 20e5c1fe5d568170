"""Merging two structures: which one keeps its address (the survivor), and whose value each field keeps."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cooperations.merges import M2M_FIELDS, MERGED_FIELDS
from structures.models import Structure


def shown(structure, field):
    """A field's value as the merge page shows it."""
    model_field = Structure._meta.get_field(field)
    if model_field.many_to_many:
        return ", ".join(str(item) for item in getattr(structure, field).all())
    if model_field.choices:
        return getattr(structure, f"get_{field}_display")()
    value = getattr(structure, field)
    return "" if value is None else str(value)


class MergeForm(forms.Form):
    """One choice per field whose values differ; the choices name the two structures, « a » and « b »."""

    survivor = forms.ChoiceField(label=_("Structure gardée"), widget=forms.RadioSelect)
    version_a = forms.IntegerField(widget=forms.HiddenInput)
    version_b = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, a, b, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.a, self.b = a, b
        self.fields["survivor"].choices = [("a", a.name), ("b", b.name)]
        self.fields["survivor"].help_text = _(
            "Elle garde son adresse ; celle de l'autre y mène désormais. Ce choix ne dit rien des valeurs "
            "gardées, choisies ci-dessous."
        )
        self.initial.update(survivor="a", version_a=a.version, version_b=b.version)
        self.rows = []
        for field in (*MERGED_FIELDS, *M2M_FIELDS):
            left, right = shown(a, field), shown(b, field)
            if left == right:
                continue
            choices = [("a", left or _("(vide)")), ("b", right or _("(vide)"))]
            if field in M2M_FIELDS:
                choices.append(("both", _("Les deux")))
            label = capfirst(Structure._meta.get_field(field).verbose_name)
            self.fields[f"field_{field}"] = forms.ChoiceField(
                label=label, choices=choices, widget=forms.RadioSelect
            )
            # By default the filled value wins, the survivor's when both are filled.
            self.initial[f"field_{field}"] = (
                "both" if field in M2M_FIELDS else ("b" if right and not left else "a")
            )
            self.rows.append(self[f"field_{field}"])

    def merge_arguments(self):
        """(survivor, absorbed, taken, versions) for cooperations.merges.structure_merge."""
        data = self.cleaned_data
        survivor, absorbed = (self.a, self.b) if data["survivor"] == "a" else (self.b, self.a)
        absorbed_side = "b" if data["survivor"] == "a" else "a"
        taken = {}
        for name, value in data.items():
            if not name.startswith("field_"):
                continue
            field = name.removeprefix("field_")
            if value == "both":
                taken[field] = "both"
            elif value == absorbed_side:
                taken[field] = "absorbed"
        versions = {self.a.pk: data["version_a"], self.b.pk: data["version_b"]}
        return survivor, absorbed, taken, versions
