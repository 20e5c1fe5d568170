"""manage.py send_alerts: what is due goes out once, with only published fiches, and nothing twice."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from alerts.digests import DIGEST_SIZE, send_due_digests
from alerts.models import Subscription
from cooperations.models import Cooperation
from cooperations.services import cooperation_publish
from structures.models import Structure
from tests.factories import (
    CooperationFactory,
    CooperationFormFactory,
    StructureFactory,
    UserFactory,
    real_places,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def send(**options):
    out = io.StringIO()
    call_command("send_alerts", stdout=out, **options)
    return out.getvalue().strip()


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


@pytest.fixture
def places():
    return real_places()


@pytest.fixture
def nord_alert(places):
    """Confirmed two days ago, for the fiches of the Nord."""
    subscription = Subscription.objects.create(email="d@example.org", query="department=59")
    Subscription.objects.filter(pk=subscription.pk).update(created_at=ago(days=2), confirmed_at=ago(days=2))
    subscription.refresh_from_db()
    return subscription


def publish(title, places, **fields):
    return CooperationFactory(published=True, title=title, departments=[places["nord"]], **fields)


def test_a_digest_lists_the_new_matching_fiches_with_their_links(nord_alert, places):
    gme = CooperationFormFactory(name="Groupement momentané d'entreprises")
    publish("Blanchisserie du Nord", places, forms=[gme])
    CooperationFactory(published=True, title="Légumerie du Rhône", departments=[places["rhone"]])
    assert send() == (
        "1 alerte(s) envoyée(s) (1 fiche(s)), 0 sans nouveauté, 0 en échec, "
        "0 demande(s) non confirmée(s) supprimée(s)."
    )
    [message] = mail.outbox
    assert message.to == ["d@example.org"]
    assert message.subject == "1 fiche nouvelle ou modifiée pour la recherche « Département : 59 Nord »"
    fiche = Cooperation.objects.get(title="Blanchisserie du Nord")
    assert (
        "- Blanchisserie du Nord (nouvelle)\n"
        "  Nord · Groupement momentané d'entreprises\n"
        f"  http://127.0.0.1:8000{fiche.get_absolute_url()}\n"
    ) in message.body
    assert "Légumerie du Rhône" not in message.body
    assert (
        "Toutes les fiches de cette recherche : http://127.0.0.1:8000/cooperations/?department=59"
        in message.body
    )
    assert f"en un clic : http://127.0.0.1:8000/alertes/desabonner/{nord_alert.token}/" in message.body
    assert "Voir et supprimer toutes vos alertes : http://127.0.0.1:8000/alertes/gerer/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/alertes/desabonner/")


def test_digests_link_to_site_url_when_it_is_set(nord_alert, places, settings):
    settings.SITE_URL = "https://cooperations.example"
    fiche = publish("Blanchisserie du Nord", places)
    send()
    [message] = mail.outbox
    assert f"  https://cooperations.example{fiche.get_absolute_url()}\n" in message.body
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<https://cooperations.example/alertes/desabonner/{nord_alert.token}/>"
    )
    assert "127.0.0.1" not in message.body


def test_running_twice_sends_nothing_twice(nord_alert, places):
    publish("Blanchisserie du Nord", places)
    send()
    assert send().startswith("0 alerte(s) envoyée(s)")
    assert len(mail.outbox) == 1


def test_drafts_and_fiches_older_than_the_alert_never_appear(nord_alert, places):
    CooperationFactory(title="Brouillon du Nord", departments=[places["nord"]])
    old = publish("Ancienne fiche", places)
    Cooperation.objects.filter(pk=old.pk).update(updated_at=ago(days=10), published_at=ago(days=10))
    assert send().startswith("0 alerte(s) envoyée(s) (0 fiche(s)), 1 sans nouveauté")
    assert not mail.outbox


def test_a_changed_fiche_is_listed_as_changed(nord_alert, places):
    fiche = publish("Blanchisserie du Nord", places, published_at=ago(days=5))
    fiche.results = "Dix emplois créés."
    fiche.save()
    send()
    assert "- Blanchisserie du Nord (modifiée)" in mail.outbox[0].body


def test_unconfirmed_requests_get_nothing_and_are_deleted_after_a_week(places):
    pending = Subscription.objects.create(email="p@example.org")
    stale = Subscription.objects.create(email="s@example.org")
    Subscription.objects.filter(pk=stale.pk).update(created_at=ago(days=8))
    publish("Blanchisserie du Nord", places)
    assert send().endswith("1 demande(s) non confirmée(s) supprimée(s).")
    assert not mail.outbox
    assert list(Subscription.objects.all()) == [pending]


def test_a_weekly_alert_waits_a_week_after_its_last_email_and_a_daily_one_a_day(nord_alert, places):
    daily = Subscription.objects.create(
        email="q@example.org", query="department=59", frequency="daily", confirmed_at=ago(days=3)
    )
    Subscription.objects.filter(pk__in=[nord_alert.pk, daily.pk]).update(
        last_sent_at=ago(hours=23, minutes=30)
    )
    publish("Blanchisserie du Nord", places)
    send()
    # The daily one is due (a day, give or take the run's hour); the weekly one is not.
    assert [m.to for m in mail.outbox] == [["q@example.org"]]
    Subscription.objects.filter(pk=nord_alert.pk).update(last_sent_at=ago(days=6, hours=23, minutes=30))
    send()
    assert [m.to for m in mail.outbox] == [["q@example.org"], ["d@example.org"]]


def test_following_a_fiche_sends_its_changes_only(places, django_capture_on_commit_callbacks):
    fiche = publish("Blanchisserie du Nord", places, published_at=ago(days=5))
    Cooperation.objects.filter(pk=fiche.pk).update(updated_at=ago(days=5))
    other = publish("Autre fiche", places)
    subscription = Subscription.objects.create(
        email="f@example.org", cooperation=fiche, confirmed_at=ago(days=2)
    )
    assert send().startswith("0 alerte(s) envoyée(s)")
    fiche.refresh_from_db()
    fiche.figures_text = "20 tonnes de linge par an."
    fiche.save()
    send()
    [message] = mail.outbox
    assert message.subject == "La fiche « Blanchisserie du Nord » a été modifiée"
    assert "Blanchisserie du Nord (modifiée)" in message.body
    assert other.title not in message.body
    assert subscription.token in message.extra_headers["List-Unsubscribe"]


def test_a_fiche_s_followers_hear_of_a_participant_s_new_contact_details(places):
    chantier = StructureFactory(name="Chantier du Port", phone="02 98 00 00 00")
    fiche = publish("Blanchisserie du Nord", places, published_at=ago(days=5), participants=[chantier])
    Cooperation.objects.filter(pk=fiche.pk).update(updated_at=ago(days=5))
    Structure.objects.filter(pk=chantier.pk).update(updated_at=ago(days=5))
    Subscription.objects.create(email="f@example.org", cooperation=fiche, confirmed_at=ago(days=2))
    nord_search = Subscription.objects.create(
        email="d@example.org", query="department=59", confirmed_at=ago(days=2)
    )
    assert send().startswith("0 alerte(s) envoyée(s)")

    chantier.refresh_from_db()
    chantier.phone = "02 98 11 11 11"
    chantier.save()
    send()
    [message] = mail.outbox  # the fiche's follower only: a search lists the fiches' own changes
    assert message.to == ["f@example.org"]
    assert message.subject == "La fiche « Blanchisserie du Nord » a été modifiée"
    assert "Blanchisserie du Nord (modifiée)" in message.body
    assert nord_search.last_sent_at is None
    assert send().startswith("0 alerte(s) envoyée(s)")  # told once


def test_an_unpublished_fiche_is_no_longer_sent(places):
    fiche = publish("Blanchisserie du Nord", places)
    Subscription.objects.create(email="f@example.org", cooperation=fiche, confirmed_at=ago(days=2))
    Cooperation.objects.filter(pk=fiche.pk).update(status=Cooperation.Status.DRAFT)
    send()
    assert not mail.outbox


def test_a_long_digest_lists_the_latest_and_links_to_the_rest(nord_alert, places):
    for i in range(DIGEST_SIZE + 3):
        publish(f"Fiche {i:02d}", places)
    send()
    body = mail.outbox[0].body
    assert (
        mail.outbox[0].subject
        == f"{DIGEST_SIZE + 3} fiches nouvelles ou modifiées pour la recherche « Département : 59 Nord »"
    )
    assert body.count("(nouvelle)") == DIGEST_SIZE
    assert "Et 3 autres fiches : http://127.0.0.1:8000/cooperations/?department=59" in body


def test_a_dry_run_sends_and_deletes_nothing(nord_alert, places):
    Subscription.objects.filter(pk=Subscription.objects.create(email="s@example.org").pk).update(
        created_at=ago(days=8)
    )
    publish("Blanchisserie du Nord", places)
    assert send(dry_run=True) == (
        "Essai, rien n'est envoyé ni effacé : 1 alerte(s) envoyée(s) (1 fiche(s)), 0 sans nouveauté, "
        "0 en échec, 1 demande(s) non confirmée(s) supprimée(s)."
    )
    assert not mail.outbox
    assert Subscription.objects.count() == 2
    assert Subscription.objects.get(pk=nord_alert.pk).last_sent_at is None


def test_a_failed_sending_is_reported_and_retried_at_the_next_run(nord_alert, places, monkeypatch):
    publish("Blanchisserie du Nord", places)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(CommandError, match="1 alerte"):
        send()
    nord_alert.refresh_from_db()
    assert nord_alert.last_sent_at is None
    monkeypatch.undo()
    send()
    assert len(mail.outbox) == 1


def test_publishing_a_matching_fiche_is_what_triggers_the_digest(nord_alert, places):
    draft = CooperationFactory(title="Blanchisserie du Nord", departments=[places["nord"]])
    send()
    assert not mail.outbox
    cooperation_publish(cooperation=draft, user=UserFactory(administrator=True))
    send()
    assert "Blanchisserie du Nord (nouvelle)" in mail.outbox[0].body


def test_each_search_runs_once_and_each_fiche_is_read_once_whatever_the_number_of_alerts(
    places, django_assert_num_queries
):
    for i in range(3):
        Subscription.objects.create(email=f"{i}@example.org", query="department=59", confirmed_at=ago(days=2))
    Subscription.objects.create(email="tout@example.org", query="", confirmed_at=ago(days=2))
    publish("Blanchisserie du Nord", places)
    send_due_digests(dry_run=True)  # fills the cache of the filters' choices
    # 1 delete the stale requests, 2 the due alerts. The first alert of the Nord: 3 savepoint, 4 its row,
    # 5 its search, 6 the fiche, 7-9 its forms, departments and regions, 10 the mark, 11 release; the
    # two others: savepoint, row, mark, release (8 in all); the alert on every fiche: savepoint, row,
    # its search, mark, release (5), the fiche already read.
    with django_assert_num_queries(2 + 9 + 8 + 5):
        report = send_due_digests()
    assert (report.sent, len(mail.outbox)) == (4, 4)
