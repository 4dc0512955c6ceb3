"""The applicant's notices on the dossier page: their delivery state (queued, sent, failed with
the error and the attempts) for the receiving agency's officers, and for nobody else."""

from decimal import Decimal
from typing import Any

from django.test import Client

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.notifications.models import Notification
from motcua.notifications.services import deliver
from motcua.testing import Cast, make_user
from motcua.testing.servers import Gateway


def _url(dossier: Dossier) -> str:
    return f"/workspace/dossiers/{dossier.code}/"


def _rows(response: Any) -> list[tuple[str, str, str]]:
    return [(n.kind, n.channel, n.state) for n in response.context["notices"]]


def test_the_desk_sees_each_notice_queued(client: Client, cast: Cast, received: Dossier) -> None:
    client.force_login(cast.alice)
    response = client.get(_url(received))
    assert _rows(response) == [("received", "email", "queued"), ("received", "sms", "queued")]
    page = response.content.decode()
    assert 'id="notices"' in page
    assert "Thông báo cho người nộp hồ sơ" in page
    assert 'data-state="queued"' in page
    assert "binh@example.vn" in page
    assert "<dd data-notice-channels>thư điện tử, tin nhắn SMS</dd>" in page  # chosen


def test_a_failed_sms_shows_its_error_and_attempts_then_sent(
    client: Client, cast: Cast, received: Dossier, sms_gateway: Gateway
) -> None:
    sms = Notification.objects.get(channel="sms")
    sms_gateway.status, sms_gateway.answer = 503, b'{"error": "gateway busy"}'
    deliver([sms.pk])
    client.force_login(cast.alice)
    response = client.get(_url(received))
    assert ("received", "sms", "failed") in _rows(response)
    page = response.content.decode()
    assert 'data-channel="sms" data-state="failed"' in page
    assert "SmsError: SMS gateway answered HTTP 503: gateway busy" in page
    assert "sau 1 lần thử" in page
    assert "lần thử tiếp theo" in page

    sms_gateway.status, sms_gateway.answer = 200, b'{"id": "ok-1"}'
    deliver([sms.pk])
    response = client.get(_url(received))
    assert ("received", "sms", "sent") in _rows(response)
    assert 'data-channel="sms" data-state="sent"' in response.content.decode()


def test_a_notice_out_of_attempts_says_so(
    client: Client, cast: Cast, received: Dossier, settings: Any
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # the discard port: closed
    deliver([Notification.objects.get(channel="email").pk])
    client.force_login(cast.alice)
    page = client.get(_url(received)).content.decode()
    assert "không thử lại nữa" in page
    assert "ConnectionRefusedError" in page


def test_the_desk_sees_later_notices_in_order(
    client: Client, cast: Cast, received: Dossier
) -> None:
    services.forward(received, actor=cast.alice)
    services.request_payment(received, actor=cast.bob, amount=Decimal(1000), reason="Lệ phí")
    client.force_login(cast.alice)
    kinds = [kind for kind, _, _ in _rows(client.get(_url(received)))]
    assert kinds == ["received", "received", "payment_requested", "payment_requested"]


def test_an_agency_consulted_on_a_step_sees_the_dossier_but_not_the_notices(
    client: Client, cast: Cast, received: Dossier
) -> None:
    judy = make_user("judy", (Role.SPECIALIST, cast.other_agency))
    services.forward(received, actor=cast.alice)
    services.transfer(
        received, actor=cast.bob, to_agency=cast.other_agency, allowance=Decimal(1),
        reason="Xác minh",
    )  # fmt: skip
    client.force_login(judy)
    response = client.get(_url(received))
    assert response.status_code == 200
    assert response.context["notices"] is None
    page = response.content.decode()
    assert 'id="notices"' not in page
    assert "binh@example.vn" not in page


def test_report_readers_and_other_agencies_do_not_see_them(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.force_login(cast.frank)  # a reform officer: reads dossiers for the figures
    response = client.get(_url(received))
    assert response.status_code == 200 and response.context["notices"] is None
    assert 'id="notices"' not in response.content.decode()
    other = make_user("olga", (Role.DESK_OFFICER, cast.other_agency))
    client.force_login(other)
    assert client.get(_url(received)).status_code == 404
