"""Lock-out after repeated failed sign-ins: 5 failures within 15 minutes lock the username for
15 minutes, whatever the password tried next (brute-force protection; the officer asks the
agency administrator or waits)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from motcua.workspace.models import SignInLock

MAX_FAILURES = 5
WINDOW = dt.timedelta(minutes=15)
LOCK_FOR = dt.timedelta(minutes=15)


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def locked_until(username: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the lock on ``username`` ends, or ``None`` when it may try to sign in."""
    now = now or timezone.now()
    row = SignInLock.objects.filter(username=_key(username)).only("locked_until").first()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return row.locked_until


def record_failure(username: str, now: dt.datetime | None = None) -> None:
    """Count a failed attempt; the fifth within the window locks the username."""
    now = now or timezone.now()
    with transaction.atomic():
        row, created = SignInLock.objects.select_for_update().get_or_create(
            username=_key(username), defaults={"first_failed_at": now}
        )
        if not created and now - row.first_failed_at > WINDOW:
            row.failures, row.first_failed_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= MAX_FAILURES:
            row.locked_until = now + LOCK_FOR
            row.failures, row.first_failed_at = 0, now
        row.save(update_fields=["failures", "first_failed_at", "locked_until"])


def clear(username: str) -> None:
    SignInLock.objects.filter(username=_key(username)).delete()
