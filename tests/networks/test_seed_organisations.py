"""Each seeded fiche takes the organisation that published its source document, where the document
names one."""

import pytest

from cooperations.models import Cooperation
from structures.models import Network

pytestmark = pytest.mark.django_db


def test_the_seeded_fiches_are_followed_by_the_publisher_of_their_document(seeded):
    by_source = {}
    for slug, source in Cooperation.objects.values_list("organisation__slug", "sources__key"):
        by_source.setdefault(source, set()).add(slug)
    # A fiche cites its own document first; those citing several are followed by the first one's.
    fiches = Cooperation.objects.all()
    organisations = {
        fiche.pk: fiche.organisation.slug if fiche.organisation else None
        for fiche in fiches.select_related("organisation")
    }
    assert set(organisations.values()) == {"coorace", "avise", "dreets-hauts-de-france", None}
    assert by_source["dreets-hdf-webinaire-iae-ea"] >= {"dreets-hauts-de-france"}
    # The synthesis names no publisher: its fiches are followed by no one.
    assert by_source["synthese-partenariats-innovants"] == {None}


def test_the_organisations_are_described_and_coorace_stays_the_structures_network(seeded):
    coorace = Network.objects.get(slug="coorace")
    assert (coorace.name, coorace.kind, coorace.website) == (
        "COORACE",
        "federation",
        "https://www.coorace.org",
    )
    assert coorace.structures.exists()  # the network its member structures name
    assert Network.objects.get(slug="dreets-hauts-de-france").kind == Network.Kind.STATE_SERVICE
    assert Network.objects.get(slug="avise").kind == Network.Kind.RESOURCE_CENTRE
    assert Cooperation.objects.filter(organisation__slug="coorace").count() == 29
