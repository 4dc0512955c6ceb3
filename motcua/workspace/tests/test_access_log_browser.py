"""The access log in headless Chromium: a specialist opens a dossier, the agency's administrator
signs in and finds that read on the review page (by the dossier's code); the portal's privacy
notice as a citizen sees it. Screenshots in var/screenshots/."""

from typing import Any

import pytest

from motcua.dossiers import intake
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, live_server: Any, username: str, path: str) -> None:
    page.goto(f"{live_server.url}/workspace/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")


def test_the_administrator_finds_the_specialist_s_read(page: Any, live_server: Any) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    _sign_in(page, live_server, "bob", f"/workspace/dossiers/{dossier.code}/")
    page.wait_for_selector(f"text={dossier.applicant_name}")
    page.context.clear_cookies()

    _sign_in(page, live_server, "erin", "/workspace/admin/H56.22/access-log/")
    page.fill("#id_dossier", dossier.code)
    page.click("form.access-filters button[type=submit]")
    row = page.locator("table.access-log tbody tr")
    row.first.wait_for()
    assert row.count() == 1
    text = row.first.inner_text()
    assert "bob" in text and dossier.code in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "workspace-access-log.png"), full_page=True)


def test_the_privacy_notice_reads_in_vietnamese(page: Any, live_server: Any) -> None:
    page.goto(f"{live_server.url}/")
    page.click("footer a")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Thông báo về quyền riêng tư"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "portal-privacy.png"), full_page=True)
