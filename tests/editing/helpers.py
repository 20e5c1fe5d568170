"""Fill the fiche forms (the admin's and the workspace's) the way a browser would, from the rendered page."""

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


def edit_data(client, cooperation, **changes):
    """The editor's form as the page shows it, with `changes`."""
    response = client.get(reverse("editing:cooperation_edit", args=[cooperation.pk]))
    context = response.context
    data = {}
    for form in [context["form"], *context["participations"], *context["figures"]]:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    for formset in (context["participations"], context["figures"]):
        data.update({f.html_name: f.value() for f in formset.management_form})
    data.update(changes)
    return data
