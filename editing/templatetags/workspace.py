from django import template
from django.utils.translation import gettext as _

from lib.history_changes import display_name as _display_name
from proposals.models import Proposal

from ..history_forms import author

register = template.Library()


@register.filter
def display_name(user):
    """A person's full name, else their username; « un import » where no account saved."""
    return _display_name(user)


@register.filter
def saved_by(fiche):
    """Who saved `fiche` last: an account's name, else where it came from (a proposal sent online, an
    import). The proposal is read with the fiche where lists select it (select_related("proposal"))."""
    if fiche.updated_by_id:
        return _display_name(fiche.updated_by)
    try:
        proposal = fiche.proposal
    except Proposal.DoesNotExist:
        proposal = None
    return _("une proposition en ligne") if proposal else _display_name(None)


register.filter("version_author", author)
