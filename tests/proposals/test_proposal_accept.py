"""Nothing typed is lost: accepting a proposal gives its draft the structures the person named (found in the
directory or created, with their kinds and roles), their contact as an internal note, and their source."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from cooperations.models import Participation, Source
from proposals.models import Proposal
from structures.models import Structure
from tests.factories import CooperationFactory, SourceFactory, StructureFactory
from tests.proposals.test_proposals import URL, participant_rows, started

pytestmark = pytest.mark.django_db


def propose(client, **extra):
    answers = {
        "title": "Blanchisserie partagée du Pays basque",
        "department": "64",
        "description": "Trois structures mettent en commun une blanchisserie industrielle.",
        "contact_name": "Marie Etcheverry",
        "contact_email": "marie@example.org",
        "website": "",
        "started": started(),
        **participant_rows(
            ("Régie de quartier Nord", "ACI", "lead"),
            ("Blanchisserie de l'Adour", "", "partner"),
            ("Ville de Bayonne", "local_authority", "funder"),
        ),
        "source_title": "Article de Sud Ouest, mars 2026",
        "source_url": "https://journal.example/blanchisserie",
    }
    assert client.post(URL, answers | extra).status_code == 302
    return Proposal.objects.get()


def test_the_draft_gets_the_named_structures_with_their_kinds_and_roles(client, editor):
    regie = StructureFactory(name="Régie de quartier Nord", kind=Structure.Kind.ACI)
    proposal = propose(client)
    client.post(reverse("editing:proposal_accept", args=[proposal.pk]))

    participations = proposal.cooperation.participations.select_related("structure").in_role_order()
    assert [(p.structure.name, p.structure.kind, p.role) for p in participations] == [
        ("Régie de quartier Nord", "ACI", "lead"),
        ("Blanchisserie de l'Adour", "other", "partner"),
        ("Ville de Bayonne", "local_authority", "funder"),
    ]
    assert participations[0].structure == regie  # found, not created twice
    created = Structure.objects.get(name="Ville de Bayonne")
    assert created.history.get().history_change_reason == "Proposition de Marie Etcheverry retenue"


def test_the_draft_gets_the_contact_as_an_internal_note_and_the_source(client, editor):
    proposal = propose(client)
    client.post(reverse("editing:proposal_accept", args=[proposal.pk]))
    cooperation = proposal.cooperation
    cooperation.refresh_from_db()
    assert cooperation.internal_note.startswith("Proposée en ligne le ")
    assert "par Marie Etcheverry (marie@example.org)." in cooperation.internal_note
    (source,) = cooperation.sources.all()
    assert (source.title, source.url) == (
        "Article de Sud Ouest, mars 2026",
        "https://journal.example/blanchisserie",
    )
    # The draft opens in the editor with all of it.
    page = BeautifulSoup(
        client.get(reverse("editing:cooperation_edit", args=[cooperation.pk])).content, "html.parser"
    )
    assert [row.get_text() for row in page.select(".participant-name")] == [
        "Régie de quartier Nord",
        "Blanchisserie de l'Adour",
        "Ville de Bayonne",
    ]
    assert "marie@example.org" in page.select_one("#id_internal_note").get_text()
    assert page.select_one(f"#id_sources input[value='{source.pk}']").has_attr("checked")
    # Nothing of it is public.
    assert (
        "marie@example.org" not in client.get(reverse("cooperations:preview", args=[cooperation.slug])).text
    )


def test_a_known_source_is_reused_and_no_source_adds_none(client, editor):
    known = SourceFactory(url="https://journal.example/blanchisserie")
    proposal = propose(client)
    client.post(reverse("editing:proposal_accept", args=[proposal.pk]))
    assert list(proposal.cooperation.sources.all()) == [known]
    assert Source.objects.count() == 1


def test_a_name_given_twice_takes_part_once_with_the_stronger_role(client, editor):
    rows = participant_rows(("Régie du Lac", "ACI", "funder"), ("régie du lac", "ACI", "lead"))
    proposal = propose(client, **rows, **{"participants-2-name": ""}, source_title="", source_url="")
    client.post(reverse("editing:proposal_accept", args=[proposal.pk]))
    assert list(proposal.cooperation.participations.values_list("structure__name", "role")) == [
        ("Régie du Lac", "lead")
    ]
    assert not proposal.cooperation.sources.exists()


def test_a_proposal_sent_as_text_before_the_rows_keeps_its_structures(client, editor):
    cooperation = CooperationFactory(title="Ancienne proposition")
    proposal = Proposal.objects.create(
        cooperation=cooperation,
        structures_text="Régie de quartier Nord ; ACI\nBlanchisserie de l'Adour",
        contact_name="Marie Etcheverry",
        contact_email="marie@example.org",
    )
    client.post(reverse("editing:proposal_accept", args=[proposal.pk]))
    assert sorted(cooperation.participations.values_list("structure__name", "structure__kind", "role")) == [
        ("Blanchisserie de l'Adour", "other", Participation.Role.PARTNER),
        ("Régie de quartier Nord", "ACI", Participation.Role.PARTNER),
    ]


def test_the_form_adds_a_row_without_script_and_keeps_what_was_typed(client):
    answers = {
        "title": "Blanchisserie",
        "add-participant": "1",
        "started": started(),
        **participant_rows(("Régie de quartier Nord", "ACI", "lead"), total=4),
    }
    page = BeautifulSoup(client.post(URL, answers).content, "html.parser")
    assert len(page.select(".participant-row")) == 5
    assert page.select_one("#id_participants-0-name")["value"] == "Régie de quartier Nord"
    assert not page.select(".errorlist")  # one more row is not a submission
    assert not Proposal.objects.exists()


def test_a_proposal_without_any_structure_is_refused(client):
    response = client.post(
        URL,
        {
            "title": "Blanchisserie",
            "department": "64",
            "description": "Trois structures.",
            "contact_name": "Marie",
            "contact_email": "marie@example.org",
            "started": started(),
            **participant_rows(),
        },
    )
    assert "Indiquez au moins une structure" in response.content.decode()
    assert not Proposal.objects.exists()
