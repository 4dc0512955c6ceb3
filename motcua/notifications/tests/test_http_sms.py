"""The HTTP SMS adapter against a real local gateway (``http.server`` in a thread): the
protocol of docs/notifications.md on the wire, and every failure mapped to ``SmsError`` and
recorded on the notice for a retry."""

from typing import Any

import pytest

from motcua.notifications.models import Channel, Kind, Notification
from motcua.notifications.services import Address, deliver, queue
from motcua.notifications.sms import HttpSmsBackend, SmsError, get_sms_backend, international
from motcua.testing import aware
from motcua.testing.servers import Gateway, free_port

TEXT = "Hồ sơ H56.22-260302-0001 đã được tiếp nhận."


def test_a_message_is_posted_as_json_with_the_bearer_token(sms_gateway: Gateway) -> None:
    get_sms_backend().send("0912 345 678", TEXT)
    [request] = sms_gateway.requests
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == "Bearer test-token"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["json"] == {"to": "+84912345678", "text": TEXT, "sender": "MOTCUA"}


@pytest.mark.parametrize(
    ("status", "answer", "error"),
    [
        (401, b'{"error": "invalid token"}', "SMS gateway answered HTTP 401: invalid token"),
        (422, b'{"error": "bad number"}', "SMS gateway answered HTTP 422: bad number"),
        (503, b"Service Unavailable", "SMS gateway answered HTTP 503: Service Unavailable"),
        (200, b"<html>ok</html>", "SMS gateway answered something not JSON"),
        (200, b'{"status": "accepted"}', "unexpected answer from the SMS gateway"),
    ],
)
def test_a_refusal_or_a_garbled_answer_is_an_sms_error(
    sms_gateway: Gateway, status: int, answer: bytes, error: str
) -> None:
    sms_gateway.status, sms_gateway.answer = status, answer
    with pytest.raises(SmsError) as raised:
        get_sms_backend().send("0912345678", TEXT)
    assert str(raised.value).startswith(error)


def test_a_gateway_slower_than_the_timeout_is_an_sms_error(
    sms_gateway: Gateway, settings: Any
) -> None:
    settings.SMS_HTTP_TIMEOUT = 0.3
    sms_gateway.delay = 1.0
    with pytest.raises(SmsError, match=r"did not answer within 0.3 s"):
        get_sms_backend().send("0912345678", TEXT)


def test_an_unreachable_gateway_is_an_sms_error(settings: Any) -> None:
    settings.SMS_BACKEND = "motcua.notifications.sms.HttpSmsBackend"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{free_port()}/v1/sms"
    with pytest.raises(SmsError, match="SMS gateway unreachable"):
        get_sms_backend().send("0912345678", TEXT)


def test_the_backend_refuses_to_start_without_a_url(settings: Any) -> None:
    settings.SMS_HTTP_URL = ""
    with pytest.raises(SmsError, match="SMS_HTTP_URL"):
        HttpSmsBackend()


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84912345678", "+84912345678"),
    ],
)
def test_numbers_are_sent_in_international_form(phone: str, expected: str) -> None:
    assert international(phone) == expected


@pytest.mark.django_db
def test_a_failed_sms_is_recorded_on_the_notice_and_sent_on_retry(sms_gateway: Gateway) -> None:
    notice, _ = queue(
        kind=Kind.RECEIVED, dedupe_key="received:X:e1:sms",
        to=Address(Channel.SMS, "0912345678"), subject="Hồ sơ X", body=TEXT,
        now=aware("2026-03-02T09:00"),
    )  # fmt: skip
    sms_gateway.status, sms_gateway.answer = 503, b'{"error": "try later"}'
    assert deliver([notice.pk], now=aware("2026-03-02T09:00")).failed == 1
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("failed", 1)
    assert notice.last_error == "SmsError: SMS gateway answered HTTP 503: try later"
    sms_gateway.status, sms_gateway.answer = 200, b'{"id": "abc"}'
    assert deliver([notice.pk], now=aware("2026-03-02T09:05")).sent == 1
    notice.refresh_from_db()
    assert (notice.state, notice.attempts, notice.last_error) == ("sent", 2, "")
    assert Notification.objects.filter(sent_at=None).count() == 0
    assert len(sms_gateway.requests) == 2
