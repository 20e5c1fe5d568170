"""The forgotten-password page answers alike, and as fast, whether the address has an account, and
holds back an address asking again and again."""

import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import RequestFactory
from django.urls import reverse

from accounts.views import PasswordResetView
from tests.factories import UserFactory

URL = reverse("password_reset")


class SlowEmailBackend(EmailBackend):
    """An SMTP server a third of a second away."""

    def send_messages(self, messages):
        time.sleep(0.3)
        return super().send_messages(messages)


def ask(email):
    """(seconds until the answer, the answer) for a reset asked for `email`, as a server would serve it."""
    request = RequestFactory().post(URL, {"email": email}, REMOTE_ADDR="203.0.113.9")
    request._dont_enforce_csrf_checks = True
    started = time.monotonic()
    response = PasswordResetView.as_view()(request)
    return time.monotonic() - started, response


@pytest.mark.django_db
def test_the_answer_takes_as_long_whether_the_address_has_an_account_or_not(settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_password_reset.SlowEmailBackend"
    UserFactory(email="ines@example.org")
    ask("personne@example.org")  # the first request of a process loads what every later one reuses
    known_time, known = ask("ines@example.org")
    unknown_time, unknown = ask("inconnu@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("password_reset_done")
    assert abs(known_time - unknown_time) < 0.1  # the e-mail's 0.3 s are not in the answer
    assert mail.outbox == []
    # The e-mail goes once the answer is sent, when the server closes it.
    known.close()
    unknown.close()
    assert [message.to for message in mail.outbox] == [["ines@example.org"]]


@pytest.mark.django_db
def test_an_address_asking_too_often_is_held_back(client, settings):
    settings.ANTISPAM_RATE_LIMIT = 2
    UserFactory(email="ines@example.org")
    for _ in range(2):
        assert client.post(URL, {"email": "ines@example.org"}).status_code == 302
    response = client.post(URL, {"email": "ines@example.org"})
    assert response.status_code == 200
    assert "Beaucoup de demandes sont parties de votre connexion en peu de temps" in response.text
    assert len(mail.outbox) == 2
    # Another address is not held back.
    assert client.post(URL, {"email": "ines@example.org"}, REMOTE_ADDR="192.0.2.7").status_code == 302
