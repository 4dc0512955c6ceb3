"""The portal's feedback pages: sending (identified, signed in, anonymous, with files), the code
and PIN shown once, following by code and PIN (an unknown code and a wrong PIN answer alike, and
lookups are rate-limited), and the public, accent-insensitive list of published answers that
never shows the sender."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Case
from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.feedback.tests.factories import submit
from motcua.feedback.workflow import Status
from motcua.testing import Cast

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = {
    "subject": "procedure",
    "procedure_code": "2.000720",
    "title": "Thời gian cấp giấy chứng nhận quá dài",
    "content": "Hồ sơ bị yêu cầu bổ sung ba lần.",
    "name": "Nguyễn Văn An",
    "phone": "0901234567",
    "consent_to_publish": "on",
}


def test_the_form_says_anonymous_feedback_is_not_processed(client: Client, db: None) -> None:
    page = client.get("/phan-anh-kien-nghi/gui/").content.decode()
    assert "Decree 20/2008" in page or "Nghị định 20/2008" in page
    assert "không được xử lý" in page or "not processed" in page


def test_a_sender_gets_the_code_and_pin_once(
    client: Client, cast: Cast, business: Case, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    files = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    response = client.post("/phan-anh-kien-nghi/gui/", {**FORM, "attachments": files})
    assert response.status_code == 302 and response["Location"] == "/phan-anh-kien-nghi/da-gui/"
    feedback = Feedback.objects.get()
    assert feedback.status == Status.ASSIGNED and feedback.attachments.count() == 2
    page = client.get("/phan-anh-kien-nghi/da-gui/").content.decode()
    assert feedback.code in page and feedback.tracking_pin in page
    again = client.get("/phan-anh-kien-nghi/da-gui/")
    assert again.status_code == 302  # shown once


def test_an_anonymous_sender_is_told_it_is_recorded_only(client: Client, cast: Cast) -> None:
    response = client.post(
        "/phan-anh-kien-nghi/gui/", {**FORM, "procedure_code": "", "name": "", "phone": ""},
        follow=True,
    )  # fmt: skip
    assert Feedback.objects.get().status == Status.RECORDED
    assert "20/2008" in response.content.decode()


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_kept(
    client: Client, cast: Cast, business: Case
) -> None:
    fake = SimpleUploadedFile("bien-nhan.pdf", b"MZ\x90\x00 an executable")
    response = client.post("/phan-anh-kien-nghi/gui/", {**FORM, "attachments": [fake]})
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    assert response.context["form"].errors["attachments"]


def test_a_name_without_any_contact_is_refused(client: Client, cast: Cast) -> None:
    response = client.post("/phan-anh-kien-nghi/gui/", {**FORM, "phone": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["phone"]


def test_a_signed_in_citizen_sends_without_contact_details(client: Client, cast: Cast) -> None:
    client.force_login(cast.henry)
    client.post("/phan-anh-kien-nghi/gui/", {**FORM, "procedure_code": "", "name": "", "phone": ""})
    feedback = Feedback.objects.get()
    assert feedback.owner == cast.henry and feedback.status == Status.RECEIVED


@pytest.fixture
def sent(cast: Cast, business: Case) -> Feedback:
    return submit(procedure_code="2.000720")


def test_following_needs_the_pin_and_wrong_or_unknown_answer_alike(
    client: Client, sent: Feedback
) -> None:
    right = client.post(
        "/phan-anh-kien-nghi/theo-doi/", {"code": sent.code, "pin": sent.tracking_pin}
    )
    assert right.status_code == 200 and sent.title in right.content.decode()
    wrong = client.post("/phan-anh-kien-nghi/theo-doi/", {"code": sent.code, "pin": "ZZZZZZZZ"})
    unknown = client.post(
        "/phan-anh-kien-nghi/theo-doi/", {"code": "PAKN-2026-999999", "pin": "ZZZZZZZZ"}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert _page(wrong, sent.code) == _page(unknown, "PAKN-2026-999999")


def _page(response: Any, code: str) -> str:
    """The page without its (masked, per-response) CSRF token and with the code typed blanked."""
    return re.sub(r'value="[A-Za-z0-9]{64}"', "", response.content.decode()).replace(code, "X")


def test_the_signed_in_sender_follows_without_the_pin(client: Client, cast: Cast) -> None:
    mine = submit(actor=cast.henry, name="", phone="", email="")
    client.force_login(cast.henry)
    assert (
        client.post("/phan-anh-kien-nghi/theo-doi/", {"code": mine.code, "pin": "x"}).status_code
        == 200
    )
    client.force_login(cast.oscar)
    assert (
        client.post("/phan-anh-kien-nghi/theo-doi/", {"code": mine.code, "pin": "x"}).status_code
        == 404
    )


def test_follow_lookups_are_rate_limited(client: Client, sent: Feedback, settings: Any) -> None:
    settings.MOTCUA_TRACK_RATE = "2/minute"
    for _ in range(2):
        client.post("/phan-anh-kien-nghi/theo-doi/", {"code": sent.code, "pin": "ZZZZZZZZ"})
    limited = client.post(
        "/phan-anh-kien-nghi/theo-doi/", {"code": sent.code, "pin": sent.tracking_pin}
    )
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


def _publish(cast: Cast, feedback: Feedback, answer: str) -> None:
    services.draft_answer(feedback, answer=answer, actor=cast.bob)
    services.approve_answer(feedback, actor=cast.dave)
    services.publish_answer(feedback, actor=cast.dave)


def test_published_answers_are_found_without_accents_and_without_the_sender(
    client: Client, cast: Cast, sent: Feedback
) -> None:
    _publish(cast, sent, "Thời hạn giải quyết đã được rút ngắn còn 3 ngày làm việc.")
    hidden = submit(procedure_code="2.000720", title="Câu hỏi chưa trả lời")
    listed = client.get("/phan-anh-kien-nghi/", {"q": "rut ngan"}).content.decode()
    assert sent.title in listed and hidden.title not in listed
    assert "Nguyễn Văn An" not in listed and "0901234567" not in listed
    assert sent.title not in client.get("/phan-anh-kien-nghi/", {"q": "khai sinh"}).content.decode()
    page = client.get(f"/phan-anh-kien-nghi/{sent.code}/")
    assert page.status_code == 200 and "3 ngày làm việc" in page.content.decode()
    assert "Nguyễn Văn An" not in page.content.decode()
    assert client.get(f"/phan-anh-kien-nghi/{hidden.code}/").status_code == 404


def test_the_answer_list_reads_a_fixed_number_of_queries(
    client: Client, cast: Cast, business: Case, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        _publish(cast, submit(procedure_code="2.000720"), "Trả lời")
    with django_assert_max_num_queries(4):
        assert client.get("/phan-anh-kien-nghi/").status_code == 200
