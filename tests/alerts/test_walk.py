"""The issue's walk, end to end with Django's in-memory mail: a visitor follows a search of the list and
confirms from the e-mail; an editor publishes a matching fiche in the admin; send_alerts sends one
digest listing it, and nothing on a second run. A correction reaches the editors on the way."""

import io
import re
import time

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from lib.antispam import STARTED_SALT
from tests.editing.helpers import admin_form_data, change_url
from tests.factories import CooperationFactory, UserFactory, real_places

pytestmark = pytest.mark.django_db


def send_alerts():
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


def test_a_visitor_follows_a_search_and_receives_the_fiche_an_editor_publishes(
    django_capture_on_commit_callbacks,
):
    places = real_places()
    visitor, staff = Client(), Client()
    editor = UserFactory(editor=True, email="editrice@example.org")
    staff.force_login(editor)

    # The visitor narrows the list to the Nord and follows that search from the list itself.
    listing = BeautifulSoup(visitor.get(reverse("cooperations:list") + "?department=59").text, "html.parser")
    follow_url = listing.select_one(".follow-links a")["href"]
    form = BeautifulSoup(visitor.get(follow_url).text, "html.parser")
    answers = {
        "query": form.select_one("input[name=query]")["value"],
        "email": "directrice@example.org",
        "frequency": "weekly",
        "website": "",
        "started": signing.dumps(time.time() - 30, salt=STARTED_SALT),
    }
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(follow_url.split("?")[0], answers)
    [confirmation] = mail.outbox
    confirm_path = re.search(r"http://testserver(/alertes/confirmer/\S+)", confirmation.body)[1]
    visitor.post(confirm_path)
    mail.outbox.clear()

    # Nothing new yet: nothing is sent.
    assert send_alerts().startswith("0 alerte(s) envoyée(s)")

    # An editor publishes a draft of the Nord from the admin form.
    draft = CooperationFactory(title="Blanchisserie solidaire de Roubaix", departments=[places["nord"]])
    CooperationFactory(title="Brouillon qui reste brouillon", departments=[places["nord"]])
    data = admin_form_data(staff.get(change_url(draft)), status="published")
    staff.post(change_url(draft), data)

    assert send_alerts().startswith("1 alerte(s) envoyée(s) (1 fiche(s))")
    [digest] = mail.outbox
    assert digest.to == ["directrice@example.org"]
    assert digest.subject == "1 fiche nouvelle ou modifiée pour la recherche « Département : 59 Nord »"
    assert (
        f"- Blanchisserie solidaire de Roubaix (nouvelle)\n  Nord\n  http://127.0.0.1:8000{draft.get_absolute_url()}"
        in (digest.body)
    )
    assert "Brouillon qui reste brouillon" not in digest.body

    # The second run sends nothing.
    assert send_alerts().startswith("0 alerte(s) envoyée(s)")
    assert len(mail.outbox) == 1

    # Reading the fiche, the visitor reports what is missing; the editors are told.
    fiche = visitor.get(draft.get_absolute_url())
    report_url = BeautifulSoup(fiche.text, "html.parser").select_one(".fiche-report a")["href"]
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(
            report_url,
            {
                "message": "Le téléphone de la blanchisserie manque : 03 20 00 00 00.",
                "name": "",
                "email": "",
                "website": "",
                "started": signing.dumps(time.time() - 30, salt=STARTED_SALT),
            },
        )
    assert mail.outbox[-1].to == ["editrice@example.org"]
    assert mail.outbox[-1].subject == "Suggestion sur la fiche « Blanchisserie solidaire de Roubaix »"
