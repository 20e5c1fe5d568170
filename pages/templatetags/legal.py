from django import template

from ..accessibility import AUDIT

register = template.Library()


@register.simple_tag
def accessibility_status():
    """« partiellement conforme »: the footer's link names it, as the law asks."""
    return AUDIT.status
