"""The reports dashboard in headless Chromium: a reform officer without an agency signs in, sees
every chart drawn (no console error, no network beyond the app), clicks a number and lands on the
list of that many dossiers. Keeps the screenshot of docs/reports.md."""

import os
from pathlib import Path
from typing import Any

import pytest

from motcua.reports.tests.test_behind import history, import_other_agency
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# With UPDATE_DOCS_SCREENSHOTS=1 the screenshot refreshes the one docs/reports.md shows.
DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)
CHARTS = ("months", "channels", "overdue", "apologies", "procedures", "steps")


def test_a_reform_officer_reads_the_dashboard_and_opens_the_dossiers_behind_a_number(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    cast = Cast()
    history(cast, 3)
    import_other_agency(tmp_path)
    errors: list[str] = []
    outside: list[str] = []

    def console(message: Any) -> None:
        # Chromium asks for /favicon.ico on its own; the workspace has none (not ours to add).
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            errors.append(f"{message.text} {message.location}")

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url),
    )

    page.goto(f"{live_server.url}/workspace/reports/?from=2026-02-15&to=2026-05-14")
    page.fill("#id_username", "frank")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("#chart-months")
    for name in CHARTS:
        assert page.evaluate(
            "(id) => { const c = document.getElementById(id);"
            " return !!(window.Chart && Chart.getChart(c)) && c.width > 0 && c.height > 0; }",
            f"chart-{name}",
        ), name
    assert page.locator("table[data-table]").count() == len(CHARTS)
    assert "Báo cáo" in page.inner_text(".topbar")  # the top bar's link, in Vietnamese
    DOCS.mkdir(parents=True, exist_ok=True)
    shot = DOCS / "reports-dashboard.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 20_000

    link = page.locator("table[data-table=overdue] a[data-metric=pending_overdue]").first
    number = int(link.inner_text())
    assert number > 0
    link.click()
    page.wait_for_selector("[data-count]")
    assert page.get_attribute("[data-count]", "data-count") == str(number)
    assert page.locator("tr[data-dossier]").count() == min(number, 50)
    assert errors == [] and outside == []
