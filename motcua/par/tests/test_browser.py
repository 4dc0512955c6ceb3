"""The PAR self-assessment in headless Chromium: the reform officer imports the example set
and designates a focal point; the department's focal point self-scores with an evidence file
and submits; the reform officer appraises one row with its reason, finishes and publishes the
ranking. Screenshots in var/screenshots/ (par-*.png)."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.dossiers.tests.factories import birth_registration_case
from motcua.par.example import example_workbook
from motcua.par.models import Assessment, CriteriaSet
from motcua.par.tests.factories import department
from motcua.par.workflow import Status
from motcua.satisfaction import services as satisfaction
from motcua.satisfaction.tests.factories import answers, returned_dossier
from motcua.testing import TEST_PASSWORD, Cast, make_user
from motcua.testing.browser import screenshot

# The measured rows read the annual reporting window, which closes on 14 December.
YEAR = (timezone.localdate() + dt.timedelta(days=17)).year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sign_in(page: Any, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/workspace/login/?next=/workspace/par/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("#par-sets")


def _import_and_designate(page: Any, url: str, tmp_path: Path) -> None:
    workbook = tmp_path / "chi-so-cchc.xlsx"
    workbook.write_bytes(example_workbook(YEAR))
    _sign_in(page, url, "frank")
    page.fill("#id_year", str(YEAR))
    page.set_input_files("#id_file", str(workbook))
    page.click("text=Nhập tệp")
    page.wait_for_selector("#par-counts")
    assert "7 lĩnh vực, 48 tiêu chí, 89 tiêu chí thành phần" in page.inner_text("#par-counts")
    page.fill("#id_agency", "H56.30")
    page.fill("#id_username", "phuong")
    page.click("text=Chỉ định đầu mối")
    page.wait_for_selector(".messages li")
    assert "là đầu mối" in page.inner_text(".messages")
    screenshot(page, "par-year-reform-office")


def _self_score(page: Any, url: str, tmp_path: Path) -> None:
    evidence = tmp_path / "Kế hoạch CCHC 2026.pdf"
    evidence.write_bytes(PDF)
    _sign_in(page, url, "phuong")
    page.click(f"a[href='/workspace/par/{YEAR}/']")
    page.click("text=Bắt đầu tự đánh giá")
    page.wait_for_selector("#scores-form")
    inputs = page.locator("input[name^=points_]")
    for i in range(inputs.count()):
        inputs.nth(i).fill("1" if inputs.nth(i).get_attribute("name") != "points_1.1.3" else "2")
    for name in ("points_1.1.1", "points_5.5.1"):
        page.fill(f"[name='{name}']", "0,5")
    page.fill("[name='explanation_1.1.1']", "Kế hoạch ban hành ngày 15/01, chậm")
    page.set_input_files("[name='file_1.1.1']", str(evidence))
    page.click("#save-scores")
    page.wait_for_selector("#par-error")
    errors = page.locator("p.error").all_inner_texts()
    # Sub-criteria worth 0.5 refuse 1 point: the page says so beside each of them.
    assert errors and all("Điểm phải từ 0 đến 0.50" in e for e in errors[1:])
    for row in page.locator("tr:has(p.error) input[name^=points_]").all():
        row.fill("0,5")
    page.click("#save-scores")
    page.wait_for_selector(".messages li.success")
    assert "Kế hoạch CCHC 2026.pdf" in page.inner_text("#row-1\\.1\\.1")
    measured = page.inner_text("#row-3\\.3\\.2")
    assert "100,00%" in measured and "1/1 hồ sơ giải quyết trước hạn, đúng hạn" in measured
    assert "3,00" in measured
    page.locator("#row-3\\.3\\.2").scroll_into_view_if_needed()
    screenshot(page, "par-self-scoring")
    page.click("#submit-assessment")
    page.wait_for_selector(".messages li.success")
    assert "đã nộp" in page.inner_text("#par-status")


def _appraise_and_publish(page: Any, url: str) -> None:
    _sign_in(page, url, "frank")
    page.click(f"a[href='/workspace/par/{YEAR}/']")
    page.click("text=Sở Xây dựng")
    page.wait_for_selector("#appraisal-form")
    page.fill("[name='final_1.1.3']", "1")
    page.click("#save-appraisal")
    page.wait_for_selector("p.error")
    assert "Hãy nêu lý do" in page.inner_text("#row-1\\.1\\.3")
    page.fill("[name='final_1.1.3']", "1")
    page.fill("[name='reason_1.1.3']", "Mới hoàn thành 85% kế hoạch")
    page.click("#save-appraisal")
    page.wait_for_selector(".messages li.success")
    screenshot(page, "par-appraisal")
    page.click("#finish-appraisal")
    page.wait_for_selector("#final-total")
    page.click(f"text={Assessment.objects.get().criteria_set.title}")
    page.click("#publish")
    page.wait_for_selector("#ranking-1")
    assert "Sở Xây dựng" in page.inner_text("#ranking-1")
    screenshot(page, "par-ranking")


def test_the_reform_office_and_a_focal_point_run_the_years_assessment(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    """The department returned one dossier on time, received online and rated satisfied: the
    measured rows show 100% and their full points."""
    cast = Cast(agency=department())
    dossier = returned_dossier(cast, birth_registration_case(cast.agency), owner=cast.henry)
    satisfaction.rate(dossier, actor=cast.henry, level="satisfied", answers=answers())
    make_user("phuong", (Role.SPECIALIST, cast.agency), full_name="Nguyễn Thị Phượng")
    url = live_server.url
    _import_and_designate(page, url, tmp_path)
    _self_score(page, url, tmp_path)
    _appraise_and_publish(page, url)
    assessment = Assessment.objects.get()
    assert assessment.status == Status.PUBLISHED
    assert assessment.final_total == assessment.self_total - 1
    assert CriteriaSet.objects.get().published_at is not None
