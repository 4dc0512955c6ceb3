"""The working-day clock: pure functions over a ``CalendarSpec``, no database.

From a calendar's spec (``days.py``) the clock answers three questions, each able to explain itself:

* ``effective_start``: when does the clock start for a dossier received at this instant?
* ``due``: when is something due that takes N working days, working hours or calendar days?
* ``working_time_between``: how much working time lies between two instants (for pauses)?

``recompute`` compares the same deadline under an old and a new spec (a holiday announced late),
so open dossiers can be moved with an event that says why. Time of day is wall-clock time in the
calendar's time zone.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from motcua.workdays import reasons
from motcua.workdays.days import (
    MAX_SPAN_DAYS,
    CalendarSpec,
    Day,
    DayChange,
    DayKind,
    DayOverride,
    Override,
    Session,
    changed_days,
    dates,
    day_info,
    is_working_day,
    notable_days,
    sessions_on,
)
from motcua.workdays.reasons import Reason

__all__ = [
    "CalendarSpec",
    "Day",
    "DayChange",
    "DayKind",
    "DayOverride",
    "DueResult",
    "ExplanationItem",
    "Override",
    "Recomputation",
    "Session",
    "Step",
    "Unit",
    "add_working_time",
    "changed_days",
    "day_info",
    "due",
    "effective_start",
    "is_working_day",
    "notable_days",
    "recompute",
    "sessions_on",
    "working_time_between",
]

_ONE_MICROSECOND = dt.timedelta(microseconds=1)
_MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)


class Unit(StrEnum):
    """How a time limit is counted."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


class Step(StrEnum):
    """The kind of an explanation item."""

    START_MOVED = "start_moved"  # the receipt instant was moved to the effective start
    COUNTED = "counted"  # working time counted on this day
    SKIPPED = "skipped"  # a day without working time
    MOVED = "moved"  # a calendar-day deadline landed outside working time and was moved


@dataclass(frozen=True)
class ExplanationItem:
    """One line of "why is this the due date?"."""

    date: dt.date
    kind: Step
    reason: Reason
    hours: Decimal = Decimal(0)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    day_kind: DayKind | None = None
    source: str = ""

    @property
    def reason_vi(self) -> str:
        return self.reason.vi

    @property
    def reason_en(self) -> str:
        return self.reason.en

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": str(self.kind),
            "day_kind": str(self.day_kind) if self.day_kind else None,
            "reason_vi": self.reason_vi,
            "reason_en": self.reason_en,
            "hours": float(self.hours),
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "source": self.source,
        }


@dataclass(frozen=True)
class DueResult:
    """A due instant with the effective start it was counted from and the explanation."""

    calendar: str
    start: dt.datetime
    amount: Decimal
    unit: Unit
    effective_start: dt.datetime
    due_at: dt.datetime
    explanation: tuple[ExplanationItem, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "calendar": self.calendar,
            "start": self.start.isoformat(),
            "amount": _plain(self.amount),
            "unit": str(self.unit),
            "effective_start": self.effective_start.isoformat(),
            "due_at": self.due_at.isoformat(),
            "explanation": [item.as_dict() for item in self.explanation],
        }


@dataclass(frozen=True)
class Recomputation:
    """The same deadline under an old and a new spec, and the dates that changed in between."""

    before: DueResult
    after: DueResult
    changed_days: tuple[DayChange, ...]

    @property
    def moved(self) -> bool:
        return self.before.due_at != self.after.due_at

    @property
    def changed_dates(self) -> tuple[dt.date, ...]:
        return tuple(change.date for change in self.changed_days)


# --- instants -----------------------------------------------------------------------------------


def effective_start(received_at: dt.datetime, spec: CalendarSpec) -> dt.datetime:
    """When the clock starts for a dossier received at ``received_at``.

    Decree 118/2025/NĐ-CP art. 21 (earlier Decree 61/2018/NĐ-CP art. 19): a receipt at or after the
    intake cut-off (15:00 by default), outside office hours or on a non-working day starts at the
    next working day's opening; before opening on a working day it starts at opening; in the
    lunch break it starts at the afternoon session.
    """
    return _effective_start(received_at, spec)[0]


def due(
    start: dt.datetime,
    amount: Decimal | int,
    unit: Unit | str,
    spec: CalendarSpec,
    *,
    intake: bool = True,
) -> DueResult:
    """The instant by which ``amount`` ``unit`` counted from ``start`` have run out.

    With ``intake=True`` (the default) ``start`` is a receipt and counting begins at its
    ``effective_start``. With ``intake=False`` ``start`` is an instant already on the clock (the
    end of a previous step, the due instant a pause is added to) and counting begins there.

    ``working_days`` count ``amount`` × the working day's length in working hours (0.5 day is
    4 hours by default); ``working_hours`` count hours; counting that ends at the end of a session
    is due at that session end. ``calendar_days`` add whole (or fractional) days to the start;
    a result on a non-working day or outside working time moves to the next working instant.
    """
    amount = _check_amount(amount)
    unit = Unit(unit)
    local = _local(start, spec)
    items: list[ExplanationItem] = []
    if intake:
        begin, items = _effective_start(local, spec)
    else:
        begin = local
    if unit == Unit.CALENDAR_DAYS:
        try:
            landing = begin + dt.timedelta(microseconds=_scaled(dt.timedelta(days=1), amount))
        except OverflowError as exc:
            raise ValueError("amount too large") from exc
        due_at, more = _land(landing, spec)
    else:
        per_unit = spec.working_day if unit == Unit.WORKING_DAYS else dt.timedelta(hours=1)
        due_at, more = _count(begin, dt.timedelta(microseconds=_scaled(per_unit, amount)), spec)
    return DueResult(spec.code, local, amount, unit, begin, due_at, tuple(items + more))


def add_working_time(at: dt.datetime, delta: dt.timedelta, spec: CalendarSpec) -> dt.datetime:
    """``at`` moved forward by ``delta`` of working time (no intake rule): the due instant after
    a pause whose working time was ``delta``."""
    if delta < dt.timedelta(0):
        raise ValueError("working time to add must not be negative")
    return _count(_local(at, spec), delta, spec)[0]


def working_time_between(a: dt.datetime, b: dt.datetime, spec: CalendarSpec) -> dt.timedelta:
    """The working time between two instants (negative when ``b`` is before ``a``)."""
    a, b = _local(a, spec), _local(b, spec)
    if b < a:
        return -working_time_between(b, a, spec)
    total = dt.timedelta(0)
    for d in dates(a.date(), b.date()):
        for session_start, session_end in _session_instants(d, spec):
            lo, hi = max(session_start, a), min(session_end, b)
            if lo < hi:
                total += hi - lo
    return total


def recompute(
    start: dt.datetime,
    amount: Decimal | int,
    unit: Unit | str,
    old: CalendarSpec,
    new: CalendarSpec,
    *,
    intake: bool = True,
) -> Recomputation:
    """The deadline ``(start, amount, unit)`` under ``old`` and under ``new``, with the dates
    between the start and the later due date whose sessions changed, so the caller can move
    the deadline with an event that explains why."""
    before = due(start, amount, unit, old, intake=intake)
    after = due(start, amount, unit, new, intake=intake)
    first = min(before.start.date(), after.start.date())
    last = max(before.due_at.date(), after.due_at.date())
    return Recomputation(before, after, tuple(changed_days(old, new, first, last)))


# --- internals ----------------------------------------------------------------------------------


def _local(instant: dt.datetime, spec: CalendarSpec) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("the clock needs aware datetimes")
    return instant.astimezone(spec.tz)


def _at(day: dt.date, time: dt.time, spec: CalendarSpec) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=spec.tz)


def _session_instants(day: dt.date, spec: CalendarSpec) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(_at(day, s, spec), _at(day, e, spec)) for s, e in sessions_on(day, spec)]


def _check_amount(amount: Decimal | int) -> Decimal:
    value = Decimal(amount)
    if not value.is_finite() or value < 0:
        raise ValueError("amount must be a finite number >= 0")
    return value


def _scaled(per_unit: dt.timedelta, amount: Decimal) -> int:
    """``amount`` × ``per_unit`` in whole microseconds, without floating point."""
    microseconds = Decimal(per_unit // _ONE_MICROSECOND) * amount
    return int(microseconds.to_integral_value(rounding=ROUND_HALF_UP))


def _plain(number: Decimal) -> str:
    """``5``, ``0.5``, ``10``: no trailing zeros, no exponent."""
    return format(number.normalize(), "f")


def _hours(delta: dt.timedelta) -> Decimal:
    hours = Decimal(delta // _ONE_MICROSECOND) / _MICROSECONDS_PER_HOUR
    return hours.quantize(Decimal("0.0001"))


def _hhmm(value: dt.time | dt.datetime) -> str:
    return value.strftime("%H:%M")


def _next_working_day(after: dt.date, spec: CalendarSpec) -> tuple[Day, list[ExplanationItem]]:
    """The first working day after ``after`` and the days skipped on the way."""
    skipped: list[ExplanationItem] = []
    d = after
    for _ in range(MAX_SPAN_DAYS):
        d += dt.timedelta(days=1)
        day = day_info(d, spec)
        if day.is_working:
            return day, skipped
        skipped.append(_skip(day))
    raise ValueError(f"no working day within {MAX_SPAN_DAYS} days after {after}")


def _skip(day: Day) -> ExplanationItem:
    return ExplanationItem(day.date, Step.SKIPPED, day.reason, day_kind=day.kind, source=day.source)


def _effective_start(
    received_at: dt.datetime, spec: CalendarSpec
) -> tuple[dt.datetime, list[ExplanationItem]]:
    local = _local(received_at, spec)
    day = day_info(local.date(), spec)
    clock = local.replace(tzinfo=None).time()
    if day.is_working and clock < spec.intake_cutoff:
        for index, (session_start, session_end) in enumerate(day.sessions):
            if clock < session_start:
                moved = _at(day.date, session_start, spec)
                if index == 0:
                    reason = reasons.received_before_opening(_hhmm(session_start))
                else:
                    reason = reasons.received_in_lunch_break(_hhmm(session_start))
                return moved, [_start_moved(local, moved, reason, day)]
            if clock < session_end:
                return local, []
    nxt, skipped = _next_working_day(local.date(), spec)
    moved = _at(nxt.date, nxt.sessions[0][0], spec)
    if not day.is_working:
        reason = reasons.received_on_day_off(day.reason, moved)
    elif clock >= spec.intake_cutoff:
        reason = reasons.received_after_cutoff(_hhmm(local), _hhmm(spec.intake_cutoff), moved)
    else:
        reason = reasons.received_after_hours(_hhmm(local), moved)
    return moved, [_start_moved(local, moved, reason, day), *skipped]


def _start_moved(
    received: dt.datetime, moved: dt.datetime, reason: Reason, day: Day
) -> ExplanationItem:
    return ExplanationItem(
        received.date(),
        Step.START_MOVED,
        reason,
        start=received,
        end=moved,
        day_kind=day.kind,
        source=day.source,
    )


def _count(
    begin: dt.datetime, amount: dt.timedelta, spec: CalendarSpec
) -> tuple[dt.datetime, list[ExplanationItem]]:
    """Count ``amount`` of working time forward from ``begin``, day by day."""
    items: list[ExplanationItem] = []
    remaining = amount
    if remaining <= dt.timedelta(0):
        return begin, items
    d = begin.date()
    for _ in range(MAX_SPAN_DAYS):
        day = day_info(d, spec)
        if not day.is_working:
            items.append(_skip(day))
        else:
            counted = _count_day(day, begin, remaining, spec)
            if counted is not None:
                item, taken, end = counted
                items.append(item)
                remaining -= taken
                if not remaining:
                    return end, items
        d += dt.timedelta(days=1)
    raise ValueError(f"counting ran past {MAX_SPAN_DAYS} days")


def _count_day(
    day: Day, begin: dt.datetime, remaining: dt.timedelta, spec: CalendarSpec
) -> tuple[ExplanationItem, dt.timedelta, dt.datetime] | None:
    """The working time one working day's sessions hold from ``begin`` on, up to ``remaining``:
    its explanation, the time counted and the instant counting stopped; ``None`` when the
    sessions hold nothing (all before ``begin``)."""
    counted = dt.timedelta(0)
    first: dt.datetime | None = None
    last = begin
    for session_start, session_end in _session_instants(day.date, spec):
        lo = max(session_start, begin)
        if lo >= session_end:
            continue
        take = min(session_end - lo, remaining - counted)
        first = first or lo
        last = lo + take
        counted += take
        if counted == remaining:
            break
    if first is None:
        return None
    hours = _hours(counted)
    span = f"{_hhmm(first)}–{_hhmm(last)}"
    item = ExplanationItem(
        day.date,
        Step.COUNTED,
        reasons.counted(day.reason, hours, span),
        hours=hours,
        start=first,
        end=last,
        day_kind=day.kind,
        source=day.source,
    )
    return item, counted, last


def _land(landing: dt.datetime, spec: CalendarSpec) -> tuple[dt.datetime, list[ExplanationItem]]:
    """A calendar-day deadline: kept when it falls within a working session (ends included),
    otherwise moved forward to the next working instant, and explained."""
    day = day_info(landing.date(), spec)
    clock = landing.replace(tzinfo=None).time()
    for session_start, session_end in day.sessions:
        if session_start <= clock <= session_end:
            return landing, []
        if clock < session_start:
            moved = _at(day.date, session_start, spec)
            reason = reasons.deadline_moved_same_day(_hhmm(landing), _hhmm(session_start))
            return moved, [_moved(landing, moved, reason, day)]
    nxt, skipped = _next_working_day(landing.date(), spec)
    moved = _at(nxt.date, nxt.sessions[0][0], spec)
    if day.is_working:
        reason = reasons.deadline_after_hours(_hhmm(landing), moved)
    else:
        reason = reasons.deadline_on_day_off(day.reason, moved)
    return moved, [_moved(landing, moved, reason, day), *skipped]


def _moved(landing: dt.datetime, moved: dt.datetime, reason: Reason, day: Day) -> ExplanationItem:
    return ExplanationItem(
        landing.date(),
        Step.MOVED,
        reason,
        start=landing,
        end=moved,
        day_kind=day.kind,
        source=day.source,
    )
