"""Following a search or a fiche with an address and no account: the double opt-in and leaving."""

import re
import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from alerts.models import Subscription, manage_key
from alerts.services import MAX_PENDING_PER_ADDRESS, MAX_REQUESTED_MAILS_PER_DAY
from lib.antispam import STARTED_SALT
from tests.factories import CooperationFactory, real_places

pytestmark = pytest.mark.django_db
FOLLOW_URL = reverse("alerts:follow_search")


@pytest.fixture(autouse=True)
def empty_rate_limit():
    cache.clear()


def answers(**changes):
    return {
        "email": "Directrice@Example.org",
        "frequency": "weekly",
        "website": "",
        "started": signing.dumps(time.time() - 60, salt=STARTED_SALT),
        **changes,
    }


def follow(client, query="", django_capture_on_commit_callbacks=None, **changes):
    """Send the form shown for the list address `query`, as a visitor would."""
    page = BeautifulSoup(client.get(f"{FOLLOW_URL}?{query}").text, "html.parser")
    hidden = page.select_one("input[name=query]")["value"]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(FOLLOW_URL, answers(query=hidden, **changes))


def link(message, name):
    """The path of the alerts link `name` ("confirmer", "desabonner", "gerer") in an e-mail."""
    return re.search(rf"http://testserver(/alertes/{name}/[^\s]+)", message.body)[1]


def test_the_page_says_which_search_is_followed_and_ignores_what_is_not_a_filter(client):
    real_places()
    response = client.get(f"{FOLLOW_URL}?region=32&department=999&sort=title&page=3")
    page = BeautifulSoup(response.text, "html.parser")
    assert [li.text for li in page.select(".subject-filters li")] == ["Région : Hauts-de-France"]
    assert page.select_one("input[name=query]")["value"] == "region=32"
    assert "« 999 » n'est pas un code de département." in page.select_one(".notice").text


def test_following_a_search_sends_a_confirmation_and_nothing_else(client, django_capture_on_commit_callbacks):
    real_places()
    response = follow(client, "region=32", django_capture_on_commit_callbacks)
    assert response.url == reverse("alerts:sent")
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.query, subscription.cooperation, subscription.frequency) == (
        "directrice@example.org",
        "region=32",
        None,
        "weekly",
    )
    assert subscription.confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["directrice@example.org"]
    assert message.subject == "Confirmez votre alerte : la recherche « Région : Hauts-de-France »"
    assert link(message, "confirmer") == reverse("alerts:confirm", args=[subscription.token])
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<http://testserver{reverse('alerts:unsubscribe', args=[subscription.token])}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link(message, "desabonner") == reverse("alerts:unsubscribe", args=[subscription.token])
    assert link(message, "gerer") == reverse("alerts:manage", args=[manage_key("directrice@example.org")])


def test_the_confirmation_links_to_the_address_the_site_is_served_from(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = ""
    client.defaults["HTTP_HOST"] = "127.0.0.1:8123"
    follow(client, "", django_capture_on_commit_callbacks)
    token = Subscription.objects.get().token
    assert f"http://127.0.0.1:8123/alertes/confirmer/{token}/" in mail.outbox[0].body
    settings.SITE_URL = "https://cooperations.example"
    follow(client, "", django_capture_on_commit_callbacks, email="autre@example.org")
    token = Subscription.objects.get(email="autre@example.org").token
    assert f"https://cooperations.example/alertes/confirmer/{token}/" in mail.outbox[1].body
    assert "127.0.0.1:8123" not in mail.outbox[1].body


def test_opening_the_link_does_not_confirm_only_the_button_does(client, django_capture_on_commit_callbacks):
    follow(client, "", django_capture_on_commit_callbacks)
    confirm_url = link(mail.outbox[0], "confirmer")
    response = client.get(confirm_url)
    assertContains(response, "<p>Vous allez suivre : toutes les coopérations publiées.</p>", html=True)
    assert Subscription.objects.get().confirmed_at is None
    response = client.post(confirm_url, follow=True)
    assert Subscription.objects.get().confirmed_at is not None
    assertContains(response, '<p class="message message-success">Votre alerte est activée.</p>', html=True)
    assert response.redirect_chain[-1][0] == reverse(
        "alerts:manage", args=[manage_key("directrice@example.org")]
    )


def test_a_confirmation_link_expires_after_a_week(client):
    subscription = Subscription.objects.create(email="a@b.fr")
    Subscription.objects.filter(pk=subscription.pk).update(
        created_at=timezone.now() - Subscription.CONFIRMATION_DELAY
    )
    response = client.post(reverse("alerts:confirm", args=[subscription.token]))
    assert response.status_code == 404
    assertContains(response, "<h1>Ce lien n'est plus valable</h1>", html=True, status_code=404)
    assert client.get(reverse("alerts:confirm", args=["inconnu"])).status_code == 404


def test_following_a_published_fiche(client, django_capture_on_commit_callbacks):
    fiche = CooperationFactory(published=True, title="Légumerie du Pays de Brest")
    url = reverse("alerts:follow_fiche", args=[fiche.slug])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, answers(frequency="daily"))
    subscription = Subscription.objects.get()
    assert (subscription.cooperation, subscription.query, subscription.frequency) == (fiche, "", "daily")
    assert mail.outbox[0].subject == "Confirmez votre alerte : la fiche « Légumerie du Pays de Brest »"
    assert client.get(reverse("alerts:follow_fiche", args=[CooperationFactory().slug])).status_code == 404


def an_hour_passes():
    Subscription.objects.update(requested_mail_at=F("requested_mail_at") - Subscription.RESEND_DELAY)


def test_asking_twice_sends_again_after_an_hour_stores_once_and_a_confirmed_alert_gets_a_reminder(
    client, django_capture_on_commit_callbacks
):
    follow(client, "", django_capture_on_commit_callbacks)
    response = follow(client, "", django_capture_on_commit_callbacks, frequency="daily")
    assert response.url == reverse("alerts:sent")  # the same answer, without a second e-mail
    subscription = Subscription.objects.get()
    assert subscription.frequency == "daily"
    assert len(mail.outbox) == 1
    an_hour_passes()
    follow(client, "", django_capture_on_commit_callbacks)
    assert [m.subject for m in mail.outbox] == [
        "Confirmez votre alerte : toutes les coopérations publiées"
    ] * 2
    Subscription.objects.update(confirmed_at=timezone.now())
    an_hour_passes()
    response = follow(client, "", django_capture_on_commit_callbacks)
    assert response.url == reverse("alerts:sent")  # the same page: nobody learns what an address follows
    assert mail.outbox[2].subject == "Vous suivez déjà : toutes les coopérations publiées"
    assert link(mail.outbox[2], "gerer") == reverse(
        "alerts:manage", args=[manage_key("directrice@example.org")]
    )


def test_nobody_can_flood_a_mailbox_with_requests(client, django_capture_on_commit_callbacks, settings):
    settings.ANTISPAM_RATE_LIMIT = 100
    real_places()
    codes = ["32", "84", "01", "11", "24", "27"]
    for code in codes[: MAX_PENDING_PER_ADDRESS + 1]:
        assert follow(client, f"region={code}", django_capture_on_commit_callbacks).url == reverse(
            "alerts:sent"
        )
    assert Subscription.objects.count() == len(mail.outbox) == MAX_PENDING_PER_ADDRESS


def test_an_address_gets_a_few_requested_e_mails_a_day_whoever_asks(
    client, django_capture_on_commit_callbacks, settings
):
    """The audit's bombing: the same alert asked for again and again, from 20 client addresses."""
    settings.ANTISPAM_RATE_LIMIT = 100
    pages = []
    for attempt in range(20):
        settings.PROXY_COUNT = 1
        client.defaults["HTTP_X_FORWARDED_FOR"] = f"203.0.113.{attempt}"
        pages.append(follow(client, "", django_capture_on_commit_callbacks).url)
        an_hour_passes()
    assert set(pages) == {reverse("alerts:sent")}
    assert len(mail.outbox) == MAX_REQUESTED_MAILS_PER_DAY == 5


def test_a_failing_mail_server_neither_fails_the_request_nor_loses_the_alert(
    client, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("serveur de courrier injoignable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = follow(client, "", django_capture_on_commit_callbacks)
    assert response.url == reverse("alerts:sent")
    assert Subscription.objects.filter(email="directrice@example.org").exists()
    assert "E-mail not sent: alert" in caplog.text
    health = client.get(reverse("healthz")).json()
    assert (health["email"], health["status"]) == ("failing", "degraded")


def test_a_followed_search_with_a_line_break_is_confirmed_on_one_line(
    client, django_capture_on_commit_callbacks
):
    follow(client, "q=ressourcerie%0D%0ABcc:%20victime@example.org", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.subject == (
        "Confirmez votre alerte : la recherche « Recherche : « ressourcerie Bcc: victime@example.org » »"
    )
    assert message.message()["Bcc"] is None
    assert Subscription.objects.get().query == "q=ressourcerie+Bcc%3A+victime%40example.org"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        ({"frequency": "hourly"}, "Sélectionnez un choix valide."),
        ({"website": "http://spam.example"}, "Le formulaire n'a pas pu être envoyé."),
    ],
)
def test_bad_answers_and_robots_are_refused(client, changes, error):
    response = client.post(FOLLOW_URL, answers(**changes))
    errors = " ".join(li.text for li in BeautifulSoup(response.text, "html.parser").select(".errorlist li"))
    assert error in errors.replace("’", "'")
    assert not Subscription.objects.exists()


def test_a_flood_from_one_connection_is_stopped(client, settings, django_capture_on_commit_callbacks):
    settings.ANTISPAM_RATE_LIMIT = 1
    follow(client, "", django_capture_on_commit_callbacks)
    response = client.post(FOLLOW_URL, answers(email="autre@example.org"))
    assertContains(response, "Beaucoup de demandes sont parties de votre connexion")
    assert Subscription.objects.count() == 1


# --- Leaving ------------------------------------------------------------------------------------------


@pytest.fixture
def confirmed():
    return Subscription.objects.create(email="a@b.fr", query="", confirmed_at=timezone.now())


def test_opening_the_unsubscribe_link_asks_and_deletes_nothing(client, confirmed):
    """Mail filters open every link of an e-mail: opening it only asks."""
    response = client.get(reverse("alerts:unsubscribe", args=[confirmed.token]))
    assert Subscription.objects.filter(pk=confirmed.pk).exists()
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.text == "Se désabonner ?"
    assert page.select_one(".form-subject").text.strip() == (
        "Vous ne recevrez plus d'e-mail pour : toutes les coopérations publiées."
    )
    form = page.select_one("main form") or page.select_one("form.public-form")
    assert form["method"] == "post" and form.button.text == "Me désabonner"


def test_the_button_unsubscribes_and_offers_to_undo(client, confirmed):
    response = client.post(reverse("alerts:unsubscribe", args=[confirmed.token]))
    assert not Subscription.objects.exists()
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.text == "Vous êtes désabonné"
    undo = page.select_one("input[name=undo]")["value"]
    response = client.post(reverse("alerts:resubscribe"), {"undo": undo})
    restored = Subscription.objects.get()
    assert (restored.email, restored.query, restored.is_confirmed) == ("a@b.fr", "", True)
    assert response.url == reverse("alerts:manage", args=[manage_key("a@b.fr")])


def test_a_forged_undo_restores_nothing(client):
    assert client.post(reverse("alerts:resubscribe"), {"undo": "faux"}).status_code == 404
    assert not Subscription.objects.exists()


def test_mail_programs_unsubscribe_with_one_post_and_no_cookie(confirmed):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("alerts:unsubscribe", args=[confirmed.token]), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_an_old_unsubscribe_link_says_the_alert_is_gone(client):
    response = client.get(reverse("alerts:unsubscribe", args=["deja-parti"]))
    assertContains(
        response, "<p>Cette alerte n'existe plus : vous ne recevrez plus d'e-mail à son sujet.</p>", html=True
    )


def test_the_manage_page_lists_an_address_alerts_and_deletes_them(client, confirmed):
    fiche = CooperationFactory(published=True, title="Légumerie")
    Subscription.objects.create(email="a@b.fr", cooperation=fiche, frequency="daily")
    Subscription.objects.create(email="autre@b.fr", query="level=simple", confirmed_at=timezone.now())
    url = reverse("alerts:manage", args=[manage_key("a@b.fr")])
    page = BeautifulSoup(client.get(url).text, "html.parser")
    items = page.select(".alert-list > li")
    assert [item.select_one(".alert-what a").text for item in items] == [
        "Toutes les coopérations publiées",
        "La fiche « Légumerie »",
    ]
    assert "en attente de confirmation" in items[1].select_one(".alert-meta").text
    client.post(url, {"token": confirmed.token})
    assert list(Subscription.objects.filter(email="a@b.fr").values_list("cooperation", flat=True)) == [
        fiche.pk
    ]
    client.post(url, {"token": "all"})
    assert list(Subscription.objects.values_list("email", flat=True)) == ["autre@b.fr"]


def test_a_manage_address_cannot_be_made_up_or_reach_another_address_alerts(client, confirmed):
    key = manage_key("a@b.fr")
    assert "a@b.fr" not in key
    made_up = BeautifulSoup(client.get(reverse("alerts:manage", args=["a@b.fr"])).text, "html.parser")
    assert made_up.select(".alert-list") == []
    other = Subscription.objects.create(email="autre@b.fr", confirmed_at=timezone.now())
    client.post(reverse("alerts:manage", args=[manage_key("a@b.fr")]), {"token": other.token})
    assert Subscription.objects.filter(pk=other.pk).exists()
