"""What the workspace's dashboard shows: drafts, what waits for review, recent changes, gaps."""

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from cooperations.models import Cooperation, rights
from proposals.models import Correction, Proposal
from structures.duplicates import possible_duplicate_ids
from structures.models import Structure, StructureSuggestion

LIST_SIZE = 10
ORGANISATION_LIST_SIZE = 5

# The gaps « Fiches à compléter » counts, as filters on Cooperation.objects.with_gaps().
GAPS = {
    # Named apart from the annotations they read: an aggregate may not reuse an annotation's name.
    "without_contact": Q(lacks_contact=True),
    "without_results": Q(lacks_results=True),
    "single_participant": Q(participant_count__lt=2),
    "without_start_year": Q(lacks_start_year=True),
}


# The gaps « Structures à compléter » counts, each a filter of the workspace's structure list.
STRUCTURE_GAPS = {
    "without_contact": Q(website="", email="", phone="", address=""),
    "without_siret": Q(siret__isnull=True),
}


def dashboard_context(user):
    """Fourteen queries at most, whatever the size of the directory."""
    # Each fiche's proposal, if any, names who saved it when no account did (workspace.saved_by).
    drafts = Cooperation.objects.drafts().select_related("updated_by", "proposal").order_by("-updated_at")
    gaps = Cooperation.objects.with_gaps()
    return {
        "my_drafts": list(drafts.filter(Q(created_by=user) | Q(updated_by=user))[:LIST_SIZE]),
        "drafts": list(drafts[:LIST_SIZE]),
        "draft_count": Cooperation.objects.drafts().count(),
        "proposal_count": Proposal.objects.pending().count(),
        # The suggestions this person reviews: another organisation's go to its editors (rights.py).
        "correction_count": rights.within_reach(
            Correction.objects.pending(), user, "cooperation__organisation"
        ).count(),
        "my_organisations": my_organisations(user),
        "recent": list(
            Cooperation.objects.select_related("updated_by", "proposal").order_by("-updated_at")[:LIST_SIZE]
        ),
        "gap_counts": gaps.aggregate(
            **{name: Count("pk", filter=condition) for name, condition in GAPS.items()}
        ),
        "incomplete": list(Cooperation.objects.incomplete().order_by("-updated_at")[:LIST_SIZE]),
        "structure_gaps": Structure.objects.aggregate(
            **{name: Count("pk", filter=condition) for name, condition in STRUCTURE_GAPS.items()}
        ),
        "duplicate_count": len(possible_duplicate_ids()),
        "complement_count": StructureSuggestion.objects.pending().count(),
    }


def my_organisations(user):
    """[(organisation, its latest fiches)] for the organisations `user` edits for, each with its
    published and draft counts: two queries, or one for someone of no organisation."""
    status = "curated_cooperations__status"
    organisations = list(
        user.organisations.defer("logo")
        .annotate(
            published_count=Count("curated_cooperations", filter=Q(**{status: Cooperation.Status.PUBLISHED})),
            draft_count=Count("curated_cooperations", filter=Q(**{status: Cooperation.Status.DRAFT})),
        )
        .order_by("name")
    )
    if not organisations:
        return []
    latest = (
        Cooperation.objects.filter(organisation__in=organisations)
        .select_related("updated_by", "proposal")
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("organisation_id")], order_by=F("updated_at").desc())
        )
        .filter(rank__lte=ORGANISATION_LIST_SIZE)
        .order_by("organisation_id", "rank")
    )
    fiches = {}
    for fiche in latest:
        fiches.setdefault(fiche.organisation_id, []).append(fiche)
    return [(organisation, fiches.get(organisation.pk, [])) for organisation in organisations]
