"""Scans and uploads: type from the content, size limit, checksum, storage, permissions."""

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Case
from motcua.dossiers import documents, intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.testing import Cast, field_problems

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def dossier(cast: Cast, settings: object, tmp_path: object) -> Dossier:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    case: Case = household_business_case(cast.agency)
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)


def _upload(client: Client, code: str, content: bytes, name: str = "scan.pdf", **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/dossiers/{code}/documents/",
        {"file": SimpleUploadedFile(name, content), **extra},
    )


def test_a_pdf_scan_is_stored_with_its_checksum_and_can_be_read_back(
    client: Client, cast: Cast, dossier: Dossier
) -> None:
    item = dossier.documents.first()
    assert item is not None
    client.force_login(cast.alice)
    response = _upload(client, dossier.code, PDF, document=str(item.pk))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["content_type"] == "application/pdf" and body["size"] == len(PDF)
    assert dossier.events.filter(action="attach").count() == 1
    got = client.get(f"/api/v1/dossiers/{dossier.code}/documents/{item.pk}/file/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF  # type: ignore[attr-defined]


def test_a_file_of_another_type_is_refused_and_not_stored(
    client: Client, cast: Cast, dossier: Dossier
) -> None:
    client.force_login(cast.alice)
    response = _upload(client, dossier.code, b"MZ\x90\x00 not a scan", name="virus.pdf")
    assert response.status_code == 400
    assert field_problems(response) == {"file": ["file_type"]}
    assert not dossier.documents.exclude(file="").exists()
    assert not dossier.events.filter(action="attach").exists()


def test_a_file_over_the_limit_is_refused(
    client: Client, cast: Cast, dossier: Dossier, settings: object
) -> None:
    settings.MOTCUA_MAX_UPLOAD_BYTES = 100  # type: ignore[attr-defined]
    client.force_login(cast.alice)
    response = _upload(client, dossier.code, PDF + b"0" * 200)
    assert response.status_code == 400
    assert field_problems(response) == {"file": ["file_too_large"]}
    assert "MB" in response.json()["message"]


def test_only_those_the_workflow_allows_may_attach(
    client: Client, cast: Cast, dossier: Dossier
) -> None:
    client.force_login(cast.bob)  # a specialist, but the dossier is still at the desk
    assert _upload(client, dossier.code, PDF).status_code == 403
    client.force_login(cast.oscar)
    assert _upload(client, dossier.code, PDF).status_code == 404


@pytest.mark.parametrize("name", ["invoice.pdf.exe", "scan.png", "report.html", "a.pdf.JS"])
def test_a_name_whose_extension_is_not_the_detected_type_is_refused(
    client: Client, cast: Cast, dossier: Dossier, name: str
) -> None:
    """A %PDF- header on an executable named invoice.pdf.exe used to be stored as such."""
    client.force_login(cast.alice)
    response: Any = client.post(
        f"/api/v1/dossiers/{dossier.code}/documents/",
        {"file": SimpleUploadedFile(name, PDF)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert field_problems(response) == {"file": ["file_extension_mismatch"]}
    assert "its content is PDF" in response.json()["message"]
    assert not dossier.documents.exclude(file="").exists()
    assert not dossier.events.filter(action="attach").exists()


def test_other_refusals_carry_their_codes(client: Client, cast: Cast, dossier: Dossier) -> None:
    client.force_login(cast.alice)
    assert field_problems(_upload(client, dossier.code, b"")) == {"file": ["empty"]}
    assert field_problems(_upload(client, dossier.code, b"MZ\x90")) == {"file": ["file_type"]}


def test_a_300_character_name_is_stored_under_a_short_safe_name(
    client: Client, cast: Cast, dossier: Dossier
) -> None:
    """A 300-character file name used to raise OSError (500)."""
    client.force_login(cast.alice)
    long_name = "Giấy đề nghị " + "rất dài " * 36 + ".PDF"
    assert len(long_name) > 300
    response = _upload(client, dossier.code, PDF, name=long_name)
    assert response.status_code == 201, response.json()
    document = dossier.documents.get(pk=response.json()["id"])
    stored = (document.file.name or "").rsplit("/", 1)[-1]
    assert stored == f"{document.sha256[:16]}-giay-de-nghi-{'rat-dai-' * 5}rat-dai.pdf"
    # What the officer sees keeps the accents (Django cuts an uploaded name to 255 characters).
    assert document.name.startswith("Giấy đề nghị rất dài") and document.name.endswith(".PDF")
    assert document.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.png"),  # the stored type is the detected one
        ("C:\\Users\\An\\Bản scan (1).jpeg", "ban-scan-1.jpg"),
        ("\u202egpj.exe\u202c.png", "gpj-exe.png"),
        ("ĐƠN", "don.png"),  # no extension: the detected type's
        ("....png", "tep.png"),
    ],
)
def test_stored_names_are_short_ascii_with_the_detected_types_extension(
    name: str, stored: str
) -> None:
    kind = "image/jpeg" if "jpeg" in name else "image/png"
    assert documents.stored_name(name, kind) == stored
