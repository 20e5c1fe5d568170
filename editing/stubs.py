"""Stand-ins for the review queue and the history pages, built on their own branch: until they are
merged, the workspace's links to them resolve and lead nowhere."""

from django.http import Http404


def not_yet(request, **kwargs):
    raise Http404
