"""Writing to the outbox and delivering from it.

``queue`` inserts a notification once per ``dedupe_key`` (a second call with the same key
changes nothing) and asks for delivery after the surrounding transaction commits, so nothing is
sent for a change that rolls back. ``deliver`` sends unsent notifications through Django's mail
backend (``settings.EMAIL_BACKEND``) or the SMS backend (``settings.SMS_BACKEND``), each row
claimed under a lock so that two workers never send the same one; a failure is recorded and
retried later with a growing delay, up to ``NOTIFICATION_MAX_ATTEMPTS`` attempts.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import User
from motcua.notifications.models import Channel, Notification
from motcua.notifications.sms import get_sms_backend

logger = logging.getLogger(__name__)

FIRST_RETRY = dt.timedelta(minutes=5)
LONGEST_RETRY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Address:
    """Where a message goes: a channel and an e-mail address or phone number."""

    channel: str
    address: str


@dataclass(frozen=True)
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def address_of_user(user: User) -> Address | None:
    """An official's address: e-mail when the account has one, else SMS to its phone."""
    if user.email:
        return Address(Channel.EMAIL, user.email)
    if user.phone:
        return Address(Channel.SMS, user.phone)
    return None


def queue(
    *,
    kind: str,
    dedupe_key: str,
    to: Address,
    subject: str,
    body: str,
    recipient: User | None = None,
    dossier_code: str = "",
    now: dt.datetime | None = None,
) -> tuple[Notification, bool]:
    """Queue one notification unless one with ``dedupe_key`` exists; returns it and whether it
    was created. A new one is delivered after the current transaction commits. ``dossier_code``
    names the dossier the message is about (the outbox does not know the engine's models)."""
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key[:255],
        defaults={
            "kind": kind,
            "channel": to.channel,
            "address": to.address[:254],
            "subject": subject[:255],
            "body": body,
            "recipient": recipient,
            "dossier_code": dossier_code,
            "created_at": now or timezone.now(),
        },
    )
    if created:
        pk = notification.pk
        transaction.on_commit(lambda: deliver([pk]))
    return notification, created


def pending(now: dt.datetime | None = None) -> list[int]:
    """The notifications due for a delivery attempt now, oldest first."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(sent_at=None, attempts__lt=max_attempts())
        .filter(Q(next_attempt_at=None) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def deliver_pending(now: dt.datetime | None = None) -> DeliveryResult:
    """Try every notification that is due for an attempt (``motcua send-notifications``)."""
    return deliver(pending(now), now=now)


def deliver(pks: Iterable[int], *, now: dt.datetime | None = None) -> DeliveryResult:
    """Send the given notifications that are still unsent; each one in its own transaction,
    claimed with a row lock that others skip, so a row is never sent twice."""
    sent = failed = 0
    for pk in pks:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, sent_at=None)
                .first()
            )
            if notification is None:
                continue
            at = now or timezone.now()
            notification.attempts += 1
            try:
                _send(notification)
            except Exception as exc:  # any provider error: record it and retry later
                failed += 1
                notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                notification.next_attempt_at = at + retry_delay(notification.attempts)
                logger.warning("notification %s failed: %s", pk, notification.last_error)
            else:
                sent += 1
                notification.sent_at = at
                notification.last_error = ""
                notification.next_attempt_at = None
            notification.save(
                update_fields=["attempts", "sent_at", "last_error", "next_attempt_at"]
            )
    return DeliveryResult(sent, failed)


def retry_delay(attempts: int) -> dt.timedelta:
    """5 minutes after the first failure, doubling each time, at most a day."""
    delay: dt.timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, LONGEST_RETRY)


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATION_MAX_ATTEMPTS", 8))


def _send(notification: Notification) -> None:
    if notification.channel == Channel.EMAIL:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.address],
            fail_silently=False,
        )
    elif notification.channel == Channel.SMS:
        get_sms_backend().send(notification.address, notification.body)
    else:
        raise ValueError(f"unknown channel {notification.channel!r}")
