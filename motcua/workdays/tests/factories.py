"""Plain factories for workdays tests, built through the real services."""

import datetime as dt
from typing import Any

from motcua.accounts.models import Agency, User
from motcua.testing import make_agency
from motcua.workdays import services
from motcua.workdays.calendars import get_calendar
from motcua.workdays.models import Calendar


def national() -> Calendar:
    """The national calendar the data migration creates."""
    return get_calendar("VN")


def provincial(code: str = "HNI", actor: User | None = None, **fields: Any) -> Calendar:
    """A provincial calendar under the national one."""
    fields.setdefault("name", f"Lịch {code}")
    return services.create_calendar(actor=actor, code=code, parent=national(), **fields)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def agency_on(calendar: Calendar, code: str) -> Agency:
    return make_agency(code, f"Cơ quan {code}", calendar=calendar)
