"""The portal in headless Chromium at a phone's width (375 px) and an office screen's: a
visitor finds "Đăng ký khai sinh" typed without accents, opens it, follows "Nộp hồ sơ trực
tuyến", tracks a dossier by code and then with its PIN, and reads the month's public results.
Every page passes axe-core and does not scroll sideways at 375 px; no JavaScript of ours runs.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/portal-*.png`` (shown in
docs/portal.md) are refreshed; otherwise they go to ``var/screenshots/``."""

import os
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers import intake
from motcua.dossiers.tests.factories import (
    birth_registration_case,
    complete_intake,
    household_business_case,
)
from motcua.testing import Cast
from motcua.testing.browser import SCREENSHOTS
from motcua.workspace.tests.axe import horizontal_overflow, id_problems, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}


class Tour:
    """Checks each page at both widths and keeps every problem, so one run lists them all."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []

    def check(self, name: str) -> None:
        page = self.page
        page.set_viewport_size(DESKTOP)
        self.problems += violations(page, where=f"{name} @1366px")
        self.problems += id_problems(page, where=name)
        page.set_viewport_size(PHONE)
        self.problems += violations(page, where=f"{name} @375px")
        self.problems += horizontal_overflow(page, where=f"{name} @375px")
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"portal-{name}.png"), full_page=True)


def test_a_visitor_finds_a_procedure_tracks_a_dossier_and_reads_the_results(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    birth = birth_registration_case(cast.agency)
    household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(birth), agency=cast.agency, actor=cast.alice
    )
    page.set_viewport_size(PHONE)
    tour = Tour(page)

    page.goto(f"{live_server.url}/")
    assert "Tìm thủ tục hành chính" in page.inner_text("main")
    tour.check("home")

    page.fill("#id_q", "dang ky khai sinh")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    assert "1 thủ tục đang có hiệu lực" in page.inner_text("main")
    assert "hộ kinh doanh" not in page.inner_text("main")
    tour.check("search")

    with page.expect_navigation():
        page.click("text=Đăng ký khai sinh")
    main = page.inner_text("main")
    assert "Tờ khai đăng ký khai sinh" in main and cast.agency.name in main
    tour.check("procedure")

    with page.expect_navigation():
        page.click("text=Nộp hồ sơ trực tuyến")
    assert "/dang-nhap/?next=" in page.url  # submitting needs a citizen's account

    page.goto(f"{live_server.url}/tra-cuu/{dossier.code}")
    main = page.inner_text("main")
    assert "đã tiếp nhận" in main and "Nguyễn Văn Bình" not in main
    tour.check("track")

    page.fill("#id_pin", dossier.tracking_pin.lower())
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Nguyễn Văn Bình" in page.inner_text("main")
    tour.check("track-pin")

    page.goto(f"{live_server.url}/tra-cuu/")
    page.fill("#id_code", dossier.code)
    page.fill("#id_pin", "ZZZZZZZZ")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "Không có hồ sơ với mã và mã PIN này" in page.inner_text("main")
    tour.check("track-missing")

    page.goto(f"{live_server.url}/cong-khai/")
    assert cast.agency.name in page.inner_text("main")
    tour.check("publicity")
    with page.expect_navigation():
        page.click(f"main table.by-agency a:has-text('{cast.agency.name}')")
    assert "766" in page.inner_text("main")
    tour.check("publicity-agency")

    assert tour.problems == [], "\n".join(tour.problems)
