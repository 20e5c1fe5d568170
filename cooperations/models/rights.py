"""Who may edit, publish and review which fiche: rights follow organisations.

An Éditeur belongs to one or more organisations (Network.editors). They edit and publish the fiches
their organisations follow and the fiches no organisation follows; on another organisation's fiche they
may only suggest a correction, which that organisation's editors review. Those who hold EDIT_ANY
(Administrateurs, superusers) keep every right. The workspace, the publication services, the admin and
the review queue all ask here.
"""

from django.db.models import Q

from structures.models import Network

CHANGE = "cooperations.change_cooperation"
PUBLISH = "cooperations.publish_cooperation"
EDIT_ANY = "cooperations.edit_any_cooperation"


def organisation_ids(user):
    """The ids of the organisations `user` edits for, read once per user object (one query)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_organisation_ids"):
        user._organisation_ids = frozenset(user.organisations.values_list("pk", flat=True))
    return user._organisation_ids


def edits_every_fiche(user):
    return user.is_authenticated and user.has_perm(EDIT_ANY)


def follows(user, organisation_id):
    """Whether the fiches of `organisation_id` (None: no organisation) are within `user`'s reach."""
    return organisation_id is None or edits_every_fiche(user) or organisation_id in organisation_ids(user)


def can_edit(user, cooperation):
    return user.has_perm(CHANGE) and follows(user, cooperation.organisation_id)


def can_publish(user, cooperation):
    return user.has_perm(PUBLISH) and follows(user, cooperation.organisation_id)


def can_review(user, cooperation, permission):
    """A suggestion on a fiche is reviewed by those who may edit it and hold the review `permission`."""
    return user.has_perm(permission) and follows(user, cooperation.organisation_id)


def within_reach(queryset, user, field="organisation"):
    """`queryset` narrowed to the fiches (or, through `field`, the rows of fiches) `user` may edit."""
    if edits_every_fiche(user):
        return queryset
    return queryset.filter(Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__in": organisation_ids(user)}))


def organisation_choices(user, current=None):
    """The organisations `user` may give a fiche: all of them for Administrateurs, else their own, and
    the fiche's `current` one, kept as it is."""
    networks = Network.objects.all()
    if edits_every_fiche(user):
        return networks
    return networks.filter(Q(pk__in=organisation_ids(user)) | Q(pk=current))
