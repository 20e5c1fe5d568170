"""Form helpers that know no model."""

from django.forms import BaseFormSet
from django.forms.utils import ErrorDict


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
