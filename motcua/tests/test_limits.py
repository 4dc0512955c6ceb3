"""What a request may carry (motcua/limits.py): JSON bodies bounded in size and depth, multipart
bodies bounded in total before they are read, each file cut off once past the upload limit.
Each refusal is a 400 with a message and a code; nothing is stored."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.test.utils import override_settings

from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import complete_intake, household_business_case
from motcua.limits import (
    MAX_JSON_DEPTH,
    JSONTooDeep,
    OversizedUpload,
    json_depth,
    loads_bounded,
)
from motcua.testing import Cast, problems

RECEIVE = "/api/v1/dossiers/receive/"


def test_the_depth_of_json_is_counted_without_recursion() -> None:
    assert json_depth(1) == 0
    assert json_depth({"a": [1, {"b": []}]}) == 4
    deep: list[object] = []
    for _ in range(100_000):
        deep = [deep]
    assert json_depth(deep) == 100_001
    with pytest.raises(JSONTooDeep):
        loads_bounded("[" * 50_000 + "]" * 50_000)
    with pytest.raises(JSONTooDeep):
        loads_bounded("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))
    assert loads_bounded("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None


@pytest.mark.parametrize("depth", [50_000, MAX_JSON_DEPTH + 1])
def test_a_deeply_nested_json_body_is_a_400(client: Client, cast: Cast, depth: int) -> None:
    """50,000 brackets used to end in a RecursionError (500)."""
    client.force_login(cast.alice)
    body = '{"applicant": ' + "[" * depth + "]" * depth + "}"
    response: Any = client.post(
        RECEIVE, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert problems(response) == ["json_too_deep"]
    assert response.json()["message"] == (
        f"The JSON document is nested more than {MAX_JSON_DEPTH} levels deep."
    )
    assert not Dossier.objects.exists()


def test_a_json_body_over_the_limit_is_refused_before_it_is_read(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.alice)
    body = json.dumps({"agency": "H56.22", "padding": "x" * 2000})
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024):
        response: Any = client.post(
            RECEIVE, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    assert problems(response) == ["body_too_large"]
    assert response.json()["message"] == "The request body is larger than 0.000976562 MB."
    assert not Dossier.objects.exists()


def test_invalid_json_is_still_a_400_with_its_reason(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    response: Any = client.post(RECEIVE, "{nope", content_type="application/json")
    assert response.status_code == 400
    assert problems(response) == ["parse_error"]


def test_a_multipart_body_over_the_total_limit_is_refused_before_it_is_read(
    client: Client, cast: Cast, received: Dossier
) -> None:
    """The API answers 400 with the message and its code; nothing is attached."""
    client.force_login(cast.alice)
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    with override_settings(MOTCUA_MAX_REQUEST_BYTES=2 * 2**10):
        response: Any = client.post(
            f"/api/v1/dossiers/{received.code}/documents/",
            {"file": upload},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    assert problems(response) == ["request_too_large"]
    assert response.json()["message"] == "The request is larger than 0.00195312 MB."
    assert not received.documents.exclude(file="").exists()


def _complete_reception(case: Case, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"applicant_name": "Trần Thị Hoa", "channel": "in_person"}
    for d in case.documents.all():
        data[f"doc_{d.pk}"] = "on"
        data[f"copies_{d.pk}"] = str(d.copies)
    return {**data, "do": "receive", **extra}


def test_a_form_over_the_total_limit_is_a_400_from_django(
    client: Client, cast: Cast, case: Case
) -> None:
    """The workspace's forms: the upload handler stops the body before it is read (Django's
    own 400 page), so the complete reception below creates nothing."""
    client.force_login(cast.alice)
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    doc = case.documents.first()
    assert doc is not None
    with override_settings(MOTCUA_MAX_REQUEST_BYTES=2 * 2**10):
        response: Any = client.post(
            f"/workspace/reception/{case.pk}/",
            _complete_reception(case, **{f"scan_{doc.pk}": scan}),
        )
    assert response.status_code == 400
    assert b"Bad Request (400)" in response.content
    assert not Dossier.objects.exists()


def test_a_scan_over_the_upload_limit_is_cut_off_and_the_form_keeps_the_input(
    client: Client, cast: Cast, case: Case
) -> None:
    """Past MOTCUA_MAX_UPLOAD_BYTES the rest of the file is dropped as it streams in; the form
    says it is too large and keeps what was typed."""
    client.force_login(cast.alice)
    doc = case.documents.first()
    assert doc is not None
    scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n" + b"0" * 8192)
    with override_settings(MOTCUA_MAX_UPLOAD_BYTES=2 * 2**10):
        response: Any = client.post(
            f"/workspace/reception/{case.pk}/",
            _complete_reception(case, **{f"scan_{doc.pk}": scan}),
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 400
    form = response.context["form"]
    assert [e.code for e in form.errors.as_data()[f"scan_{doc.pk}"]] == ["file_too_large"]
    assert 'value="Trần Thị Hoa"' in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_upload_handler_keeps_the_size_and_drops_the_content_past_the_limit() -> None:
    body = (
        b"--B\r\n"
        b'Content-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + b"%PDF-" + b"0" * 10_000 + b"\r\n"
        b"--B\r\n"
        b'Content-Disposition: form-data; name="note"\r\n\r\nkept\r\n'
        b"--B--\r\n"
    )
    request = RequestFactory().post("/", body, content_type="multipart/form-data; boundary=B")
    with override_settings(MOTCUA_MAX_UPLOAD_BYTES=1000):
        upload = request.FILES["file"]
    assert isinstance(upload, OversizedUpload)
    assert upload.size == 10_005 and upload.read() == b""
    assert request.POST["note"] == "kept"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


@pytest.fixture
def received(cast: Cast, case: Case, settings: Any, tmp_path: Any) -> Dossier:
    settings.MEDIA_ROOT = str(tmp_path)
    return intake.receive_new_dossier(complete_intake(case), agency=cast.agency, actor=cast.alice)
