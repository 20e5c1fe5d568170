"""Leaving an alert from the e-mail's link: the page asks, the button unsubscribes (a mail filter that
opens the link deletes nothing)."""

from pathlib import Path

import pytest
from django.utils import timezone

from alerts.models import Subscription
from tests.browser.walk import shoot

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/23hostile-shots")


def test_opening_the_link_asks_and_the_button_unsubscribes(page):
    subscription = Subscription.objects.create(
        email="directrice@example.org", query="level=simple", confirmed_at=timezone.now()
    )
    page.goto(f"/alertes/desabonner/{subscription.token}/")
    assert page.locator("h1").inner_text() == "Se désabonner ?"
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    shoot(page, SHOTS, "unsubscribe-question")
    page.get_by_role("button", name="Me désabonner").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Vous êtes désabonné"
    assert not Subscription.objects.exists()
    shoot(page, SHOTS, "unsubscribe-done")
    assert page.console_errors == []


def test_the_question_page_has_no_accessibility_violation(audit_page, axe_check):
    subscription = Subscription.objects.create(email="a@example.org", confirmed_at=timezone.now())
    audit_page.goto(f"/alertes/desabonner/{subscription.token}/")
    axe_check(audit_page, impacts=("minor", "moderate", "serious", "critical"))
