"""The public signature check in headless Chromium: a visitor uploads a signed result and reads
"Hợp lệ" with the signer and chain, then a copy with one byte changed and reads that it was
modified; both pages pass axe-core at an office screen's and a phone's width.

With ``UPDATE_DOCS_SCREENSHOTS=1`` the screenshots go to ``docs/screenshots/``."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from motcua.portal.tests.test_signature_check import signed
from motcua.signing.tests.pki import Pki, serve_test_pki
from motcua.testing.browser import SCREENSHOTS
from motcua.workspace.tests.axe import horizontal_overflow, violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    with serve_test_pki(tmp_path_factory.mktemp("pki")) as served:
        yield served


def test_a_visitor_checks_a_signed_result_and_a_tampered_copy(
    page: Any, live_server: Any, pki: Pki, settings: Any, tmp_path: Path
) -> None:
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.roots_file())]
    settings.MOTCUA_TRACK_RATE = "100/minute"
    cache.clear()
    good = tmp_path / "ket-qua.pdf"
    good.write_bytes(signed(pki))
    data = bytearray(good.read_bytes())
    data[data.index(b"stream") + 20] ^= 0x01
    bad = tmp_path / "ket-qua-da-sua.pdf"
    bad.write_bytes(bytes(data))
    problems: list[str] = []
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, path, verdict in (
        ("valid", good, "Hợp lệ"),
        ("modified", bad, "Đã bị sửa đổi sau khi ký"),
    ):
        page.set_viewport_size({"width": 1366, "height": 768})
        page.goto(f"{live_server.url}/kiem-tra-chu-ky/")
        page.get_by_label("Tài liệu PDF đã ký số").set_input_files(str(path))
        page.get_by_role("button", name="Kiểm tra").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name=verdict).is_visible()
        if name == "valid":
            assert page.get_by_text("Nguyễn Văn Lãnh Đạo → MotCua Test Intermediate").is_visible()
        problems += violations(page, where=f"signature check {name} @1366px")
        page.screenshot(path=str(DOCS / f"portal-signature-{name}.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 812})
        problems += violations(page, where=f"signature check {name} @375px")
        problems += horizontal_overflow(page, where=f"signature check {name} @375px")
    assert problems == []
