"""A citizen signs in, opens "my dossiers", sees that the agency asks for a supplement, sends a
file that is not a PDF (refused next to its field, the note kept), then the right file: the
dossier is resubmitted. In headless Chromium, at a phone's width and an office screen's, every
page checked with axe-core and for sideways scrolling at 375 px; no JavaScript of ours.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots ``docs/screenshots/portal-mine-*.png`` are
refreshed; otherwise they go to ``var/screenshots/``."""

from typing import Any

import pytest

from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import birth_registration_case, complete_intake
from motcua.dossiers.workflow import Action, Status
from motcua.portal.tests.test_browser import PHONE, Tour
from motcua.testing import TEST_PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def waiting_for_henry(cast: Cast) -> Dossier:
    birth = birth_registration_case(cast.agency)
    dossier = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry
    )
    services.receive(dossier, actor=cast.alice)
    services.forward(dossier, actor=cast.alice, note="Ghi chú nội bộ")
    return services.request_supplement(
        dossier,
        actor=cast.bob,
        items=["Bản sao giấy chứng sinh"],
        reason="Thiếu giấy chứng sinh của trẻ",
    )


def test_a_citizen_answers_a_supplement_request_online(
    page: Any, live_server: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    cast = Cast()
    dossier = waiting_for_henry(cast)
    page.set_viewport_size(PHONE)
    tour = Tour(page)

    page.goto(f"{live_server.url}/ho-so-cua-toi/")
    assert "/dang-nhap/" in page.url
    page.fill("#id_username", "henry")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/ho-so-cua-toi/")
    main = page.inner_text("main")
    assert dossier.code in main and "Cần bạn bổ sung" in main
    tour.check("mine-list")

    with page.expect_navigation():
        page.click(f"text={dossier.code}")
    main = page.inner_text("main")
    assert "Thiếu giấy chứng sinh của trẻ" in main and "Ghi chú nội bộ" not in main
    tour.check("mine-dossier")

    with page.expect_navigation():
        page.click("main a.button.primary")
    assert "Bản sao giấy chứng sinh" in page.inner_text("main")
    page.fill("#id_note", "Gửi bản sao giấy chứng sinh")
    page.set_input_files(
        "#id_item_0",
        files=[{"name": "chung-sinh.pdf", "mimeType": "application/pdf", "buffer": b"MZ..."}],
    )
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Chỉ chấp nhận tệp định dạng PDF" in page.inner_text("main")
    assert page.input_value("#id_note") == "Gửi bản sao giấy chứng sinh"
    tour.check("mine-supplement-errors")

    page.set_input_files(
        "#id_item_0",
        files=[{"name": "chung-sinh.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    tour.check("mine-supplement")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    main = page.inner_text("main")
    assert "Đã gửi bổ sung" in main
    tour.check("mine-answered")

    answered = Dossier.objects.get(pk=dossier.pk)
    assert answered.status == Status.PROCESSING
    assert answered.events.get(action=Action.RESUBMIT).actor == cast.henry
    assert tour.problems == []
