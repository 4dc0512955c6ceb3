"""The re-use scenario of issue 15 in headless Chromium: henry's papers were scanned with his
first dossier; at his second dossier the desk types his ID number, sees the papers "đã số hoá"
and attaches them with one click each; henry then reads the re-uses in "Hồ sơ của tôi".
Screenshots in docs/screenshots/ (digitisation-*.png)."""

from pathlib import Path
from typing import Any

import pytest

from motcua.digitisation.models import DigitisedPaper, PaperReuse
from motcua.digitisation.tests.factories import HENRY_ID, scanned_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import household_business_case
from motcua.testing import TEST_PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def shot(page: Any, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"digitisation-{name}.png"), full_page=True)


def test_a_second_dossier_reuses_the_scanned_papers_and_henry_sees_it(
    page: Any, live_server: Any
) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)
    first = scanned_dossier(cast, case)
    papers = list(DigitisedPaper.objects.filter(dossier=first).order_by("required__position"))
    assert len(papers) == 2

    page.goto(f"{live_server.url}/workspace/login/?next=/workspace/reception/{case.pk}/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit].primary")
    page.fill("#id_applicant_name", "Trần Văn Hải")
    page.fill("#id_applicant_id_number", HENRY_ID)
    with page.expect_navigation():
        page.click("button[name=do][value=lookup]")
    assert "Đã số hoá" in page.inner_text("#digitised-offers")
    for paper in papers:  # one click per paper
        page.check(f"input[name=reuse_{paper.required_id}][value='{paper.pk}']")
    page.locator(".checklist").scroll_into_view_if_needed()
    shot(page, "reception")
    with page.expect_navigation():
        page.click("button[name=do][value=receive]")
    assert "/workspace/dossiers/" in page.url

    second = Dossier.objects.exclude(pk=first.pk).get()
    reuses = PaperReuse.objects.filter(dossier=second).order_by("paper__required__position")
    assert [r.paper for r in reuses] == papers
    assert all(d.file for d in second.documents.filter(required__isnull=False, provided=True))

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/ho-so-cua-toi/")
    page.fill("#id_username", "henry")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    with page.expect_navigation():
        page.click("#mine-reuses")
    log = page.inner_text("#reuse-log")
    assert log.count(second.code) == 2 and first.code in log
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in log and cast.agency.name in log
    shot(page, "citizen-log")
