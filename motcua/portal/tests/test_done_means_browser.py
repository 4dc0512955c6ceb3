"""Issue 13's "Done means", in headless Chromium on the demo data, every step through the pages.

A person registers on the portal, types back the code e-mailed to her (read from a local SMTP
server, aiosmtpd), signs in, finds "Đăng ký khai sinh" typed without accents, chooses Mỹ Tho
ward's centre, uploads the papers, asks for the result by public post with an address,
reviews and submits. Mỹ Tho's desk officer (``mytho``, demo password) receives it in the
workspace; Form 01's tracking link leads to the public tracking page, which the test opens.
The specialist (``mytho`` again, at the ward's People's Committee) asks for a supplement; the
citizen sees it in "Hồ sơ của tôi", uploads and resubmits; the specialist forwards, the
leader (``lanhdao.mytho``) signs, and the desk hands the result to the post with the postal
item's number. The citizen sees each step on her dossier's page, and the SMTP server received
the receipt, supplement request, result-ready and sent-by-post e-mails, in Vietnamese, each with the
tracking link. Every portal page on the way is checked with axe-core at 1366 and 375 px.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/portal-scenario-*.png``
are refreshed; otherwise they go to ``var/screenshots/``."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from motcua.accounts.models import Role, User
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action, Status
from motcua.portal.tests.test_browser import DESKTOP, DOCS, Tour
from motcua.testing.servers import SmtpServer, body_of
from motcua.workspace.tests.conftest import demo  # noqa: F401 - the demo data, committed
from motcua.workspace.tests.test_e2e import (
    _act,
    _choose_agency,
    _expect,
    _open_queue,
    _sign_in,
    _status,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Ngay-mai-troi-nang-2026"
ID_NUMBER = "087196004321"
EMAIL = "thu.scenario@example.vn"
# The demo's Mỹ Tho ward: its centre receives, its People's Committee decides.
WARD_CENTRE = "H82.50.01"
WARD = "H82.50"
POSTAL_ADDRESS = "Số 12 Nguyễn Huệ, khu phố 3, phường Mỹ Tho, tỉnh Đồng Tháp"
POSTAL_ITEM = "EB123456789VN"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _vi(text: str, **values: str) -> str:
    with translation.override("vi"):
        translated = translation.gettext(text)
    return translated % values if values else translated


def _shot(page: Any, name: str) -> None:
    """A screenshot of a workspace step at the office screen's width."""
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"portal-scenario-{name}.png"), full_page=True)


def _portal_sign_in(page: Any, base: str, next_path: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/dang-nhap/?next={next_path}")
    page.fill("#id_username", ID_NUMBER)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith(next_path)


def _pdf_text(page: Any, url: str) -> str:
    """A PDF fetched with the signed-in browser's session, as text."""
    response = page.request.get(url)
    assert response.status == 200 and response.body().startswith(b"%PDF")
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(response.body())).pages)


def _subjects(smtp: SmtpServer, address: str) -> list[str]:
    return [str(m["Subject"]) for m in smtp.messages if m["To"] == address]


def test_a_citizen_registers_submits_supplements_and_gets_the_result_by_post(
    demo: None,  # noqa: F811 - the fixture imported above
    page: Any,
    live_server: Any,
    smtp_server: SmtpServer,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PUBLIC_BASE_URL = live_server.url
    base = live_server.url
    tour = Tour(page)
    scan = tmp_path / "giay-chung-sinh.pdf"
    scan.write_bytes(PDF)

    # 1. She registers and types back the code e-mailed to her.
    page.goto(f"{base}/")
    tour.check("scenario-00-home")
    page.set_viewport_size(DESKTOP)
    with page.expect_navigation():
        page.click("header >> text=Đăng ký")
    page.fill("#id_full_name", "Phan Thị Thu")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    tour.check("scenario-01-register")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Xác minh thông tin liên lạc" in page.inner_text("main")
    [mailed] = [m for m in smtp_server.messages if m["To"] == EMAIL]
    verification = re.search(r"\b(\d{6})\b", body_of(mailed))
    assert verification, body_of(mailed)
    page.fill("#id_code", verification.group(1))
    with page.expect_navigation():
        page.click("main form button.primary")
    assert "Tài khoản của bạn đã được kích hoạt" in page.inner_text("main")

    # 2. She signs in.
    page.fill("#id_username", ID_NUMBER)
    page.fill("#id_password", PASSWORD)
    tour.check("scenario-02-sign-in")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Phan Thị Thu" in page.inner_text("header")

    # 3. She finds the procedure typed without accents.
    page.goto(f"{base}/")
    page.fill("#id_q", "dang ky khai sinh")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    found = page.locator("main").get_by_role("link", name="Đăng ký khai sinh", exact=True)
    _expect(found).to_have_count(1)
    tour.check("scenario-03-search")
    with page.expect_navigation():
        found.click()
    assert "/thu-tuc/1.001193/" in page.url
    tour.check("scenario-04-procedure")

    # 4. She submits: the ward's centre, the papers, the result by public post.
    with page.expect_navigation():
        page.click("text=Nộp hồ sơ trực tuyến")
    assert "/nop-truc-tuyen/" in page.url
    assert page.input_value("#id_id_number") == ID_NUMBER  # from her account
    page.select_option("#id_agency", WARD_CENTRE)
    page.fill("#id_address", "Số 12 Nguyễn Huệ, phường Mỹ Tho")
    page.fill("#id_phone", "0913456789")
    uploads = page.locator("main input[type=file]")
    papers = uploads.count()
    assert papers >= 1
    for i in range(papers):
        uploads.nth(i).set_input_files(str(scan))
    page.check("input[name=return_method][value=post]")
    page.fill("#id_postal_address", POSTAL_ADDRESS)
    tour.check("scenario-05-submit-form")
    page.set_viewport_size(DESKTOP)
    with page.expect_navigation():
        page.click("button[value=review]")
    assert "/xem-lai/" in page.url, page.inner_text("main")
    assert POSTAL_ADDRESS in page.inner_text("main")
    tour.check("scenario-06-review")
    with page.expect_navigation():
        page.click("main form button.primary")
    dossier = Dossier.objects.get(owner__username=ID_NUMBER)
    code = dossier.code
    assert code in page.inner_text("main")
    assert (dossier.status, dossier.channel) == (Status.NEW, "online")
    assert dossier.receiving_agency.code == WARD_CENTRE
    assert (dossier.return_method, dossier.postal_address) == ("post", POSTAL_ADDRESS)
    assert dossier.documents.filter(provided=True).count() == papers
    tour.check("scenario-07-submitted")

    # 5. The ward's desk receives it; Form 01's tracking link opens the public page.
    page.set_viewport_size(DESKTOP)
    _sign_in(page, base, "mytho")
    _choose_agency(page, base, WARD_CENTRE)
    _open_queue(page, base, "to_receive", code)
    _act(page, "receive")
    _status(page, Status.RECEIVED)
    _shot(page, "08-received")
    receipt = _pdf_text(page, f"{base}/api/v1/dossiers/{code}/forms/receipt.pdf")
    # The link may wrap in the PDF's text; a code is "<agency>-<yymmdd>-<number>".
    link = re.search(
        r"https?://\S+/tra-cuu/[A-Z]\d+(\.\d+)*-\d{6}-\d{4}", receipt.replace("\n", "")
    )
    assert link, receipt
    assert link.group(0) == f"{base}/tra-cuu/{code}"
    page.goto(link.group(0))
    main = page.inner_text("main")
    assert code in main and "Phan Thị Thu" not in main  # nothing personal without the PIN
    # The desk officer's workspace session does not sign her in on the portal.
    assert "Bùi Ngọc Ánh" not in page.inner_text("header")
    _expect(page.locator("header a[data-workspace]")).to_have_count(1)
    assert _vi("received").lower() in main.lower()
    tour.check("scenario-09-track")
    page.set_viewport_size(DESKTOP)

    # 6. The ward's specialist asks for a supplement.
    page.goto(f"{base}/workspace/dossiers/{code}/")
    _act(page, "forward", to="mytho", note="Chuyển công chức tư pháp - hộ tịch")
    _choose_agency(page, base, WARD)
    _open_queue(page, base, "my_steps", code)
    _act(
        page,
        "request_supplement",
        items="Giấy chứng sinh bản chính có xác nhận của cơ sở y tế",
        reason="Bản chụp giấy chứng sinh không đọc được số hồ sơ",
    )
    _status(page, Status.SUPPLEMENT_REQUESTED)
    _shot(page, "10-supplement-requested")

    # 7. She sees it in "Hồ sơ của tôi", uploads the paper and resubmits.
    _portal_sign_in(page, base, "/ho-so-cua-toi/")
    main = page.inner_text("main")
    assert code in main and "Cần bạn bổ sung" in main
    tour.check("scenario-11-mine")
    with page.expect_navigation():
        page.click(f"text={code}")
    assert "Bản chụp giấy chứng sinh không đọc được số hồ sơ" in page.inner_text("main")
    tour.check("scenario-12-mine-dossier")
    with page.expect_navigation():
        page.click("main a.button.primary")
    page.fill("#id_note", "Gửi lại giấy chứng sinh bản chính đã scan rõ")
    page.set_input_files("#id_item_0", str(scan))
    tour.check("scenario-13-supplement")
    page.set_viewport_size(DESKTOP)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Đã gửi bổ sung" in page.inner_text("main")

    # 8. The specialist forwards, the leader signs, the desk hands it to the post.
    _sign_in(page, base, "mytho")
    _choose_agency(page, base, WARD)
    _open_queue(page, base, "my_steps", code)
    _act(page, "forward", to="lanhdao.mytho", note="Đủ điều kiện đăng ký khai sinh, trình ký")
    _sign_in(page, base, "lanhdao.mytho")
    _open_queue(page, base, "my_steps", code)
    _act(page, "approve", result="Giấy khai sinh số 27/2026")
    _status(page, Status.PROCESSED)
    _sign_in(page, base, "mytho")
    _choose_agency(page, base, WARD_CENTRE)
    _open_queue(page, base, "ready_to_return", code)
    _expect(page.locator("details[data-action=hand_to_post]")).to_have_count(1)
    dossier.refresh_from_db()
    fields = {"tracking_number": POSTAL_ITEM, "note": "Giao Bưu điện phường Mỹ Tho"}
    if dossier.fees_due:
        fields["unpaid_reason"] = "Lệ phí thu qua bưu chính khi phát"
    _act(page, "hand_to_post", **fields)
    _status(page, Status.RETURNED)
    _expect(page.locator("main")).to_contain_text(POSTAL_ITEM)
    _shot(page, "14-handed-to-post")

    # 9. She sees every step, the postal item's number last.
    _portal_sign_in(page, base, f"/ho-so-cua-toi/{code}/")
    main = page.inner_text("main")
    for heading in (
        "Submitted online",
        "Received by the agency",
        "Supplement requested",
        "Supplement sent",
        "Result signed",
        "Result sent by public post",
    ):
        assert _vi(heading) in main, heading
    assert _vi("Postal item number %(n)s", n=POSTAL_ITEM) in main
    tour.check("scenario-15-mine-returned")

    # 10. The e-mails she received, each with the tracking link.
    assert _subjects(smtp_server, EMAIL)[1:] == [
        _vi("Dossier %(code)s has been received", code=code),
        _vi("Dossier %(code)s: please supplement your dossier", code=code),
        _vi("Dossier %(code)s: the result is ready", code=code),
        _vi("Dossier %(code)s: the result was sent by public post", code=code),
    ]
    notices = [m for m in smtp_server.messages if m["To"] == EMAIL][1:]
    for message in notices:
        assert f"{base}/tra-cuu/{code}" in body_of(message)
    assert "Giấy chứng sinh bản chính có xác nhận của cơ sở y tế" in body_of(notices[1])
    assert _vi("It will be sent to you by public post.") in body_of(notices[2])
    assert POSTAL_ITEM in body_of(notices[3])  # the hand-over, with the postal item's number

    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.postal_tracking_number == POSTAL_ITEM
    actions = [
        (e.action, e.actor.username if e.actor else "")
        for e in dossier.events.select_related("actor").order_by("at", "pk")
        if e.action != Action.ATTACH
    ]
    assert actions == [
        (Action.SUBMIT, ID_NUMBER),
        (Action.RECEIVE, "mytho"),
        (Action.FORWARD, "mytho"),
        (Action.REQUEST_SUPPLEMENT, "mytho"),
        (Action.RESUBMIT, ID_NUMBER),
        (Action.FORWARD, "mytho"),
        (Action.APPROVE, "lanhdao.mytho"),
        (Action.HAND_TO_POST, "mytho"),
    ]
    citizen = User.objects.get(username=ID_NUMBER)
    assert set(citizen.role_assignments.values_list("role", flat=True)) == {Role.CITIZEN}
    assert tour.problems == [], "\n".join(tour.problems)
