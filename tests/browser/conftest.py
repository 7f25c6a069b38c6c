"""Headless Chromium through Playwright, pointed at the live test server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.components import require_browser

# The live server binds to the loopback address only.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture
def browser() -> Iterator:
    """Headless Chromium, started for one test and closed after it.

    Playwright's sync API keeps an asyncio loop marked as running in the test thread for as long
    as it is started. Django then refuses ORM calls in that thread unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set (Django's documented switch), and asgiref hands the thread
    a second set of database connections. A browser that outlived one test would therefore put
    the database set-up and flush of the following tests on those other connections, where the
    serialized copy of the code lists is not found. Started here, after the database fixtures,
    and stopped before their teardown, the loop covers only the test itself.
    """
    chromium, _axe = require_browser()
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium_browser = playwright.chromium.launch(
                executable_path=chromium, args=CHROMIUM_ARGS
            )
            try:
                yield chromium_browser
            finally:
                chromium_browser.close()
                # The connections the test body opened while the loop ran.
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def _static_root_exists() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing as the live server starts.

    The test profile serves static files through the finders, so an empty directory will do.
    """
    from django.conf import settings

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def live_server(_static_root_exists, live_server):
    return live_server


@pytest.fixture
def failed_responses() -> list[str]:
    """Every 4xx/5xx answer the page got (the browser's own favicon probe aside)."""
    return []


@pytest.fixture
def page(transactional_db, live_server, browser, failed_responses) -> Iterator:
    """A fresh browser context (no cookies, no session) on the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    browser_page = context.new_page()

    def record(response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            failed_responses.append(f"{response.status} {response.url}")

    browser_page.on("response", record)
    yield browser_page
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """docs/screenshots/ when KOTOVERKKO_SCREENSHOTS=1 (to refresh the docs), else tmp_path."""
    if os.environ.get("KOTOVERKKO_SCREENSHOTS") == "1":
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        return SCREENSHOT_DIR
    return tmp_path
