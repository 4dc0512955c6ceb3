"""Security headers (issue #17 item 6, docs/deployment.md): the Content Security Policy on every
page, HSTS, frame and referrer policies, and uploaded files served as attachments or inline
previews with their name and ``nosniff``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.jobs import heartbeat
from motcua.testing import Cast

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def directives(header: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize(
    "path",
    ["/workspace/login/", "/", "/thu-tuc/", "/tra-cuu/", "/api/v1/docs/", "/readyz"],
)
@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client: Client, path: str) -> None:
    heartbeat.beat("w1", started_at=timezone.now())  # /readyz answers 200 with a worker
    response = client.get(path)
    assert response.status_code == 200, path
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_api_docs_start_up_script_is_a_file_not_inline(client: Client) -> None:
    html = client.get("/api/v1/docs/").content.decode()
    assert "<script>" not in html and "<style>" not in html
    script = client.get("/api/v1/docs/?script")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


@pytest.mark.django_db
def test_hsts_is_sent_over_https_in_production(client: Client, settings: object) -> None:
    settings.SECURE_HSTS_SECONDS = 31536000  # type: ignore[attr-defined]
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True  # type: ignore[attr-defined]
    settings.SECURE_HSTS_PRELOAD = True  # type: ignore[attr-defined]
    response = client.get("/workspace/login/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


@pytest.fixture
def dossier(cast: Cast, settings: object, tmp_path: object) -> Dossier:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    case: Case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    return dossier


def _attach(client: Client, dossier: Dossier) -> int:
    item = dossier.documents.first()
    assert item is not None
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/documents/",
        {"file": SimpleUploadedFile("scan.pdf", PDF), "document": str(item.pk)},
    )
    assert response.status_code == 201, response.json()
    return item.pk


def test_uploaded_files_carry_their_name_nosniff_and_may_be_framed_only_by_our_pages(
    client: Client, cast: Cast, dossier: Dossier
) -> None:
    client.force_login(cast.alice)
    pk = _attach(client, dossier)
    for url in (
        f"/api/v1/dossiers/{dossier.code}/documents/{pk}/file/",
        f"/workspace/dossiers/{dossier.code}/documents/{pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('inline; filename="'), url
        assert response["Content-Disposition"].endswith('.pdf"'), url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
    # The dossier page previews it in a frame of our own.
    assert directives(response["Content-Security-Policy"])["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_a_stored_file_of_an_unsniffed_type_is_a_download_from_the_api(
    client: Client, cast: Cast, dossier: Dossier
) -> None:
    client.force_login(cast.alice)
    pk = _attach(client, dossier)
    # As a legacy import may have stored it: a type the upload check would not have accepted.
    dossier.documents.filter(pk=pk).update(content_type="text/html")
    response = client.get(f"/api/v1/dossiers/{dossier.code}/documents/{pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
