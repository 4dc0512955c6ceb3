"""Reads of working calendars: finding a calendar and building the spec the clock counts with."""

import datetime as dt

from motcua.workdays.clock import CalendarSpec, DayOverride, Override
from motcua.workdays.models import Calendar, CalendarOverride

NATIONAL_CALENDAR_CODE = "VN"


def get_calendar(code: str) -> Calendar:
    """The calendar with this code; raises ``Calendar.DoesNotExist`` when there is none."""
    return Calendar.objects.select_related("parent").get(code=code)


def calendar_chain(calendar: Calendar) -> list[Calendar]:
    """The calendar and its ancestors, the calendar first and the root last."""
    chain = [calendar]
    seen = {calendar.pk}
    current = calendar
    while current.parent_id is not None and current.parent_id not in seen:
        parent = current.parent
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.pk)
        current = parent
    return chain


def spec_for(calendar: Calendar) -> CalendarSpec:
    """The clock's view of ``calendar``: its own sessions, cut-off, time zone and holiday country,
    and the overrides of its whole parent chain, where a calendar's own override wins over its
    parent's on the same date. The reason of each override names the document that announced it.
    """
    chain = calendar_chain(calendar)
    code_of = {cal.pk: cal.code for cal in chain}
    depth = {cal.pk: index for index, cal in enumerate(chain)}
    rows = CalendarOverride.objects.filter(calendar_id__in=list(code_of)).only(
        "calendar_id", "date", "kind", "reason", "legal_basis"
    )
    # Root first, so that each nearer calendar overwrites what its ancestors set.
    overrides: dict[dt.date, Override] = {}
    for row in sorted(rows, key=lambda r: (-depth[r.calendar_id], r.date)):
        reason = f"{row.reason} ({row.legal_basis})" if row.legal_basis else row.reason
        overrides[row.date] = Override(DayOverride(row.kind), reason, code_of[row.calendar_id])
    return settings_spec(calendar, overrides)


def settings_spec(
    calendar: Calendar, overrides: dict[dt.date, Override] | None = None
) -> CalendarSpec:
    """A spec of the calendar's own settings (and the given overrides); raises ``ValueError`` or
    ``TypeError`` when the settings cannot make a calendar."""
    return CalendarSpec(
        code=calendar.code,
        time_zone=calendar.time_zone,
        morning=(calendar.morning_start, calendar.morning_end),
        afternoon=(calendar.afternoon_start, calendar.afternoon_end),
        intake_cutoff=calendar.intake_cutoff,
        holiday_country=calendar.holiday_country,
        overrides=overrides or {},
    )


def spec_for_code(code: str) -> CalendarSpec:
    """``spec_for(get_calendar(code))``."""
    return spec_for(get_calendar(code))
