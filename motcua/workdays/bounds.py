"""The dates the system accepts from users: the supported range, and the check.

Every date or instant typed into a report period, the dashboard or the due-date question must lie
between ``EARLIEST_DATE`` and ``LATEST_DATE``. Python's dates stop at year 1 and year 9999, and
the arithmetic behind reports and deadlines (a day before, a month after, working days ahead)
would run off either end and fail; nothing in this system happens outside the range, which also
matches the years accepted for reporting windows (2000–2100). Documented in
docs/architecture.md ("Bad input")."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def validate_supported_date(value: dt.date | dt.datetime) -> None:
    """Raise ValidationError (code ``date_out_of_range``) unless ``value`` (a date, or an
    instant by its own calendar date) lies in [EARLIEST_DATE, LATEST_DATE]."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Dates from %(earliest)s to %(latest)s are accepted, not %(value)s."),
            code="date_out_of_range",
            params={
                "earliest": EARLIEST_DATE.isoformat(),
                "latest": LATEST_DATE.isoformat(),
                "value": day.isoformat(),
            },
        )
