"""The workspace in headless Chromium: a desk officer signs in, reads the queue, opens a
dossier and forwards it. Keeps the screenshots of docs/workspace.md."""

from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.dossiers.workflow import Status
from motcua.test import TEST_PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


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
