"""What the workspace's dashboard shows: drafts, what waits for review, recent changes, gaps."""

from django.db.models import Count, Q

from cooperations.models import Cooperation
from proposals.models import Correction, Proposal
from structures.duplicates import possible_duplicate_ids
from structures.models import Structure, StructureSuggestion

LIST_SIZE = 10

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
    """Eleven queries, whatever the size of the directory."""
    # Each fiche's proposal, if any, names who saved it when no account did (workspace.saved_by).
    drafts = Cooperation.objects.drafts().select_related("updated_by", "proposal").order_by("-updated_at")
    gaps = Cooperation.objects.with_gaps()
    return {
        "my_drafts": list(drafts.filter(Q(created_by=user) | Q(updated_by=user))[:LIST_SIZE]),
        "drafts": list(drafts[:LIST_SIZE]),
        "draft_count": Cooperation.objects.drafts().count(),
        "proposal_count": Proposal.objects.pending().count(),
        "correction_count": Correction.objects.pending().count(),
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
