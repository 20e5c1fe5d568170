"""Rate limits and anti-robot tokens are counted in a cache every process and server shares, per
client address (as django-axes sees it), and a form page's token is accepted once."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django import forms
from django.core import signing
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from lib.antispam import STARTED_SALT, GuardedForm, rate_limited

ROOT = Path(__file__).resolve().parents[2]
LOAD_BALANCER = "10.0.0.2"


def request_from(address, forwarded=""):
    return RequestFactory().post("/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=forwarded)


def test_the_shared_cache_is_redis_or_the_database_never_one_per_process():
    for environment, backend in (
        ({"REDIS_URL": "redis://127.0.0.1:6379/9"}, "lib.redis_cache.TolerantRedisCache"),
        ({"REDIS_URL": ""}, "django.core.cache.backends.db.DatabaseCache"),
    ):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from config import settings; print(settings.CACHES['shared']['BACKEND'])",
            ],
            cwd=ROOT,
            env={**os.environ, **environment},
            capture_output=True,
            text=True,
            check=True,
        )
        assert result.stdout.strip() == backend


def database_url():
    """The test database as a DATABASE_URL, for the processes a test starts (a socket directory as the
    host is written percent-encoded, its port as an option)."""
    database = connection.settings_dict
    host, port = database["HOST"], str(database["PORT"] or "")
    if host.startswith("/"):
        host, options = quote(host, safe=""), f"?port={port}" if port else ""
    else:
        host, options = f"{host}:{port}" if port else host, ""
    user = ":".join(quote(part, safe="") for part in (database["USER"], database["PASSWORD"] or "") if part)
    return f"postgres://{user}@{host}/{quote(database['NAME'], safe='')}{options}"


@pytest.mark.django_db(transaction=True)
def test_two_processes_count_one_address_together():
    """Two server processes, without Redis: the second sees the sendings counted by the first."""
    # The counts go to the shared cache's table, which a reused test database keeps: start from none.
    caches["shared"].clear()
    environment = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": ""}
    send_three = (
        "from django.test import RequestFactory; from lib.antispam import rate_limited; "
        "request = RequestFactory().post('/', REMOTE_ADDR='203.0.113.9'); "
        "print([rate_limited(request, 'proposals') for _ in range(3)])"
    )
    outcomes = [
        subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", send_three],
            cwd=ROOT,
            env={**environment, "ANTISPAM_RATE_LIMIT": "5"},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for _process in range(2)
    ]
    assert outcomes == ["[False, False, False]", "[False, False, True]"]
    caches["shared"].clear()


@pytest.mark.django_db
def test_visitors_behind_one_load_balancer_are_counted_each_on_their_own(settings):
    settings.PROXY_COUNT, settings.ANTISPAM_RATE_LIMIT = 1, 2
    first, second = "198.51.100.1", "198.51.100.2"
    assert [rate_limited(request_from(LOAD_BALANCER, first), "proposals") for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert rate_limited(request_from(LOAD_BALANCER, second), "proposals") is False
    # Writing another address in front of its own does not give a visitor a new count.
    assert rate_limited(request_from(LOAD_BALANCER, f"192.0.2.66, {first}"), "proposals") is True


@pytest.mark.django_db
def test_each_form_has_its_own_count(settings):
    settings.ANTISPAM_RATE_LIMIT = 1
    assert rate_limited(request_from("203.0.113.9"), "proposals") is False
    assert rate_limited(request_from("203.0.113.9"), "password_reset") is False
    assert rate_limited(request_from("203.0.113.9"), "proposals") is True


@pytest.mark.django_db(transaction=True)
def test_concurrent_sendings_never_share_a_slot(settings):
    settings.ANTISPAM_RATE_LIMIT = 3
    # The counts are committed to the shared cache's table, which no test transaction rolls back and a
    # reused test database keeps: start from an empty cache, and leave one.
    caches["shared"].clear()
    start, outcomes = threading.Barrier(8), []

    def send():
        try:
            start.wait()
            outcomes.append(rate_limited(request_from("203.0.113.9"), "proposals"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    caches["shared"].clear()
    assert sorted(outcomes) == [False] * 3 + [True] * 5


class NoteForm(GuardedForm):
    note = forms.CharField(max_length=20)


def started(seconds_ago=60):
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


@pytest.mark.django_db
def test_a_start_token_is_accepted_once():
    token = started()
    assert NoteForm({"note": "bonjour", "started": token}).is_valid()
    replay = NoteForm({"note": "bonjour", "started": token})
    assert not replay.is_valid()
    assert replay.non_field_errors() == [
        "Ce formulaire a déjà été envoyé. Vérifiez vos réponses et envoyez-le à nouveau."
    ]
    # Shown again with a new token, which a person sending it once more gets through with, in time.
    assert replay.data["started"] != token
    assert not NoteForm({"note": "bonjour", "started": replay.data["started"]}).is_valid()  # too fast


@pytest.mark.django_db
def test_a_form_shown_again_to_correct_an_answer_keeps_its_token():
    token = started()
    with_error = NoteForm({"note": "x" * 21, "started": token})
    assert not with_error.is_valid()
    assert with_error.data["started"] == token
    assert NoteForm({"note": "bonjour", "started": token}).is_valid()
