"""Headless Chromium for browser tests: Debian's ``/usr/bin/chromium`` driven by Playwright.

Tests that use the ``browser`` fixture skip with a clear reason where Chromium is not
installed (``apt-get install chromium``); everything else still runs."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Flags that keep Chromium off the network and quiet in a sandboxed CI machine.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}: install it with 'apt-get install chromium'"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture
def page(live_server: object) -> Iterator[object]:
    """A Playwright page in headless Chromium, 1366×768, Vietnamese first."""
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (not by the live server) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
            yield context.new_page()
            context.close()
            browser.close()
            # ORM calls made by the test while Playwright's loop ran used a connection of
            # their own context; close it here, or PostgreSQL cannot drop the test database.
            from django.db import connections

            connections.close_all()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot under ``var/screenshots/`` and return its path."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)  # noqa: S101
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
