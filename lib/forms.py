"""Form helpers that know no model."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

SINGLE_LINE_FIELDS = ("title", "name")


def single_line(value):
    """A title, a name: one line. A line break cannot be typed in such a box, only forged, and it would
    end up in an e-mail's subject."""
    if "\r" in value or "\n" in value:
        raise ValidationError(
            _("Ce champ s'écrit sur une seule ligne : retirez le retour à la ligne."), code="line_break"
        )


class SingleLineField(forms.CharField):
    default_validators = [single_line]


def single_line_names(form):
    """Refuse line breaks in the form's title and name fields, whatever their model field."""
    for name in SINGLE_LINE_FIELDS:
        if name in form.fields and single_line not in form.fields[name].validators:
            form.fields[name].validators.append(single_line)


def shown_as_typed(form):
    """`form` (or a formset) shown again with what was typed and no error: an intermediate step (a
    look-up, one more row) is not a submission, and the page should not scold for half-filled fields."""
    if isinstance(form, BaseFormSet):
        for member in form.forms:
            shown_as_typed(member)
        form._errors = [member._errors for member in form.forms]
        form._non_form_errors = form.error_class()
        return form
    form._errors = ErrorDict()
    return form
