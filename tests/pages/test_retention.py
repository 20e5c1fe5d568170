"""`manage.py erase_personal_data`: what has outlived its retention is deleted or blanked, the rest kept."""

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from alerts.models import Subscription
from cooperations.models import SearchRecord
from lib.dates import months_before
from pages.retention import RETENTION
from proposals.models import Correction, Proposal
from tests.factories import CooperationFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def ago(**delta):
    return NOW - datetime.timedelta(**delta)


def erase(*args):
    out = io.StringIO()
    call_command("erase_personal_data", *args, stdout=out)
    return out.getvalue()


def proposal(status, reviewed_at):
    return Proposal.objects.create(
        cooperation=CooperationFactory(),
        structures_text="Régie ; ACI",
        contact_name="Marie Etcheverry",
        contact_email="marie@example.org",
        status=status,
        reviewed_at=reviewed_at,
    )


def correction(status, reviewed_at, **contact):
    return Correction.objects.create(
        cooperation=CooperationFactory(published=True),
        message="Le téléphone a changé.",
        status=status,
        reviewed_at=reviewed_at,
        **({"name": "Yann", "email": "yann@example.org"} | contact),
    )


@pytest.fixture
def records():
    reviewer = UserFactory(editor=True)
    old, recent = ago(days=200), ago(days=100)
    Subscription.objects.filter(pk=Subscription.objects.create(email="a@example.org").pk).update(
        created_at=ago(days=8)
    )
    Subscription.objects.create(email="b@example.org")
    AccessLog.objects.filter(pk=AccessLog.objects.create(username="ines", ip_address="192.0.2.1").pk).update(
        attempt_time=ago(days=400)
    )
    AccessLog.objects.create(username="ines", ip_address="192.0.2.1")
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=ago(days=1))
    Session.objects.create(
        session_key="y" * 32, session_data="", expire_date=NOW + datetime.timedelta(days=1)
    )
    return {
        "old_proposal": proposal(Proposal.Status.ACCEPTED, old),
        "recent_proposal": proposal(Proposal.Status.DECLINED, recent),
        "pending_proposal": proposal(Proposal.Status.PENDING, None),
        "old_correction": correction(Correction.Status.DISMISSED, old),
        "recent_correction": correction(Correction.Status.ACCEPTED, recent),
        "reviewer": reviewer,
    }


def test_what_outlived_its_retention_is_erased_and_the_rest_kept(records):
    output = erase()
    assert "1 : demandes d'alerte non confirmées (7 jours)" in output
    assert "1 : noms et adresses des propositions examinées (6 mois)" in output
    assert "1 : noms et adresses des suggestions examinées (6 mois)" in output
    assert "1 : connexions de l'équipe (12 mois)" in output
    assert "1 : sessions expirées" in output
    assert output.strip().endswith("5 enregistrement(s) effacé(s).")
    assert list(Subscription.objects.values_list("email", flat=True)) == ["b@example.org"]
    old = Proposal.objects.get(pk=records["old_proposal"].pk)
    assert (old.contact_name, old.contact_email) == ("", "")
    assert old.cooperation_id == records["old_proposal"].cooperation_id  # the draft fiche stays
    for kept in ("recent_proposal", "pending_proposal"):
        assert Proposal.objects.get(pk=records[kept].pk).contact_email == "marie@example.org"
    assert Correction.objects.get(pk=records["old_correction"].pk).email == ""
    assert Correction.objects.get(pk=records["old_correction"].pk).message == "Le téléphone a changé."
    assert Correction.objects.get(pk=records["recent_correction"].pk).email == "yann@example.org"
    assert AccessLog.objects.count() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["y" * 32]


def test_running_it_again_erases_nothing_more(records):
    erase()
    assert erase().strip().endswith("0 enregistrement(s) effacé(s).")


def test_a_dry_run_counts_and_erases_nothing(records):
    output = erase("--dry-run")
    assert output.strip().endswith("Essai, rien n'est effacé : 5 enregistrement(s) à effacer.")
    assert Proposal.objects.get(pk=records["old_proposal"].pk).contact_email == "marie@example.org"
    assert Subscription.objects.count() == 2


def test_failed_sign_ins_are_kept_a_day():
    attempt = AccessAttempt.objects.create(username="ines", ip_address="192.0.2.1", failures_since_start=1)
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=ago(hours=25))
    assert "1 : tentatives de connexion échouées (1 jour)" in erase()
    assert not AccessAttempt.objects.exists()


def test_search_records_are_kept_thirteen_months():
    today = timezone.localdate()
    for months in (12, 14):
        SearchRecord.objects.create(
            query=f"{months} mois",
            result_count=0,
            searched_on=months_before(today, months) + datetime.timedelta(days=1),
        )
    assert "1 : recherches faites dans la liste (13 mois)" in erase()
    assert list(SearchRecord.objects.values_list("query", flat=True)) == ["12 mois"]


def test_each_kind_of_record_is_one_entry_with_its_label():
    labels = [retention.label for retention in RETENTION]
    assert len(set(labels)) == len(labels) == 7
