"""The reform screens in headless Chromium: the reform office records the province's plan with
its tasks and the year's inspections (the 30% warning shown), then an agency's focal point
reports a task done with an evidence file and a target's result. Screenshots under
var/screenshots/ (reform-*.png)."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from motcua.reform import targets
from motcua.reform.models import Task, TaskStatus
from motcua.reform.scanner import scan_reform
from motcua.reform.tests.factories import fiona
from motcua.testing import TEST_PASSWORD, Cast, aware
from motcua.testing.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page: Any) -> list[str]:
    """Console errors (a blocked inline style or script among them) and page errors."""
    errors: list[str] = []

    def console(message: Any) -> None:
        # Chromium asks for /favicon.ico on its own; the workspace has none.
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            errors.append(f"{message.text} {message.location}")

    page.on("console", console)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(url)
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")


def _office_records_the_plan(page: Any, base: str) -> None:
    sign_in(page, f"{base}/workspace/reform/?year=2026", "frank")
    page.click("details:has(#plan-form) > summary")
    page.fill("#id_title", "Kế hoạch cải cách hành chính năm 2026")
    page.fill("#id_decision_number", "3124/QĐ-UBND")
    page.fill("#id_decision_date", "2025-12-20")
    page.fill("#id_signer", "Chủ tịch UBND tỉnh")
    page.click("#plan-form button[type=submit]")
    page.wait_for_selector(".messages")
    page.click("#plans a")
    for title, area, deadline in (
        ("Rà soát, đơn giản hóa thủ tục hành chính", "procedures", "2026-03-31"),
        ("Số hóa hồ sơ, kết quả giải quyết TTHC", "digital", "2026-11-30"),
    ):
        page.click("details:has(#task-form) > summary")
        page.select_option("#id_area", area)
        page.fill("#id_title", title)
        page.select_option(
            "#id_lead_agency", label="Trung tâm Phục vụ hành chính công tỉnh (H56.22)"
        )
        page.fill("#id_deadline", deadline)
        page.fill("#id_expected_output", "Báo cáo kết quả")
        page.click("#task-form button[type=submit]")
        page.wait_for_selector(".messages")


def _office_plans_inspections(page: Any, base: str) -> None:
    page.goto(f"{base}/workspace/reform/inspections/?year=2026")
    page.fill("#id_plan-decision_number", "45/KH-SNV")
    page.fill("#id_plan-decision_date", "2026-02-01")
    page.fill("#id_plan-signer", "Giám đốc Sở Nội vụ")
    page.fill("#id_plan-units_total", "12")
    page.click("#inspection-plan-form button[type=submit]")
    page.wait_for_selector(".messages")
    page.click("details:has(#team-form) > summary")
    page.fill("#id_team-name", "Đoàn kiểm tra số 1")
    page.fill("#id_team-leader", "Phó Giám đốc Sở Nội vụ")
    page.click("#team-form button[type=submit]")
    page.wait_for_selector(".messages")
    page.click("details:has(#schedule-form) > summary")
    page.select_option("#id_schedule-team", label="Đoàn kiểm tra số 1")
    page.select_option("#id_schedule-agency", label="Sở Tư pháp (H56.23)")
    page.fill("#id_schedule-scheduled_on", "2026-05-22")
    page.click("#schedule-form button[type=submit]")
    page.wait_for_selector(".messages")


def test_the_reform_office_records_the_plan_tasks_and_inspections(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    base = live_server.url
    errors = watch(page)
    _office_records_the_plan(page, base)
    assert Task.objects.count() == 2
    scan_reform(aware("2026-04-01T00:15"))
    page.reload()
    assert "2 nhiệm vụ, 0 hoàn thành, 2 đang thực hiện" in page.inner_text("#plan-summary")
    assert page.locator("#tasks tr.overdue").count() == 1
    assert "Cải cách hành chính" in page.inner_text(".topbar")
    shot = screenshot(page, "reform-office-plan")
    assert shot.stat().st_size > 10_000
    _office_plans_inspections(page, base)
    assert "1/12" in page.inner_text("#coverage") or "1 / 12" in page.inner_text("#coverage")
    assert "Dưới 30% số đơn vị" in page.inner_text("#coverage")
    screenshot(page, "reform-office-inspections")
    assert errors == []
    assert cast.frank.username == "frank"


def test_an_agency_focal_point_reports_a_task_done_with_evidence_and_a_target(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    from motcua.reform.tests.factories import province_plan, task

    cast = Cast()
    plan = province_plan(cast)
    t = task(cast, plan)
    target = targets.set_target(
        actor=cast.frank,
        year=2026,
        agency=cast.agency,
        name="Số lớp bồi dưỡng CCHC",
        threshold=Decimal(5),
        unit="lớp",
    )
    focal = fiona(cast)
    evidence = tmp_path / "bao-cao-ra-soat.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n")
    errors = watch(page)
    sign_in(page, f"{live_server.url}/workspace/reform/tasks/{t.pk}/", focal.username)
    page.fill("#id_progress", "100")
    page.fill("#id_note", "Đã rà soát 42 thủ tục, đề xuất đơn giản hóa 12 thủ tục")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("#progress-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "hoàn thành (100%)" in page.inner_text("#task-status")
    assert page.locator("#reports a", has_text="Tải về").count() == 1
    screenshot(page, "reform-focal-task")
    t.refresh_from_db()
    assert t.status == TaskStatus.DONE
    # The province's plan is read, not edited, by a focal point: no form to add a task.
    page.goto(f"{live_server.url}/workspace/reform/plans/{plan.pk}/")
    assert "1 nhiệm vụ, 1 hoàn thành, 0 đang thực hiện" in page.inner_text("#plan-summary")
    assert page.locator("#task-form").count() == 0
    page.goto(f"{live_server.url}/workspace/reform/targets/{cast.agency.code}/2026/")
    page.click("details:has(#report-form) > summary")
    page.select_option("#report-target", str(target.pk))
    page.fill("#id_report-actual", "7")
    page.set_input_files("#id_report-evidence", str(evidence))
    page.click("#report-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "1/1 = 100%" in page.inner_text("#achievement")
    screenshot(page, "reform-focal-targets")
    assert errors == []
    # The focal point does not see another agency's targets.
    response = page.goto(f"{live_server.url}/workspace/reform/targets/H56.23/2026/")
    assert response.status == 404
