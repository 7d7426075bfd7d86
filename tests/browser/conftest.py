"""Real headless Chromium (Debian's package), driven by Playwright, against the live server."""

import os
import shutil

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make for
# their own setup are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM:
        pytest.fail("No browser: install Debian's chromium package (apt-get install chromium).")
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        # Once Playwright's loop runs, Django hands this thread new connection objects, which
        # lack the snapshot of the migrated reference data that serialized_rollback restores
        # between transactional tests. Give them the snapshot taken when the database was made.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    def run(username, password):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return run
