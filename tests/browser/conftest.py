"""Headless Chromium for the browser tests: Playwright from PyPI driving Debian's Chromium.

Where Chromium, Playwright or axe-core is missing a plain run skips these tests with the reason;
with REQUIRE_BROWSER=1 (as in CI) their absence fails instead.
"""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def unavailable(reason):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is missing: pip install -e '.[dev]'")
    if not CHROMIUM.exists():
        unavailable(f"Chromium is missing at {CHROMIUM}: apt-get install chromium")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop in this thread; the tests' own ORM calls stay
        # synchronous, so Django's guard against async-unsafe calls is lifted while the browser runs.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A desktop-sized page of a fresh browser context (no cookies), against the live server, under the
    site's Content Security Policy. `page.console_errors` collects what the browser complained about."""
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


@pytest.fixture
def audit_page(browser, live_server, transactional_db):
    """Like `page`, for axe_check: axe-core goes in as an inline script, which the site's Content Security
    Policy rightly refuses, so this context bypasses the policy."""
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", base_url=live_server.url, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def axe_check():
    """Run axe-core on a page (from `audit_page`); fail on any violation of the given impacts.

    Returns all the violations, whatever their impact.
    """
    if not AXE.exists():
        unavailable(f"axe-core is missing at {AXE}: npm ci")

    def check(page, impacts=("serious", "critical")):
        page.add_script_tag(path=str(AXE))
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        blocking = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in results["violations"]
            if violation["impact"] in impacts
        ]
        assert not blocking, f"axe-core on {page.url}:\n{json.dumps(blocking, indent=2, ensure_ascii=False)}"
        return results["violations"]

    return check
