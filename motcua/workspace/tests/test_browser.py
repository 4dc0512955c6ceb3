"""The workspace in headless Chromium: a desk officer signs in, reads the queue, opens a
dossier and forwards it. Keeps the screenshots of docs/workspace.md."""

import os
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.dossiers.workflow import Status
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots go to var/screenshots/; with UPDATE_DOCS_SCREENSHOTS=1 they refresh the ones
# docs/workspace.md shows (so an ordinary test run leaves the tracked files alone).
DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)


def _shot(page: Any, name: str) -> Path:
    DOCS.mkdir(parents=True, exist_ok=True)
    path = DOCS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def test_a_desk_officer_signs_in_opens_a_dossier_and_forwards_it(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)
    intake.submit_online(complete_intake(case), agency=cast.agency, actor=cast.henry)
    intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-01-05T09:00")
    )
    fresh = intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)

    page.goto(f"{live_server.url}/workspace/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("table.list")
    body = page.inner_text("body")
    assert "Hồ sơ của tôi" in body and fresh.code in body
    assert page.locator("tr.overdue").count() == 1
    assert "quá hạn" in page.inner_text("tr.overdue")
    assert _shot(page, "workspace-queue").stat().st_size > 10_000

    page.click(f"text={fresh.code}")
    page.wait_for_selector("details[data-action=forward]")
    page.fill("#id_forward_note", "Hồ sơ đầy đủ, chuyển thẩm định")
    _shot(page, "workspace-dossier")
    page.click("details[data-action=forward] button[type=submit]")
    page.wait_for_selector(".messages li")
    assert "Đã xong" in page.inner_text(".messages")
    assert Dossier.objects.get(pk=fresh.pk).status == Status.PROCESSING


def test_a_desk_officer_finds_the_procedure_previews_and_receives_a_dossier(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)
    optional = case.documents.get(mandatory=False)

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/workspace/login/?next=/workspace/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.click("a[href='/workspace/reception/']")
    page.wait_for_selector("#id_q")
    page.fill("#id_q", "dang ky thanh lap ho")  # no accents; the script submits as you type
    page.wait_for_selector(f"a[data-case='{case.pk}']")
    page.click(f"a[data-case='{case.pk}']")

    page.wait_for_selector("#id_applicant_name")
    page.fill("#id_applicant_name", "Trần Thị Hoa")
    page.fill("#id_applicant_id_number", "087190005678")
    page.fill("#id_applicant_address", "Xã Tân Phước, tỉnh Đồng Tháp")
    page.fill("#id_applicant_phone", "0987654321")
    for doc in case.documents.filter(mandatory=True):
        page.check(f"#id_doc_{doc.pk}")
    page.check(f"#id_doc_{optional.pk}")
    page.click("button[value=preview]")
    page.wait_for_selector(".appointment .due-at")
    assert page.locator(".explanation li").count() >= 1
    assert not Dossier.objects.exists()
    assert _shot(page, "workspace-reception").stat().st_size > 10_000

    page.click("button[value=receive]")
    page.wait_for_selector("[data-print='receipt']")
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RECEIVED
    assert dossier.applicant_name == "Trần Thị Hoa"
    assert dossier.documents.filter(provided=True).count() == 3
    assert f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf" in (
        page.get_attribute("[data-print='receipt']", "href") or ""
    )
    _shot(page, "workspace-reception-received")
