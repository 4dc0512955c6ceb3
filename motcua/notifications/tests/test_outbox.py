"""The outbox: queued once per key, delivered after commit through Django's mail backend or the
SMS backend, failures recorded and retried later."""

import datetime as dt
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from motcua.notifications import services
from motcua.notifications.models import Channel, Kind, Notification
from motcua.notifications.services import Address, deliver_pending, queue
from motcua.notifications.sms import (
    ConsoleSmsBackend,
    LocmemSmsBackend,
    SmsBackend,
    SmsError,
    get_sms_backend,
)
from motcua.testing import Cast, aware

Capture = Callable[..., Any]
NOW = aware("2026-03-10T09:00")
EMAIL = Address(Channel.EMAIL, "binh@example.vn")
PHONE = Address(Channel.SMS, "0912345678")


class FailingSmsBackend(SmsBackend):
    """A provider that is down."""

    def send(self, phone: str, text: str) -> None:
        raise SmsError("gateway timeout")


@pytest.fixture
def locmem_sms(settings: Any) -> Iterator[list[tuple[str, str]]]:
    settings.SMS_BACKEND = "motcua.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    yield LocmemSmsBackend.outbox


def _queue(key: str = "due_soon:X:1", to: Address = EMAIL) -> tuple[Notification, bool]:
    return queue(
        kind=Kind.DUE_SOON, dedupe_key=key, to=to, subject="Hồ sơ X", body="Nội dung", now=NOW
    )


@pytest.mark.django_db
def test_the_same_key_is_queued_only_once() -> None:
    first, created = _queue()
    again, created_again = _queue()
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_notice_is_mailed_after_commit_and_marked_sent(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification, _ = _queue()
        assert mail.outbox == []
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (["binh@example.vn"], "Hồ sơ X",
                                                            "Nội dung")  # fmt: skip
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError("the change failed")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_notice_queued_in_a_committed_transaction_is_sent(mailoutbox: list[Any]) -> None:
    with transaction.atomic():
        _queue()
        assert mailoutbox == []
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_an_sms_goes_through_the_console_backend_by_default(
    capsys: pytest.CaptureFixture[str], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification, _ = _queue(to=PHONE)
    assert "SMS to 0912345678: Nội dung" in capsys.readouterr().out
    notification.refresh_from_db()
    assert notification.sent_at is not None


@pytest.mark.django_db
def test_the_sms_backend_is_configurable(
    locmem_sms: list[tuple[str, str]], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _queue(to=PHONE)
    assert locmem_sms == [("0912345678", "Nội dung")]
    assert isinstance(get_sms_backend(), LocmemSmsBackend)


@pytest.mark.django_db
def test_a_failing_backend_records_the_error_and_is_retried_later(settings: Any) -> None:
    settings.SMS_BACKEND = f"{__name__}.FailingSmsBackend"
    notification, _ = _queue(to=PHONE)
    result = services.deliver([notification.pk], now=NOW)
    assert (result.sent, result.failed) == (0, 1)
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.attempts == 1
    assert notification.last_error == "SmsError: gateway timeout"
    assert notification.next_attempt_at == NOW + dt.timedelta(minutes=5)
    # Not yet due for another attempt; then due, and the provider is back.
    assert deliver_pending(NOW + dt.timedelta(minutes=1)).failed == 0
    settings.SMS_BACKEND = "motcua.notifications.sms.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    result = deliver_pending(NOW + dt.timedelta(minutes=5))
    assert (result.sent, result.failed) == (1, 0)
    notification.refresh_from_db()
    assert notification.sent_at == NOW + dt.timedelta(minutes=5)
    assert notification.attempts == 2
    assert notification.last_error == ""


@pytest.mark.django_db
def test_retries_back_off_and_stop_after_the_last_attempt(settings: Any) -> None:
    settings.SMS_BACKEND = f"{__name__}.FailingSmsBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    notification, _ = _queue(to=PHONE)
    later = NOW
    for _ in range(3):
        later += dt.timedelta(days=1)
        assert deliver_pending(later).failed == 1
    assert deliver_pending(later + dt.timedelta(days=1)).failed == 0
    notification.refresh_from_db()
    assert notification.attempts == 3
    assert [services.retry_delay(n) for n in (1, 2, 3, 20)] == [
        dt.timedelta(minutes=5),
        dt.timedelta(minutes=10),
        dt.timedelta(minutes=20),
        dt.timedelta(days=1),
    ]


@pytest.mark.django_db
def test_a_sent_notice_is_never_sent_again() -> None:
    notification, _ = _queue()
    assert services.deliver([notification.pk]).sent == 1
    assert services.deliver([notification.pk]).sent == 0
    assert deliver_pending().sent == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_command_sends_what_is_pending() -> None:
    _queue("a")
    _queue("b", to=PHONE)
    out = StringIO()
    call_command("send-notifications", stdout=out)
    assert "sent: 2" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_console_backend_writes_to_standard_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ConsoleSmsBackend().send("0900000000", "Xin chào")
    assert capsys.readouterr().out == "SMS to 0900000000: Xin chào\n"


@pytest.mark.django_db
def test_the_admin_lists_notifications_read_only(client: Client, cast: Cast) -> None:
    cast.grace.is_staff = cast.grace.is_superuser = True
    cast.grace.save()
    client.force_login(cast.grace)
    notification, _ = _queue()
    base = "/admin/notifications/notification/"
    assert client.get(base).status_code == 200
    assert client.get(f"{base}{notification.pk}/change/").status_code == 200
    assert client.get(f"{base}add/").status_code == 403
    assert client.get(f"{base}{notification.pk}/delete/").status_code == 403
    assert "Thông báo" in client.get("/admin/").content.decode()


def test_notification_kinds_read_in_vietnamese() -> None:
    """The app's messages live in the project's catalogue (checked whole by
    motcua/tests/test_translations.py); its labels come out in Vietnamese."""
    with translation.override("vi"):
        assert str(Kind.ESCALATION.label) == "báo cáo lãnh đạo cơ quan"
