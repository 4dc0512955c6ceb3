"""The desk signs the electronic copy of the receipt (Form 01) and of the scanned papers at
reception (issue #15; Circular 03/2025), from the dossier page, with a PKCS#11 token (SoftHSM2)
or a PKCS#12 file; the PIN is typed at signing and never stored. Each signature is a ``sign``
event (who, certificate fingerprint, document SHA-256) and a stored signed copy. Only the
receiving desk signs; a revoked or expired certificate is refused before anything is applied;
a copy is signed once. The leader's signature on the result is the last change to it."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import documents, services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.signed_models import SignedCopy
from motcua.signing.tests.pki import PASSPHRASE, Pki, serve_test_pki
from motcua.signing.tests.softhsm import PIN, SOFTHSM, TOKEN, make_token, needs_softhsm
from motcua.signing.tests.test_signing import a_pdf, pyhanko_says
from motcua.signing.trust import Trust
from motcua.signing.verify import Verdict, verify_pdf
from motcua.testing import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    with serve_test_pki(tmp_path_factory.mktemp("pki")) as served:
        yield served


@pytest.fixture
def trusted(pki: Pki, settings: Any, tmp_path: Path) -> Trust:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.roots_file())]
    return Trust.from_files([pki.roots_file()])


@pytest.fixture
def scanned(cast: Cast, received: Dossier, trusted: Trust) -> Dossier:
    """The received dossier with a paper scanned to PDF at the desk."""
    upload = SimpleUploadedFile("to-khai.pdf", a_pdf("Tờ khai"), content_type="application/pdf")
    documents.attach(received, actor=cast.alice, upload=upload)
    received.refresh_from_db()
    return received


def sign(client: Client, dossier: Dossier, subject: str, **key: Any) -> Any:
    dossier.refresh_from_db()
    form: dict[str, Any] = {"revision": dossier.revision, "subject": subject, **key}
    return client.post(f"/workspace/dossiers/{dossier.code}/sign/", form)


def with_p12(pki: Pki, label: str = "signer", passphrase: str = "") -> dict[str, Any]:
    return {
        "key_file": SimpleUploadedFile("canbo.p12", pki.pkcs12(label)),
        "passphrase": passphrase or PASSPHRASE.decode(),
    }


def codes_of(response: Any) -> set[str]:
    form = response.context["sign_form"]
    return {e.code for errors in form.errors.as_data().values() for e in errors}


def signed_bytes(copy: SignedCopy) -> bytes:
    with copy.file.open("rb") as f:
        data: bytes = f.read()
    return data


def test_the_desk_signs_the_receipt_with_a_key_file(
    client: Client, cast: Cast, received: Dossier, pki: Pki, trusted: Trust
) -> None:
    client.force_login(cast.alice)
    response = sign(client, received, "receipt", **with_p12(pki))
    assert response.status_code == 302, response.content.decode()[:3000]
    copy = SignedCopy.objects.get(dossier=received)
    assert copy.kind == "receipt" and copy.document is None and copy.signed_by == cast.alice
    data = signed_bytes(copy)
    verified = verify_pdf(data, trusted, recorded_sha256=copy.sha256)
    assert verified.verdict == Verdict.VALID and verified.matches_record
    assert pyhanko_says(data, trusted) == [True]
    [signature] = verified.signatures
    event = received.events.get(action="sign")
    assert event.actor == cast.alice
    assert event.old_status == event.new_status == "2"
    recorded = event.data["signature"]
    assert recorded["kind"] == "receipt"
    assert recorded["sha256"] == copy.sha256
    assert recorded["certificate_sha256"] == signature.certificate_sha256
    assert recorded["unsigned_sha256"] == copy.unsigned_sha256 != copy.sha256
    page = client.get(f"/workspace/dossiers/{received.code}/")
    assert f'data-signed-copy="{copy.pk}"' in page.content.decode()
    download = client.get(f"/workspace/dossiers/{received.code}/signed/{copy.pk}/")
    assert b"".join(download.streaming_content) == data  # type: ignore[attr-defined]


def test_the_desk_signs_a_scanned_paper(
    client: Client, cast: Cast, scanned: Dossier, pki: Pki, trusted: Trust
) -> None:
    document = scanned.documents.get(name__startswith="to-khai")
    client.force_login(cast.alice)
    response = sign(client, scanned, f"document-{document.pk}", **with_p12(pki))
    assert response.status_code == 302, response.content.decode()[:3000]
    copy = SignedCopy.objects.get(dossier=scanned, kind="scan")
    assert copy.document == document and copy.unsigned_sha256 == document.sha256
    assert verify_pdf(signed_bytes(copy), trusted).verdict == Verdict.VALID
    document.refresh_from_db()
    assert document.sha256 == copy.unsigned_sha256  # the scan itself is kept as received


@needs_softhsm
def test_the_desk_signs_with_its_token_and_pin_never_stored(
    client: Client,
    cast: Cast,
    received: Dossier,
    pki: Pki,
    trusted: Trust,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conf = make_token(pki, tmp_path, {"alice": "signer"})
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    settings.MOTCUA_SIGNING_PKCS11_MODULE = str(SOFTHSM)
    settings.MOTCUA_SIGNING_PKCS11_TOKEN = TOKEN
    client.force_login(cast.alice)
    wrong = sign(client, received, "receipt", pin="000000")
    assert wrong.status_code == 400 and "signing_token_refused" in codes_of(wrong)
    assert not SignedCopy.objects.exists()
    response = sign(client, received, "receipt", pin=PIN)
    assert response.status_code == 302, response.content.decode()[:3000]
    copy = SignedCopy.objects.get(dossier=received)
    assert verify_pdf(signed_bytes(copy), trusted).verdict == Verdict.VALID
    stored = [str(e.data) for e in DossierEvent.objects.filter(dossier=received)]
    assert not any(PIN in text for text in stored)


@pytest.mark.parametrize(
    ("label", "code"),
    [("revoked", "signing_certificate_revoked"), ("expired", "signing_certificate_expired")],
)
def test_a_revoked_or_expired_certificate_is_refused_before_signing(
    client: Client, cast: Cast, received: Dossier, pki: Pki, trusted: Trust, label: str, code: str
) -> None:
    client.force_login(cast.alice)
    response = sign(client, received, "receipt", **with_p12(pki, label))
    assert response.status_code == 400
    assert code in codes_of(response)
    assert not SignedCopy.objects.exists()
    assert not received.events.filter(action="sign").exists()


def test_a_copy_is_signed_once(
    client: Client, cast: Cast, received: Dossier, pki: Pki, trusted: Trust
) -> None:
    client.force_login(cast.alice)
    assert sign(client, received, "receipt", **with_p12(pki)).status_code == 302
    again = sign(client, received, "receipt", **with_p12(pki))
    assert again.status_code == 400  # no longer offered: the choice is refused
    assert SignedCopy.objects.filter(dossier=received).count() == 1
    assert received.events.filter(action="sign").count() == 1


def test_the_service_refuses_a_second_signature(
    cast: Cast, received: Dossier, pki: Pki, trusted: Trust
) -> None:
    from django.core.exceptions import ValidationError

    from motcua.dossiers.signatures import keep_signed_copy
    from motcua.workspace.signing import sign_copy

    key = SimpleUploadedFile("canbo.p12", pki.pkcs12("signer"))
    signed, sha, _ = sign_copy(
        received, cast.alice, subject="receipt", key_file=key, passphrase="mat-khau-thu", pin=""
    )
    keep_signed_copy(received, actor=cast.alice, signed=signed, unsigned_sha256=sha)
    with pytest.raises(ValidationError) as refused:
        keep_signed_copy(received, actor=cast.alice, signed=signed, unsigned_sha256=sha)
    assert refused.value.error_dict["subject"][0].code == "already_signed"


@pytest.mark.parametrize("who", ["bob", "carol", "dave", "henry", "oscar"])
def test_only_the_receiving_desk_signs_copies(
    client: Client, cast: Cast, received: Dossier, pki: Pki, trusted: Trust, who: str
) -> None:
    client.force_login(getattr(cast, who))
    response = sign(client, received, "receipt", **with_p12(pki))
    assert response.status_code in (403, 404)
    assert not SignedCopy.objects.exists()


def test_the_desk_cannot_sign_once_the_result_is_out(
    client: Client, cast: Cast, received: Dossier, pki: Pki, trusted: Trust
) -> None:
    """From status 9 the dossier's papers are closed: nothing is signed at the desk."""
    services.forward(received, actor=cast.alice)
    services.forward(received, actor=cast.bob)
    services.forward(received, actor=cast.carol)
    services.approve(received, actor=cast.dave, result="GCN số 1")
    client.force_login(cast.alice)
    response = sign(client, received, "receipt", **with_p12(pki))
    assert response.status_code == 403
    assert not SignedCopy.objects.exists()


def test_nothing_changes_the_result_after_the_leader_signed_it(
    client: Client, cast: Cast, received: Dossier, pki: Pki, trusted: Trust
) -> None:
    """The signature is the last processing step: once approved and signed, no one may attach
    or replace a result (the table closes ``attach`` after status 4)."""
    from motcua.dossiers.errors import ActionRefused
    from motcua.dossiers.signatures import result_pdf
    from motcua.workspace.signing import sign_result

    services.forward(received, actor=cast.alice)
    services.forward(received, actor=cast.bob)
    upload = SimpleUploadedFile("gcn.pdf", a_pdf("GCN"), content_type="application/pdf")
    documents.attach(received, actor=cast.carol, upload=upload, result=True)
    services.forward(received, actor=cast.carol)
    key = SimpleUploadedFile("lanhdao.p12", pki.pkcs12("signer"))
    signed = sign_result(received, cast.dave, key_file=key, passphrase="mat-khau-thu", pin="")
    services.approve(received, actor=cast.dave, result="GCN số 1", signed_result=signed)
    document = result_pdf(received)
    assert document is not None
    before = document.sha256
    for who in (cast.dave, cast.carol, cast.bob, cast.alice):
        later = SimpleUploadedFile("khac.pdf", a_pdf("Khác"), content_type="application/pdf")
        with pytest.raises(ActionRefused):
            documents.attach(received, actor=who, upload=later, result=True)
    document.refresh_from_db()
    assert (
        document.sha256
        == before
        == received.events.get(action="approve").data["signature"]["sha256"]
    )
