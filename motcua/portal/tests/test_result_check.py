"""Verification of a dossier's signed result by its code and secret (issue #15): the public
page ``/kiem-tra-chu-ky/`` and ``POST /api/v1/public/signatures/verify`` answer whether a PDF
is the document recorded for that dossier (its SHA-256 against the one the approval recorded,
or a copy the desk signed), beside the verdicts; with the code and secret and no file they
check the signed result as kept. An unknown code and a wrong secret answer 404 alike. Every
verdict is held against pyHanko's own validator."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import documents, intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.recorded import signed_result
from motcua.dossiers.signatures import keep_signed_copy
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.signing.tests.pki import Pki, serve_test_pki
from motcua.signing.tests.test_signing import a_pdf, pyhanko_says
from motcua.signing.trust import Trust
from motcua.testing import Cast
from motcua.workspace.signing import sign_copy, sign_result

PAGE = "/kiem-tra-chu-ky/"
API = "/api/v1/public/signatures/verify"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    with serve_test_pki(tmp_path_factory.mktemp("pki")) as served:
        yield served


@pytest.fixture
def trust(pki: Pki, settings: Any, tmp_path: Path) -> Trust:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.roots_file())]
    settings.MOTCUA_TRACK_RATE = "100/minute"
    cache.clear()
    return Trust.from_files([pki.roots_file()])


def key(pki: Pki) -> SimpleUploadedFile:
    return SimpleUploadedFile("k.p12", pki.pkcs12("signer"))


@pytest.fixture
def approved(cast: Cast, pki: Pki, trust: Trust) -> Dossier:
    """A dossier whose Form 01 the desk signed and whose result the leader signed on approval."""
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    copy, sha, _ = sign_copy(
        dossier, cast.alice, subject="receipt", key_file=key(pki), passphrase="mat-khau-thu", pin=""
    )
    keep_signed_copy(dossier, actor=cast.alice, signed=copy, unsigned_sha256=sha)
    services.forward(dossier, actor=cast.alice)
    services.forward(dossier, actor=cast.bob)
    upload = SimpleUploadedFile("gcn.pdf", a_pdf("GCN"), content_type="application/pdf")
    documents.attach(dossier, actor=cast.carol, upload=upload, result=True)
    services.forward(dossier, actor=cast.carol)
    result = sign_result(dossier, cast.dave, key_file=key(pki), passphrase="mat-khau-thu", pin="")
    services.approve(dossier, actor=cast.dave, result="GCN số 1", signed_result=result)
    dossier.refresh_from_db()
    return dossier


def result_bytes(dossier: Dossier) -> bytes:
    document = signed_result(dossier)
    assert document is not None
    with document.file.open("rb") as f:
        data: bytes = f.read()
    return data


def page(data: bytes | None, code: str, pin: str) -> Any:
    form: dict[str, Any] = {"code": code, "pin": pin}
    if data is not None:
        form["document"] = SimpleUploadedFile("ket-qua.pdf", data, content_type="application/pdf")
    return Client().post(PAGE, form, HTTP_ACCEPT_LANGUAGE="vi")


def api(data: bytes | None, code: str = "", pin: str = "") -> Any:
    form: dict[str, Any] = {"code": code, "pin": pin}
    if data is not None:
        form["document"] = SimpleUploadedFile("ket-qua.pdf", data, content_type="application/pdf")
    return Client().post(API, form)


def test_the_signed_result_is_recognised_as_the_dossiers(approved: Dossier, trust: Trust) -> None:
    data = result_bytes(approved)
    assert pyhanko_says(data, trust) == [True]
    response = page(data, approved.code, approved.tracking_pin)
    assert response.status_code == 200
    text = response.content.decode()
    assert "verdict-valid" in text and "record-matches" in text
    assert f"được ghi nhận cho hồ sơ {approved.code}" in text
    answer = api(data, approved.code, approved.tracking_pin).json()
    assert answer["verdict"] == "valid" and answer["matches_record"] is True
    assert answer["dossier"]["match"]["kind"] == "result"
    event = approved.events.get(action="approve")
    assert answer["dossier"]["match"]["sha256"] == event.data["signature"]["sha256"]
    assert {r["kind"] for r in answer["dossier"]["recorded"]} == {"result", "receipt"}


def test_the_signed_receipt_is_recorded_too(approved: Dossier, trust: Trust) -> None:
    copy = approved.signed_copies.get(kind="receipt")
    with copy.file.open("rb") as f:
        data = f.read()
    answer = api(data, approved.code, approved.tracking_pin).json()
    assert answer["verdict"] == "valid" and answer["matches_record"] is True
    assert answer["dossier"]["match"]["kind"] == "receipt"


def test_a_changed_byte_is_modified_and_not_the_recorded_document(
    approved: Dossier, trust: Trust
) -> None:
    data = bytearray(result_bytes(approved))
    at = data.index(b"stream") + 20  # inside the signed page's content stream
    data[at] = data[at] ^ 0x01
    assert pyhanko_says(bytes(data), trust) == [False]
    answer = api(bytes(data), approved.code, approved.tracking_pin).json()
    assert answer["verdict"] == "modified" and answer["matches_record"] is False
    assert answer["dossier"]["match"] is None
    text = page(bytes(data), approved.code, approved.tracking_pin).content.decode()
    assert "verdict-modified" in text and "record-differs" in text


def test_a_valid_document_of_another_dossier_is_valid_but_not_this_ones(
    cast: Cast, approved: Dossier, pki: Pki, trust: Trust
) -> None:
    """Signed by the same trusted authority, intact — but not what was issued for this one."""
    from motcua.signing.keys import pkcs12_signer
    from motcua.signing.pades import sign_pdf
    from motcua.signing.tests.test_signing import STAMP

    other = sign_pdf(a_pdf("Khác"), pkcs12_signer(pki.pkcs12("signer"), "mat-khau-thu"), STAMP,
                     trust).data  # fmt: skip
    answer = api(other, approved.code, approved.tracking_pin).json()
    assert answer["verdict"] == "valid" and answer["matches_record"] is False


def test_code_and_secret_alone_check_the_kept_result(approved: Dossier, trust: Trust) -> None:
    answer = api(None, approved.code, approved.tracking_pin).json()
    assert answer["verdict"] == "valid" and answer["matches_record"] is True
    text = page(None, approved.code, approved.tracking_pin).content.decode()
    assert "verdict-valid" in text and "record-matches" in text


def test_a_wrong_secret_or_unknown_code_answer_alike(approved: Dossier, trust: Trust) -> None:
    data = result_bytes(approved)
    wrong = api(data, approved.code, "000000")
    unknown = api(data, "H56.22-999999-9999", approved.tracking_pin)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "not_found"
    assert "recorded" not in wrong.content.decode()
    assert page(data, approved.code, "000000").status_code == 404


def test_without_a_file_or_with_half_a_dossier_the_request_is_refused(trust: Trust) -> None:
    assert api(None).status_code == 400
    half = api(a_pdf(), "H56.22-1", "")
    assert half.status_code == 400 and half.json()["field"] == "pin"
    assert page(None, "", "").status_code == 400


def test_a_file_alone_keeps_the_existing_verdicts(approved: Dossier, trust: Trust) -> None:
    answer = api(result_bytes(approved)).json()
    assert answer["verdict"] == "valid" and answer["matches_record"] is None
    assert answer["dossier"] is None
    assert api(a_pdf()).json()["verdict"] == "unsigned"
    assert api(b"not a pdf").json()["verdict"] == "not_pdf"


def test_before_the_result_is_signed_there_is_nothing_to_check(cast: Cast, trust: Trust) -> None:
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    answer = api(None, dossier.code, dossier.tracking_pin).json()
    assert answer["verdict"] is None and answer["dossier"]["recorded"] == []
