"""Real SMTP delivery: the outbox hands its e-mail to Django's SMTP backend, configured from
settings, and a local SMTP server (aiosmtpd) receives it; a server that is down leaves the
notice failed with its error, and ``send-notifications`` delivers it once it is back."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.notifications.models import Notification
from motcua.notifications.services import deliver_pending
from motcua.testing import Cast
from motcua.testing.servers import SmtpServer, body_of, free_port

Capture = Callable[..., Any]
CODE = "H56.22-260302-0001"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def _receive(cast: Cast, case: Case) -> None:
    intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )


def test_the_receipt_notice_reaches_the_smtp_server_in_vietnamese(
    cast: Cast, case: Case, smtp_server: SmtpServer, settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:  # fmt: skip
    settings.DEFAULT_FROM_EMAIL = "Một Cửa <motcua@example.gov.vn>"
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        _receive(cast, case)
    [message] = smtp_server.messages
    assert message["To"] == "binh@example.vn"
    assert message["From"] == "Một Cửa <motcua@example.gov.vn>"
    assert message["Subject"] == f"Hồ sơ {CODE} đã được tiếp nhận"
    body = body_of(message)
    assert "đã tiếp nhận hồ sơ" in body
    assert "Thời hạn trả kết quả: 09:00 09/03/2026." in body
    assert f"https://dichvucong.example.gov.vn/tra-cuu/{CODE}" in body
    assert Notification.objects.get(channel="email").state == "sent"


def test_a_server_that_is_down_leaves_the_notice_failed_until_a_retry(
    cast: Cast, case: Case, smtp_server: SmtpServer, settings: Any,
    django_capture_on_commit_callbacks: Capture,
) -> None:  # fmt: skip
    settings.EMAIL_PORT = free_port()  # nobody listens there
    with django_capture_on_commit_callbacks(execute=True):
        _receive(cast, case)
    notice = Notification.objects.get(channel="email")
    assert (notice.state, notice.attempts, notice.sent_at) == ("failed", 1, None)
    assert "ConnectionRefusedError" in notice.last_error
    assert notice.next_attempt_at is not None
    assert smtp_server.messages == []

    settings.EMAIL_PORT = smtp_server.port  # the server is back
    assert deliver_pending(now=notice.next_attempt_at - dt.timedelta(seconds=1)).sent == 0
    assert deliver_pending(now=notice.next_attempt_at).sent == 1  # send-notifications' call
    notice.refresh_from_db()
    assert (notice.state, notice.attempts, notice.last_error) == ("sent", 2, "")
    assert [m["Subject"] for m in smtp_server.messages] == [f"Hồ sơ {CODE} đã được tiếp nhận"]
