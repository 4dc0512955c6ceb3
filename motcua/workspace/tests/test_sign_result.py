"""The leader signs the result on approval from the dossier page (issue #15): the attached
result PDF is signed with the leader's PKCS#12 key (the certificate checked first against the
province's trusted roots), kept as the result, and the signature recorded on the approval's
event (who, certificate fingerprint, document SHA-256). A key that may not sign, a wrong
passphrase or a missing result PDF leave the dossier unapproved with the reason on the form."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from motcua.dossiers import documents, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.signatures import result_pdf
from motcua.signing.tests.pki import PASSPHRASE, Pki, serve_test_pki
from motcua.signing.tests.test_signing import a_pdf
from motcua.signing.trust import Trust
from motcua.signing.verify import Verdict, verify_pdf
from motcua.testing import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pki]:
    with serve_test_pki(tmp_path_factory.mktemp("pki")) as served:
        yield served


@pytest.fixture
def at_the_leader(cast: Cast, received: Dossier, pki: Pki, settings: Any, tmp_path: Any) -> Dossier:
    """At the last step (the signing leader's), the result PDF attached by the head."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    settings.MOTCUA_SIGNING_TRUST_ROOTS = [str(pki.roots_file())]
    services.forward(received, actor=cast.alice)
    services.forward(received, actor=cast.bob)
    upload = SimpleUploadedFile("giay-chung-nhan.pdf", a_pdf(), content_type="application/pdf")
    documents.attach(received, actor=cast.carol, upload=upload, result=True)
    services.forward(received, actor=cast.carol)
    received.refresh_from_db()
    return received


def approve(client: Client, dossier: Dossier, key: bytes | None, passphrase: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    form: dict[str, Any] = {
        "revision": dossier.revision,
        "result": "GCN số 12/2026",
        "passphrase": passphrase,
    }
    if key is not None:
        form["key_file"] = SimpleUploadedFile("lanhdao.p12", key)
    return client.post(f"/workspace/dossiers/{dossier.code}/act/approve/", form)


def test_the_leader_signs_the_result_on_approval(
    client: Client, cast: Cast, at_the_leader: Dossier, pki: Pki
) -> None:
    client.force_login(cast.dave)
    response = approve(client, at_the_leader, pki.pkcs12("signer"), PASSPHRASE.decode())
    assert response.status_code == 302, response.content.decode()[:2000]
    at_the_leader.refresh_from_db()
    assert at_the_leader.status == "9"
    document = result_pdf(at_the_leader)
    assert document is not None
    with document.file.open("rb") as f:
        data = f.read()
    verified = verify_pdf(
        data, Trust.from_files([pki.roots_file()]), recorded_sha256=document.sha256
    )
    assert verified.verdict == Verdict.VALID and verified.matches_record
    [signature] = verified.signatures
    event = at_the_leader.events.get(action="approve")
    assert event.actor == cast.dave
    recorded = event.data["signature"]
    assert recorded["sha256"] == document.sha256
    assert recorded["certificate_sha256"] == signature.certificate_sha256
    assert recorded["signer"] == "Nguyễn Văn Lãnh Đạo"
    assert recorded["unsigned_sha256"] != recorded["sha256"]


@pytest.mark.parametrize(
    ("label", "passphrase", "code"),
    [
        ("revoked", PASSPHRASE.decode(), "signing_certificate_revoked"),
        ("expired", PASSPHRASE.decode(), "signing_certificate_expired"),
        ("signer", "sai-mat-khau", "signing_key_unreadable"),
    ],
)
def test_a_key_that_may_not_sign_leaves_the_dossier_unapproved(
    client: Client,
    cast: Cast,
    at_the_leader: Dossier,
    pki: Pki,
    label: str,
    passphrase: str,
    code: str,
) -> None:
    client.force_login(cast.dave)
    response = approve(client, at_the_leader, pki.pkcs12(label), passphrase)
    assert response.status_code == 400
    form = dict((n, f) for n, _, f in response.context["action_forms"])["approve"]
    codes = {e.code for errors in form.errors.as_data().values() for e in errors}
    assert code in codes
    at_the_leader.refresh_from_db()
    assert at_the_leader.status == "4"
    assert not at_the_leader.events.filter(action="approve").exists()


def test_without_a_result_pdf_there_is_nothing_to_sign(
    client: Client, cast: Cast, at_the_leader: Dossier, pki: Pki
) -> None:
    at_the_leader.documents.filter(result=True).update(result=False)
    client.force_login(cast.dave)
    response = approve(client, at_the_leader, pki.pkcs12("signer"), PASSPHRASE.decode())
    assert response.status_code == 400
    form = dict((n, f) for n, _, f in response.context["action_forms"])["approve"]
    assert "no_result_pdf" in {e.code for es in form.errors.as_data().values() for e in es}
    at_the_leader.refresh_from_db()
    assert at_the_leader.status == "4"


def test_someone_not_at_the_last_step_cannot_approve_even_with_a_valid_key(
    client: Client, cast: Cast, at_the_leader: Dossier, pki: Pki
) -> None:
    client.force_login(cast.bob)
    response = approve(client, at_the_leader, pki.pkcs12("signer"), PASSPHRASE.decode())
    assert response.status_code in (400, 403)
    at_the_leader.refresh_from_db()
    assert at_the_leader.status == "4"
    document = result_pdf(at_the_leader)
    assert document is not None
    with document.file.open("rb") as f:
        assert b"/ByteRange" not in f.read()  # the unsigned file is untouched


def test_approving_without_a_key_still_works_unsigned(
    client: Client, cast: Cast, at_the_leader: Dossier
) -> None:
    client.force_login(cast.dave)
    assert approve(client, at_the_leader, None, "").status_code == 302
    at_the_leader.refresh_from_db()
    assert at_the_leader.status == "9"
    assert "signature" not in at_the_leader.events.get(action="approve").data
