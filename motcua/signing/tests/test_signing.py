"""Signing and verification against a real test PKI (certomancer, served on localhost): the
certificate is checked before a signature is applied, and our verdict agrees with pyHanko's own
validator on every document."""

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from motcua.errors import Refusal
from motcua.signing.keys import pkcs12_signer, token_signer
from motcua.signing.pades import Corner, Stamp, sign_pdf
from motcua.signing.tests.pki import PASSPHRASE, Pki, serve_test_pki
from motcua.signing.tests.softhsm import SOFTHSM, TOKEN, make_token, needs_softhsm
from motcua.signing.trust import Trust
from motcua.signing.verify import Verdict, verify_pdf

FONT = Path(__file__).resolve().parents[2] / "dossiers" / "fonts" / "DejaVuSerif.ttf"
STAMP = Stamp("Nguyễn Văn Lãnh Đạo", "Phó Chủ tịch", "UBND phường Mỹ Tho", FONT)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    with serve_test_pki(tmp_path_factory.mktemp("pki")) as served:
        yield served


@pytest.fixture(scope="module")
def trust(pki: Pki) -> Trust:
    return Trust.from_files([pki.roots_file()])


def a_pdf(text: str = "Giấy khai sinh — bản điện tử") -> bytes:
    from motcua.dossiers.printing_layout import FONT as FAMILY
    from motcua.dossiers.printing_layout import register_fonts

    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setFont(FAMILY, 14)
    canvas.drawString(72, 760, text)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def signer(pki: Pki, label: str = "signer"):  # type: ignore[no-untyped-def]
    return pkcs12_signer(pki.pkcs12(label), PASSPHRASE.decode())


def pyhanko_says(data: bytes, trust: Trust) -> list[bool]:
    """pyHanko's own bottom line for every signature, validated its own way."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return [
        validate_pdf_signature(s, signer_validation_context=trust.context()).bottom_line
        for s in reader.embedded_signatures
    ]


def test_signed_pdf_verifies_valid_with_the_signer_chain_and_time(pki: Pki, trust: Trust) -> None:
    signed = sign_pdf(a_pdf(), signer(pki), STAMP, trust, reason="Phê duyệt kết quả")
    result = verify_pdf(signed.data, trust, recorded_sha256=signed.sha256)
    assert result.verdict == Verdict.VALID
    assert result.matches_record is True
    [sig] = result.signatures
    assert sig.signer == "Nguyễn Văn Lãnh Đạo"
    assert sig.chain == ("Nguyễn Văn Lãnh Đạo", "MotCua Test Intermediate", "MotCua Test Root")
    assert sig.certificate_sha256 == signed.certificate_sha256
    assert sig.signed_at is not None
    assert abs(sig.signed_at - signed.at) < dt.timedelta(minutes=1)
    assert sig.intact and sig.trusted and sig.certificate_valid and sig.whole_document
    assert pyhanko_says(signed.data, trust) == [True]
    # The visible stamp is on the page, in Vietnamese (the font is embedded for its glyphs).
    assert b"/Subtype /Widget" in signed.data or b"/Widget" in signed.data


def test_a_trusted_time_stamp_makes_it_pades_b_t(pki: Pki, trust: Trust) -> None:
    signed = sign_pdf(a_pdf(), signer(pki), STAMP, trust, timestamp_url=pki.tsa_url)
    [sig] = verify_pdf(signed.data, trust).signatures
    assert sig.timestamp_at is not None
    assert sig.verdict == Verdict.VALID
    assert pyhanko_says(signed.data, trust) == [True]


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("revoked", "signing_certificate_revoked"),
        ("expired", "signing_certificate_expired"),
        ("nosign", "signing_certificate_not_for_signing"),
    ],
)
def test_a_certificate_that_may_not_sign_is_refused_before_signing(
    pki: Pki, trust: Trust, label: str, code: str
) -> None:
    pdf = a_pdf()
    with pytest.raises(Refusal) as refused:
        sign_pdf(pdf, signer(pki, label), STAMP, trust)
    assert refused.value.code == code


def test_a_certificate_from_an_untrusted_authority_is_refused(pki: Pki) -> None:
    with pytest.raises(Refusal) as refused:
        sign_pdf(a_pdf(), signer(pki), STAMP, Trust(roots=()))
    assert refused.value.code == "signing_certificate_untrusted"


def test_one_changed_byte_shows_the_document_modified(pki: Pki, trust: Trust) -> None:
    signed = sign_pdf(a_pdf(), signer(pki), STAMP, trust)
    data = bytearray(signed.data)
    # A byte of the first revision (signed), inside the page's content stream.
    at = data.index(b"stream") + 20
    data[at] = data[at] ^ 0x01
    result = verify_pdf(bytes(data), trust, recorded_sha256=signed.sha256)
    assert result.verdict == Verdict.MODIFIED
    assert result.matches_record is False
    assert pyhanko_says(bytes(data), trust) == [False]


def test_content_appended_after_signing_shows_modified(pki: Pki, trust: Trust) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = sign_pdf(a_pdf(), signer(pki), STAMP, trust)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.data))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    page["/MediaBox"] = generic.ArrayObject([generic.NumberObject(n) for n in (0, 0, 300, 300)])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue(), trust)
    assert result.verdict == Verdict.MODIFIED
    assert pyhanko_says(out.getvalue(), trust) == [False]


def test_a_second_signature_keeps_both_valid(pki: Pki, trust: Trust) -> None:
    first = sign_pdf(a_pdf(), signer(pki), STAMP, trust)
    desk = Stamp(
        "Nguyễn Văn Lãnh Đạo", "Công chức một cửa", "Bộ phận một cửa", FONT, Corner.TOP_LEFT
    )
    second = sign_pdf(first.data, signer(pki), desk, trust)
    result = verify_pdf(second.data, trust)
    assert [s.verdict for s in result.signatures] == [Verdict.VALID, Verdict.VALID]
    assert result.verdict == Verdict.VALID
    assert pyhanko_says(second.data, trust) == [True, True]


def test_a_foreign_signature_is_intact_but_untrusted(pki: Pki, trust: Trust) -> None:
    signed = sign_pdf(a_pdf(), signer(pki), STAMP, trust)
    result = verify_pdf(signed.data, Trust(roots=()))
    assert result.verdict == Verdict.UNTRUSTED
    [sig] = result.signatures
    assert sig.intact and not sig.trusted
    assert pyhanko_says(signed.data, Trust(roots=())) == [False]


def test_a_signature_by_a_revoked_certificate_shows_revoked(pki: Pki, trust: Trust) -> None:
    """Signed past our check (pyHanko directly, as another system might): the verdict says the
    certificate was revoked when it signed."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(io.BytesIO(a_pdf()))
    meta = signers.PdfSignatureMetadata(field_name="Signature1")
    data = signers.sign_pdf(writer, meta, signer=signer(pki, "revoked")).getvalue()
    result = verify_pdf(data, trust)
    assert result.verdict == Verdict.REVOKED
    [sig] = result.signatures
    assert sig.intact and not sig.certificate_valid
    assert pyhanko_says(data, trust) == [False]


def test_unsigned_and_not_a_pdf(trust: Trust) -> None:
    assert verify_pdf(a_pdf(), trust).verdict == Verdict.UNSIGNED
    assert verify_pdf(b"GIF89a not a pdf", trust).verdict == Verdict.NOT_PDF
    assert verify_pdf(b"", trust).verdict == Verdict.NOT_PDF


def test_a_wrong_passphrase_is_refused(pki: Pki) -> None:
    with pytest.raises(Refusal) as refused:
        pkcs12_signer(pki.pkcs12("signer"), "sai-mat-khau")
    assert refused.value.code == "signing_key_unreadable"


def test_a_non_pdf_is_refused_for_signing(pki: Pki, trust: Trust) -> None:
    with pytest.raises(Refusal) as refused:
        sign_pdf(b"%PDF-1.7 broken", signer(pki), STAMP, trust)
    assert refused.value.code == "not_a_pdf"


@pytest.fixture
def token(pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SoftHSM2 token ``motcua`` (user PIN 123456) holding the signer's key and certificate
    under ``lanhdao``, imported as a certification authority would have put them on a USB
    token."""
    conf = make_token(pki, tmp_path, {"lanhdao": "signer"})
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    return TOKEN


@needs_softhsm
def test_a_pkcs11_token_signs_with_its_pin(pki: Pki, trust: Trust, token: str) -> None:
    with token_signer(str(SOFTHSM), token, "123456", key_label="lanhdao") as on_token:
        signed = sign_pdf(a_pdf(), on_token, STAMP, trust)
    result = verify_pdf(signed.data, trust)
    assert result.verdict == Verdict.VALID
    assert pyhanko_says(signed.data, trust) == [True]


@needs_softhsm
def test_a_wrong_token_pin_or_key_is_refused(pki: Pki, token: str) -> None:
    with (
        pytest.raises(Refusal) as refused,
        token_signer(str(SOFTHSM), token, "000000", key_label="lanhdao"),
    ):
        pass
    assert refused.value.code == "signing_token_refused"
    with (
        pytest.raises(Refusal) as refused,
        token_signer(str(SOFTHSM), token, "123456", key_label="khong-co"),
    ):
        pass
    assert refused.value.code == "signing_token_refused"
