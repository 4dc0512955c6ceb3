"""Resumable uploads (``/api/v1/uploads/``) and online submission through the API with only
what the catalogue API publishes: documents named by their code (TP01) and their files sent
in pieces that resume after a broken connection. Who may: the uploading citizen; not another
citizen (404), an official (403) or anyone anonymous."""

from typing import Any

import pytest
from django.test import Client

from motcua.catalogue.models import Case
from motcua.dossiers.draft_models import Upload, UploadPart
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import household_business_case
from motcua.testing import Cast, make_user

PDF = b"%PDF-1.4\n" + b"0" * 3000 + b"\n%%EOF\n"
UPLOADS = "/api/v1/uploads/"
SUBMIT = "/api/v1/dossiers/submit/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def start(client: Client, length: int = len(PDF), name: str = "to-khai.pdf") -> Any:
    response = client.post(
        UPLOADS, {"name": name, "length": length}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response


def piece(client: Client, token: str, offset: int, data: bytes) -> Any:
    return client.patch(
        f"{UPLOADS}{token}/", data, content_type="application/offset+octet-stream",
        headers={"Upload-Offset": str(offset)},
    )  # fmt: skip


def uploaded(client: Client, data: bytes = PDF) -> str:
    token: str = start(client, len(data)).json()["token"]
    assert piece(client, token, 0, data).status_code == 200
    return token


def test_an_upload_resumes_after_a_broken_connection(client: Client, cast: Cast) -> None:
    client.force_login(cast.henry)
    created = start(client)
    token = created.json()["token"]
    assert created["Location"] == f"{UPLOADS}{token}/" and created["Upload-Offset"] == "0"
    assert piece(client, token, 0, PDF[:1000]).status_code == 200
    # The connection broke during the second piece: the client does not know what arrived.
    lost = piece(client, token, 2000, PDF[2000:])
    assert lost.status_code == 409 and lost.json()["code"] == "upload_offset_mismatch"
    assert lost["Upload-Offset"] == "1000"
    asked = client.head(f"{UPLOADS}{token}/")
    assert asked.status_code == 200 and asked["Upload-Offset"] == "1000"
    done = piece(client, token, 1000, PDF[1000:])
    body = done.json()
    assert (
        done.status_code == 200 and body["complete"] and body["content_type"] == "application/pdf"
    )
    upload = Upload.objects.get(token=token)
    with upload.file.open("rb") as stored:
        assert stored.read() == PDF
    assert not UploadPart.objects.exists()


def test_a_complete_upload_that_is_not_a_document_is_refused_and_forgotten(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.henry)
    exe = b"MZ\x90\x00 not a pdf"
    token = start(client, len(exe), "a.pdf").json()["token"]
    refused = piece(client, token, 0, exe)
    assert refused.status_code == 400 and refused.json()["code"] == "file_type"
    assert not Upload.objects.exists()


def test_too_large_declared_or_sent_is_refused(client: Client, cast: Cast, settings: Any) -> None:
    client.force_login(cast.henry)
    settings.MOTCUA_MAX_UPLOAD_BYTES = 100
    response = client.post(
        UPLOADS, {"name": "a.pdf", "length": 101}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"
    token = start(client, 10).json()["token"]
    assert piece(client, token, 0, PDF[:20]).json()["code"] == "upload_too_long"


def test_another_citizen_cannot_see_continue_or_delete_an_upload(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.henry)
    token = start(client).json()["token"]
    lan = make_user("lan", ("citizen", None), id_number="079123456788")
    other = Client()
    other.force_login(lan)
    assert other.get(f"{UPLOADS}{token}/").status_code == 404
    assert piece(other, token, 0, PDF).status_code == 404
    assert other.delete(f"{UPLOADS}{token}/").status_code == 404
    assert client.delete(f"{UPLOADS}{token}/").status_code == 204
    assert not Upload.objects.exists()


def test_officials_and_anonymous_clients_are_refused(client: Client, cast: Cast) -> None:
    assert client.post(
        UPLOADS, {"name": "a.pdf", "length": 5}, content_type="application/json"
    ).status_code in {401, 403}
    client.force_login(cast.alice)
    response = client.post(UPLOADS, {"name": "a.pdf", "length": 5}, content_type="application/json")
    assert response.status_code == 403
    assert not Upload.objects.exists()


def test_the_catalogue_api_publishes_document_codes(client: Client, case: Case) -> None:
    detail = client.get("/api/v1/procedures/2.000720/").json()
    codes = [d["code"] for c in detail["cases"] for d in c["documents"]]
    assert codes == ["TP01", "TP02", "TP03"]


def _submission(case: Case, checklist: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "agency": "H56.22", "procedure": "2.000720", "case": case.code, "channel": "online",
        "applicant": {"name": "Henry Trần", "id_number": "079123456789"},
        "return_method": "electronic", "checklist": checklist,
    }  # fmt: skip


def test_a_client_submits_by_document_codes_with_uploads_once(
    client: Client, cast: Cast, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(cast.henry)
    first, second = uploaded(client), uploaded(client)
    payload = _submission(case, [{"document": "TP01", "upload": first},
                                 {"document": "tp02", "upload": second}])  # fmt: skip
    key = {"Idempotency-Key": "9b1f0c1e-7a4d-4f8e-9d2c-1e5b3a7c9d01"}
    with django_capture_on_commit_callbacks(execute=True):
        made = client.post(SUBMIT, payload, content_type="application/json", headers=key)
    assert not Upload.objects.exists()  # used up once the dossier is committed
    again = client.post(SUBMIT, payload, content_type="application/json", headers=key)
    assert made.status_code == again.status_code == 201, made.content
    assert again["Idempotent-Replayed"] == "true"
    dossier = Dossier.objects.get()
    assert dossier.status == "1" and dossier.owner == cast.henry
    files = {d.required.code: d for d in dossier.documents.all() if d.required is not None}
    assert files["TP01"].file and files["TP01"].provided and files["TP02"].sha256


def test_an_unknown_code_or_someone_elses_upload_is_refused(
    client: Client, cast: Cast, case: Case
) -> None:
    lan = make_user("lan", ("citizen", None), id_number="079123456788")
    client.force_login(lan)
    lans = uploaded(client)
    client.force_login(cast.henry)
    unknown = client.post(
        SUBMIT, _submission(case, [{"document": "TP09"}]), content_type="application/json"
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "no_such_document"
    stolen = client.post(
        SUBMIT, _submission(case, [{"document": "TP01", "upload": lans}]),
        content_type="application/json",
    )  # fmt: skip
    assert stolen.status_code == 400 and stolen.json()["code"] == "no_such_upload"
    assert not Dossier.objects.exists()


def test_the_openapi_schema_documents_uploads_and_document_codes(client: Client, db: None) -> None:
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert {"post"} <= set(schema["paths"]["/api/v1/uploads/"])
    assert {"get", "patch", "delete"} <= set(schema["paths"]["/api/v1/uploads/{token}/"])
    item = schema["components"]["schemas"]["ChecklistItem"]["properties"]
    assert {"document", "upload"} <= set(item)
    assert "code" in schema["components"]["schemas"]["Document"]["properties"]
