"""Feedback end to end in headless Chromium (issue 14, "Done means"): a visitor sends feedback
about "Đăng ký thành lập hộ kinh doanh" with a scan attached, reads the code and PIN; it is
routed to the procedure's competent agency; the specialist drafts the answer, the signing
leader approves and publishes it (the sender consented); the visitor finds it in the public
list by typing without accents, and reads the answer by code and PIN. The portal pages pass
axe-core and do not scroll sideways at 375 px.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/portal-feedback-*.png``
and ``docs/screenshots/workspace-feedback.png`` are refreshed; otherwise they go to
``var/screenshots/``."""

from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers.tests.factories import household_business_case
from motcua.feedback.models import Feedback
from motcua.feedback.workflow import Action, Status
from motcua.portal.tests.test_browser import DESKTOP, DOCS, Tour
from motcua.testing import TEST_PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "Thời gian cấp giấy chứng nhận hộ kinh doanh quá dài"
ANSWER = "Từ tháng 4/2026, thời hạn giải quyết được rút ngắn còn 3 ngày làm việc."


def _sign_in_to_workspace(page: Any, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/workspace/login/?next=/workspace/feedback/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit].primary")


def _act(page: Any, action: str) -> None:
    with page.expect_navigation():
        page.click(f"button[name=take][value={action}]")


def test_someone_sends_feedback_the_agency_answers_and_it_is_found_by_search(
    page: Any, live_server: Any, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cast = Cast()
    household_business_case(cast.agency)
    scan = tmp_path / "bien-nhan.pdf"
    scan.write_bytes(PDF)
    tour = Tour(page)

    # A visitor, not signed in, sends the feedback with a contact and consent.
    page.goto(f"{live_server.url}/phan-anh-kien-nghi/gui/")
    assert "Nghị định 20/2008/NĐ-CP" in page.inner_text("#anonymous-note")
    tour.check("feedback-form")
    page.set_viewport_size(DESKTOP)
    page.select_option("#id_subject", "procedure")
    page.fill("#id_procedure_code", "2.000720")
    page.fill("#id_title", TITLE)
    page.fill("#id_content", "Hồ sơ của tôi bị yêu cầu bổ sung ba lần, mất hơn một tháng.")
    page.set_input_files("#id_attachments", str(scan))
    page.fill("#id_name", "Nguyễn Văn An")
    page.fill("#id_phone", "0901234567")
    page.check("#id_consent_to_publish")
    with page.expect_navigation():
        page.click("main button[type=submit].primary")
    code = page.inner_text("#feedback-code")
    pin = page.inner_text("#feedback-pin")
    feedback = Feedback.objects.get()
    assert (code, pin) == (feedback.code, feedback.tracking_pin)
    assert feedback.status == Status.ASSIGNED and feedback.agency == cast.agency
    assert feedback.attachments.get().name == "bien-nhan.pdf"
    tour.check("feedback-sent")

    # The specialist of the competent agency drafts the answer.
    page.set_viewport_size(DESKTOP)
    _sign_in_to_workspace(page, live_server.url, "bob")
    with page.expect_navigation():
        page.click(f"#feedback-queue a:text('{code}')")
    page.fill("#id_draft_answer", ANSWER)
    _act(page, "draft")
    assert page.inner_text("#feedback-status") == "đã dự thảo trả lời"

    # The signing leader approves and publishes it.
    _sign_in_to_workspace(page, live_server.url, "dave")
    page.goto(f"{live_server.url}/workspace/feedback/{code}/")
    _act(page, "approve")
    assert page.inner_text("#feedback-status") == "đã trả lời"
    _act(page, "publish")
    assert page.inner_text("#feedback-status") == "đã trả lời và công khai"
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / "workspace-feedback.png"), full_page=True)

    # Anyone finds it by typing without accents; the sender is never shown.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/phan-anh-kien-nghi/")
    page.fill("#id_q", "rut ngan thoi han")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    results = page.inner_text("ol.results")
    assert TITLE in results and "Nguyễn Văn An" not in results
    tour.check("feedback-answers")
    page.set_viewport_size(DESKTOP)
    with page.expect_navigation():
        page.click(f"ol.results a:text('{TITLE}')")
    assert ANSWER in page.inner_text("main")
    tour.check("feedback-answer")

    # The sender reads the answer with the code and PIN.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/phan-anh-kien-nghi/theo-doi/")
    page.fill("#id_code", code)
    page.fill("#id_pin", pin)
    with page.expect_navigation():
        page.click("main button[type=submit].primary")
    assert ANSWER in page.inner_text("main")

    feedback.refresh_from_db()
    assert feedback.status == Status.PUBLISHED
    actions = list(feedback.events.order_by("pk").values_list("action", flat=True))
    assert actions == [Action.SUBMIT, Action.ASSIGN, Action.DRAFT, Action.APPROVE, Action.PUBLISH]
    assert tour.problems == [], "\n".join(tour.problems)
