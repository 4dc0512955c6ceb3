"""The ``--now`` option the engine's commands share: an ISO 8601 instant, read in the site's
time zone when it carries no offset."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone


def parse_now(value: str | None) -> dt.datetime | None:
    """The instant ``--now`` names, or None when it was not given."""
    if not value:
        return None
    try:
        now = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--now: not an ISO 8601 instant: {value!r}") from exc
    return timezone.make_aware(now) if timezone.is_naive(now) else now
