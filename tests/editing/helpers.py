"""Fill an admin change form the way a browser would, from the page the admin rendered."""

from django.urls import reverse


def form_values(form):
    data = {}
    for bound_field in form:
        if bound_field.field.disabled:
            continue
        value = bound_field.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        if isinstance(value, list | tuple):
            value = [str(item) for item in value]
        data[bound_field.html_name] = value
    return data


def admin_form_data(response, **changes):
    """The POST data of the change form shown by `response`, main form and inlines, with `changes`."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_values(formset.management_form))
        for form in formset.forms:
            data.update(form_values(form))
    data.update(changes)
    return data


def change_url(cooperation):
    return reverse("admin:cooperations_cooperation_change", args=[cooperation.pk])


def history_url(cooperation):
    return reverse("admin:cooperations_cooperation_history", args=[cooperation.pk])
