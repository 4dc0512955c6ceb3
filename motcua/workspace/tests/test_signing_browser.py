"""Issue #15's scenario in headless Chromium: the desk signs the electronic Form 01 of a
dossier it received with its SoftHSM2 token (the PIN typed on the page); the leader approves
and signs the result with the token; the procedure issues its result electronically, so the
citizen downloads the signed result from "Hồ sơ của tôi"; the public check, given the file, the
dossier's code and PIN, says it is valid and the document recorded for the dossier; one byte
changed shows it modified. pyHanko's own validator agrees on both files. Steps between the
desk and the leader (forwarding, the result PDF attached) are taken through the services.

Screenshots go to ``var/screenshots/sign-*.png``."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers import documents, intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.steps import approval_refusal
from motcua.dossiers.tests.factories import birth_registration_case, complete_intake
from motcua.signing.sync import outside_loop
from motcua.signing.tests.pki import Pki, serve_test_pki
from motcua.signing.tests.softhsm import PIN, SOFTHSM, TOKEN, make_token, needs_softhsm
from motcua.signing.tests.test_signing import a_pdf, pyhanko_says
from motcua.signing.trust import Trust
from motcua.testing import Cast
from motcua.testing.browser import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    with serve_test_pki(tmp_path_factory.mktemp("pki")) as served:
        yield served


def _as(page: Any, base: str, user: Any) -> None:
    """Sign ``user`` in (a session made by Django's test client, its cookie in the browser)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def _expect(target: Any) -> Any:
    from playwright.sync_api import expect

    return expect(target)


def _holder(dossier: Dossier, cast: Cast) -> Any:
    role = dossier.current_step.role if dossier.current_step else "desk_officer"
    return {"desk_officer": cast.alice, "specialist": cast.bob,
            "head_of_department": cast.carol, "signing_leader": cast.dave}[role]  # fmt: skip


def _check(page: Any, base: str, path: Path, code: str, pin: str) -> None:
    page.goto(f"{base}/kiem-tra-chu-ky/")
    page.get_by_label("Tài liệu PDF đã ký số").set_input_files(str(path))
    page.get_by_label("Mã hồ sơ (không bắt buộc)").fill(code)
    page.get_by_label("Mã PIN trên giấy tiếp nhận").fill(pin)
    with page.expect_navigation():
        page.get_by_role("button", name="Kiểm tra").click()


@needs_softhsm
def test_desk_and_leader_sign_with_a_token_and_the_citizen_checks_the_result(
    page: Any,
    live_server: Any,
    cast: Cast,
    pki: Pki,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = live_server.url
    conf = make_token(pki, tmp_path, {"alice": "signer", "dave": "signer"})
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    settings.MOTCUA_SIGNING_PKCS11_MODULE = str(SOFTHSM)
    settings.MOTCUA_SIGNING_PKCS11_TOKEN = TOKEN
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.roots_file())]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MOTCUA_TRACK_RATE = "100/minute"
    cache.clear()
    trust = Trust.from_files([pki.roots_file()])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    case = birth_registration_case(cast.agency)
    ProcedureVersion.objects.filter(pk=case.version_id).update(result_electronic=True)
    case.refresh_from_db()
    dossier = intake.submit_online(
        complete_intake(case, channel="online"), agency=cast.agency, actor=cast.henry
    )
    services.receive(dossier, actor=cast.alice)

    # The desk signs the electronic Form 01 with its token's PIN.
    _as(page, base, cast.alice)
    page.goto(f"{base}/workspace/dossiers/{dossier.code}/")
    form = page.locator("form.sign")
    form.locator("select[name=subject]").select_option("receipt")
    form.locator("input[name=pin]").fill(PIN)
    with page.expect_navigation():
        form.get_by_role("button", name="Ký số").click()
    _expect(page.locator("#signed-copies")).to_contain_text("Mẫu 01")
    page.locator("#signed-copies").screenshot(path=str(SCREENSHOTS / "sign-desk-form01.png"))
    assert dossier.signed_copies.filter(kind="receipt").count() == 1

    # Processing, and the result PDF attached, through the services.
    services.forward(dossier, actor=cast.alice)
    dossier.refresh_from_db()
    upload = SimpleUploadedFile("trich-luc.pdf", a_pdf("Trích lục"), content_type="application/pdf")
    documents.attach(dossier, actor=_holder(dossier, cast), upload=upload, result=True)
    while approval_refusal(d := Dossier.objects.get(pk=dossier.pk)) is not None:
        services.forward(d, actor=_holder(d, cast))
    leader = _holder(Dossier.objects.get(pk=dossier.pk), cast)

    # The leader approves and signs the result with the token.
    _as(page, base, leader)
    page.goto(f"{base}/workspace/dossiers/{dossier.code}/")
    box = page.locator("details[data-action=approve]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator("[name=result]").fill("Trích lục khai sinh số 12")
    box.locator("[name=pin]").fill(PIN)
    with page.expect_navigation():
        box.locator("form button[type=submit]").last.click()
    _expect(page.locator(".field-error")).to_have_count(0)
    dossier.refresh_from_db()
    assert dossier.status == "10" and dossier.return_method == "electronic"

    # The citizen downloads the signed result from "Hồ sơ của tôi".
    _as(page, base, cast.henry)
    page.goto(f"{base}/ho-so-cua-toi/{dossier.code}/")
    page.screenshot(path=str(SCREENSHOTS / "sign-mine-result.png"), full_page=True)
    result = dossier.documents.get(result=True)
    with page.expect_download() as download:
        page.locator(f"a[href$='/ket-qua/{result.pk}/']").click()
    good = tmp_path / "ket-qua.pdf"
    download.value.save_as(str(good))
    assert outside_loop(lambda: pyhanko_says(good.read_bytes(), trust)) == [True]

    # The public check: valid and the one recorded; one byte changed: modified.
    page.context.clear_cookies()
    _check(page, base, good, dossier.code, dossier.tracking_pin)
    _expect(page.get_by_role("heading", name="Hợp lệ")).to_be_visible()
    _expect(page.locator("#record")).to_have_class("record record-matches")
    page.screenshot(path=str(SCREENSHOTS / "sign-check-valid.png"), full_page=True)
    data = bytearray(good.read_bytes())
    data[data.index(b"stream") + 20] ^= 0x01
    bad = tmp_path / "ket-qua-da-sua.pdf"
    bad.write_bytes(bytes(data))
    assert outside_loop(lambda: pyhanko_says(bytes(data), trust)) == [False]
    _check(page, base, bad, dossier.code, dossier.tracking_pin)
    _expect(page.get_by_role("heading", name="Đã bị sửa đổi sau khi ký")).to_be_visible()
    _expect(page.locator("#record")).to_have_class("record record-differs")
    page.screenshot(path=str(SCREENSHOTS / "sign-check-modified.png"), full_page=True)
