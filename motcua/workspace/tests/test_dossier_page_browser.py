"""The dossier page in headless Chromium: the desk attaches a PNG scan and sees its preview;
a specialist picks a reply template and the missing items fill in (``replies.js``). Refreshes
docs/screenshots/workspace-dossier.png when UPDATE_DOCS_SCREENSHOTS=1."""

import os
from pathlib import Path
from typing import Any

import pytest

from motcua.dossiers import intake, replies, services
from motcua.dossiers.models import ReplyKind
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import SCREENSHOTS
from motcua.workspace.tests.test_dossier_page_documents import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)


def scanned_page(x: int, y: int) -> int:
    """A page as a scanner sees it: white paper, a title, lines of text, a signature block."""
    if not (12 <= x < 228 and 10 <= y < 310):
        return 0xC8  # the scanner's lid around the sheet
    if 24 <= y < 32 and 60 <= x < 180:
        return 0x20  # the title
    if 48 <= y < 250 and (y - 48) % 14 < 5 and 24 <= x < (216 if (y // 14) % 4 else 150):
        return 0x50  # lines of text
    if 262 <= y < 292 and 140 <= x < 214 and (x + y) % 9 < 3:
        return 0x30  # the signature
    return 0xFA


def _sign_in(page: Any, live_server: Any, username: str, path: str) -> None:
    page.goto(f"{live_server.url}/workspace/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")


def test_the_desk_attaches_a_png_scan_and_sees_its_preview(
    page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    cast = Cast()
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    scan = tmp_path / "giay-de-nghi.png"
    scan.write_bytes(png(240, 320, scanned_page))

    _sign_in(page, live_server, "alice", f"/workspace/dossiers/{dossier.code}/")
    page.wait_for_selector("form.attach")
    page.set_input_files("#id_attach_uploads", str(scan))
    page.fill("#id_attach_name", "Ảnh chụp giấy đề nghị")
    page.click("form.attach button[type=submit]")
    page.wait_for_selector(".messages li")

    preview = page.locator("a.doc-preview img")
    preview.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const i = document.querySelector('a.doc-preview img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert preview.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [240, 320]
    assert "Ảnh chụp giấy đề nghị" in page.inner_text("#documents")
    # Only the forms that apply are linked: the receipt and the control sheet.
    assert page.locator(".prints a").evaluate_all("as => as.map(a => a.dataset.form)") == [
        "receipt",
        "control-sheet",
    ]
    DOCS.mkdir(parents=True, exist_ok=True)
    path = DOCS / "workspace-dossier.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def test_a_reply_template_fills_the_missing_items(page: Any, live_server: Any) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    services.forward(dossier, actor=cast.alice)
    template = replies.create_template(
        agency=cast.agency,
        kind=ReplyKind.SUPPLEMENT,
        title="Thiếu giấy tờ chủ hộ",
        body="Bản sao CCCD của chủ hộ\nHợp đồng thuê địa điểm",
        actor=cast.carol,
    )

    _sign_in(page, live_server, "bob", f"/workspace/dossiers/{dossier.code}/")
    page.locator("details[data-action=request_supplement]").evaluate("d => { d.open = true; }")
    page.select_option("#id_request_supplement_template", str(template.pk))
    assert page.input_value("#id_request_supplement_items") == template.body


def test_a_dossier_with_a_paper_beyond_the_published_list_shows_its_badge(
    page: Any, live_server: Any
) -> None:
    """In Chromium the dossier's head carries the warning badge, visible and amber, and the
    paper in the documents lists its legal basis."""
    from motcua.dossiers.extra_papers import ExtraPaper

    cast = Cast()
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    services.forward(dossier, actor=cast.alice, to=cast.bob)
    services.request_supplement(
        dossier, actor=cast.bob, items=[],
        extra_papers=[ExtraPaper("Hợp đồng thuê nhà", "Điều 87 Nghị định 01/2021/NĐ-CP")],
    )  # fmt: skip

    _sign_in(page, live_server, "bob", f"/workspace/dossiers/{dossier.code}/")
    badge = page.wait_for_selector('.badges [data-badge="extra-papers"]')
    assert badge.is_visible()
    assert "ngoài danh mục" in badge.inner_text()  # the Vietnamese screen
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('[data-badge=\"extra-papers\"]')).borderTopStyle"
    )
    assert colour == "solid"
    page.screenshot(path=str(SCREENSHOTS / "workspace-dossier-extra-papers.png"))
