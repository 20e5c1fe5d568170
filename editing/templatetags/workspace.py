from django import template

from lib.history_changes import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user):
    """A person's full name, else their username; « quelqu'un » for an account deleted since."""
    return _display_name(user)
