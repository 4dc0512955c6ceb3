"""The working-day clock: pure functions over a ``CalendarSpec``, no database.

A ``CalendarSpec`` says when a calendar works: its time zone, its two office sessions, its intake
cut-off, the country whose public holidays apply (``holidays`` package) and the dates an
administrator overrode. From it the clock answers three questions, each able to explain itself:

* ``effective_start``: when does the clock start for a dossier received at this instant?
* ``due``: when is something due that takes N working days, working hours or calendar days?
* ``working_time_between``: how much working time lies between two instants (for pauses)?

``recompute`` compares the same deadline under an old and a new spec (a holiday announced late),
so open dossiers can be moved with an event that says why.

Days are classified in this order: an override of the calendar (or of a parent calendar) wins;
then a public holiday (Tết, Hùng Kings, 30/4, 1/5, 2/9 and the days the government substitutes);
then a swapped working Saturday (the ``holidays`` package's ``weekend_workdays``); then the weekend.
Every other day has both sessions. Time of day is wall-clock time in the calendar's time zone.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

DEFAULT_TIME_ZONE = "Asia/Ho_Chi_Minh"
DEFAULT_MORNING = (dt.time(7, 0), dt.time(11, 30))
DEFAULT_AFTERNOON = (dt.time(13, 30), dt.time(17, 0))
# Decree 118/2025/NĐ-CP art. 21 (before it, Decree 61/2018/NĐ-CP art. 19(1)(b)): a dossier
# received after 15:00 is passed on, and so starts counting, at the next working day. The hour is
# a calendar setting because provinces set their own reception hours.
DEFAULT_INTAKE_CUTOFF = dt.time(15, 0)
# No real calendar goes this long without a working day; the guard turns a broken spec or an
# absurd amount into an error instead of an endless loop.
MAX_SPAN_DAYS = 366 * 100

Session = tuple[dt.time, dt.time]

_ONE_MICROSECOND = dt.timedelta(microseconds=1)
_MICROSECONDS_PER_HOUR = Decimal(3_600_000_000)
_WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Unit(StrEnum):
    """How a time limit is counted."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"


class DayOverride(StrEnum):
    """What an administrator may set on one date (``models.OverrideKind`` uses these values)."""

    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"
    MORNING_ONLY = "morning_only"
    AFTERNOON_ONLY = "afternoon_only"


class DayKind(StrEnum):
    """Why a day has the sessions it has."""

    WORKING = "working"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    SWAPPED_WORKING_DAY = "swapped_working_day"
    OVERRIDE_DAY_OFF = "override_day_off"
    OVERRIDE_WORKING_DAY = "override_working_day"
    MORNING_ONLY = "morning_only"
    AFTERNOON_ONLY = "afternoon_only"


class Step(StrEnum):
    """The kind of an explanation item."""

    START_MOVED = "start_moved"  # the receipt instant was moved to the effective start
    COUNTED = "counted"  # working time counted on this day
    SKIPPED = "skipped"  # a day without working time
    MOVED = "moved"  # a calendar-day deadline landed outside working time and was moved


class Override(NamedTuple):
    """One overridden date: what it became, why, and which calendar said so."""

    kind: DayOverride
    reason: str
    source: str = ""


@dataclass(frozen=True)
class Day:
    """A date with its working sessions and the reason for them, in Vietnamese and English."""

    date: dt.date
    kind: DayKind
    sessions: tuple[Session, ...]
    reason_vi: str
    reason_en: str
    source: str = ""

    @property
    def is_working(self) -> bool:
        return bool(self.sessions)


@dataclass(frozen=True)
class CalendarSpec:
    """Everything the clock needs to know about one calendar. Build once, query often: days are
    classified lazily and cached on the spec, holidays are cached per country and year."""

    code: str = "VN"
    time_zone: str = DEFAULT_TIME_ZONE
    morning: Session = DEFAULT_MORNING
    afternoon: Session = DEFAULT_AFTERNOON
    intake_cutoff: dt.time = DEFAULT_INTAKE_CUTOFF
    holiday_country: str = "VN"
    overrides: Mapping[dt.date, Override] = field(default_factory=dict)
    tz: ZoneInfo = field(init=False, repr=False, compare=False)
    _days: dict[dt.date, Day] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        (m_start, m_end), (a_start, a_end) = self.morning, self.afternoon
        if not (m_start < m_end <= a_start < a_end):
            raise ValueError("sessions out of order: morning start < end <= afternoon start < end")
        try:
            tz = ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.time_zone!r}") from exc
        overrides = {}
        for day, (kind, reason, *source) in self.overrides.items():
            overrides[day] = Override(DayOverride(kind), reason, (source or [""])[0] or self.code)
        object.__setattr__(self, "overrides", MappingProxyType(overrides))
        object.__setattr__(self, "tz", tz)
        object.__setattr__(self, "_days", {})

    def __hash__(self) -> int:
        return hash(
            (
                self.code,
                self.time_zone,
                self.morning,
                self.afternoon,
                self.intake_cutoff,
                self.holiday_country,
                frozenset(self.overrides.items()),
            )
        )

    @property
    def working_day(self) -> dt.timedelta:
        """The length of one working day: the two sessions together (8 hours by default)."""
        return _length(self.morning) + _length(self.afternoon)


@dataclass(frozen=True)
class ExplanationItem:
    """One line of "why is this the due date?"."""

    date: dt.date
    kind: Step
    reason_vi: str
    reason_en: str
    hours: Decimal = Decimal(0)
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    day_kind: DayKind | None = None
    source: str = ""

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
            "amount": str(self.amount),
            "unit": str(self.unit),
            "effective_start": self.effective_start.isoformat(),
            "due_at": self.due_at.isoformat(),
            "explanation": [item.as_dict() for item in self.explanation],
        }


@dataclass(frozen=True)
class DayChange:
    """A date whose working sessions differ between two specs."""

    date: dt.date
    before: Day
    after: Day


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


# --- days ---------------------------------------------------------------------------------------


class _YearHolidays(NamedTuple):
    names_vi: Mapping[dt.date, str]
    names_en: Mapping[dt.date, str]
    weekend_workdays: frozenset[dt.date]


@lru_cache(maxsize=256)
def _year_holidays(country: str, year: int) -> _YearHolidays:
    """The public holidays of one country and year, named in Vietnamese and English."""
    base = holidays.country_holidays(country, years=year)
    supported = tuple(getattr(base, "supported_languages", ()))
    vi = (
        holidays.country_holidays(country, years=year, language="vi") if "vi" in supported else base
    )
    en = (
        holidays.country_holidays(country, years=year, language="en_US")
        if "en_US" in supported
        else base
    )
    weekend_workdays = frozenset(d for d in getattr(vi, "weekend_workdays", ()) if d.year == year)
    return _YearHolidays(
        MappingProxyType(dict(vi.items())),
        MappingProxyType(dict(en.items())),
        weekend_workdays,
    )


def _swap_partner(day: dt.date, country: str) -> dt.date | None:
    """The day off a swapped working Saturday pays for: the ``holidays`` package names it
    "Ngày nghỉ (thay cho ngày 26/04/2025)"."""
    marker = day.strftime("%d/%m/%Y")
    for year in (day.year, day.year + 1, day.year - 1):
        for other, name in _year_holidays(country, year).names_vi.items():
            if marker in name:
                return other
    return None


def _classify(day: dt.date, spec: CalendarSpec) -> Day:
    both = (spec.morning, spec.afternoon)
    override = spec.overrides.get(day)
    if override is not None:
        kind, reason, source = override
        if kind == DayOverride.DAY_OFF:
            return Day(
                day,
                DayKind.OVERRIDE_DAY_OFF,
                (),
                f"Ngày nghỉ theo lịch {source}: {reason}",
                f"Day off set by calendar {source}: {reason}",
                source,
            )
        if kind == DayOverride.WORKING_DAY:
            return Day(
                day,
                DayKind.OVERRIDE_WORKING_DAY,
                both,
                f"Ngày làm việc theo lịch {source}: {reason}",
                f"Working day set by calendar {source}: {reason}",
                source,
            )
        if kind == DayOverride.MORNING_ONLY:
            return Day(
                day,
                DayKind.MORNING_ONLY,
                (spec.morning,),
                f"Chỉ làm việc buổi sáng theo lịch {source}: {reason}",
                f"Morning only, set by calendar {source}: {reason}",
                source,
            )
        return Day(
            day,
            DayKind.AFTERNOON_ONLY,
            (spec.afternoon,),
            f"Chỉ làm việc buổi chiều theo lịch {source}: {reason}",
            f"Afternoon only, set by calendar {source}: {reason}",
            source,
        )
    if spec.holiday_country:
        year = _year_holidays(spec.holiday_country, day.year)
        if day in year.names_vi:
            return Day(
                day,
                DayKind.HOLIDAY,
                (),
                f"Nghỉ lễ, Tết: {year.names_vi[day]}",
                f"Public holiday: {year.names_en.get(day, year.names_vi[day])}",
            )
        if day in year.weekend_workdays:
            weekday_vi, weekday_en = _WEEKDAYS_VI[day.weekday()], _WEEKDAYS_EN[day.weekday()]
            partner = _swap_partner(day, spec.holiday_country)
            if partner is None:
                vi = f"{weekday_vi} làm việc bù (hoán đổi ngày làm việc)"
                en = f"Swapped working {weekday_en} (working days exchanged)"
            else:
                vi = f"{weekday_vi} làm việc bù cho ngày nghỉ {partner.strftime('%d/%m/%Y')}"
                en = f"Swapped working {weekday_en}, in exchange for the day off on {partner}"
            return Day(day, DayKind.SWAPPED_WORKING_DAY, both, vi, en)
    if day.weekday() >= 5:
        return Day(
            day,
            DayKind.WEEKEND,
            (),
            f"Nghỉ cuối tuần ({_WEEKDAYS_VI[day.weekday()]})",
            f"Weekend ({_WEEKDAYS_EN[day.weekday()]})",
        )
    return Day(day, DayKind.WORKING, both, "Ngày làm việc", "Working day")


def day_info(day: dt.date, spec: CalendarSpec) -> Day:
    """The date's working sessions and the reason for them."""
    found = spec._days.get(day)
    if found is None:
        found = spec._days[day] = _classify(day, spec)
    return found


def is_working_day(day: dt.date, spec: CalendarSpec) -> bool:
    """Whether the date has any working session (half days count)."""
    return day_info(day, spec).is_working


def sessions_on(day: dt.date, spec: CalendarSpec) -> tuple[Session, ...]:
    """The working sessions of the date: two, one on a half day, none on a day off."""
    return day_info(day, spec).sessions


def notable_days(first: dt.date, last: dt.date, spec: CalendarSpec) -> list[Day]:
    """Days from ``first`` to ``last`` (inclusive) that are neither ordinary working days nor
    ordinary weekends: holidays, overrides, half days and swapped working days."""
    return [
        day
        for day in (day_info(d, spec) for d in _dates(first, last))
        if day.kind not in (DayKind.WORKING, DayKind.WEEKEND)
    ]


def changed_days(
    old: CalendarSpec, new: CalendarSpec, first: dt.date, last: dt.date
) -> list[DayChange]:
    """Dates from ``first`` to ``last`` (inclusive) whose working sessions differ."""
    changes = []
    for d in _dates(first, last):
        before, after = day_info(d, old), day_info(d, new)
        if before.sessions != after.sessions:
            changes.append(DayChange(d, before, after))
    return changes


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
    for d in _dates(a.date(), b.date()):
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


def _length(session: Session) -> dt.timedelta:
    day = dt.date(2000, 1, 3)
    return dt.datetime.combine(day, session[1]) - dt.datetime.combine(day, session[0])


def _dates(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


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


def _hours(delta: dt.timedelta) -> Decimal:
    hours = Decimal(delta // _ONE_MICROSECOND) / _MICROSECONDS_PER_HOUR
    return hours.quantize(Decimal("0.0001")).normalize()


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
    return ExplanationItem(
        day.date,
        Step.SKIPPED,
        day.reason_vi,
        day.reason_en,
        day_kind=day.kind,
        source=day.source,
    )


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
                    vi = f"Tiếp nhận trước giờ làm việc: tính từ {_hhmm(session_start)}"
                    en = f"Received before opening: the clock starts at {_hhmm(session_start)}"
                else:
                    vi = f"Tiếp nhận trong giờ nghỉ trưa: tính từ {_hhmm(session_start)}"
                    en = (
                        "Received during the lunch break: the clock starts at "
                        f"{_hhmm(session_start)}"
                    )
                return moved, [_start_moved(local, moved, vi, en, day)]
            if clock < session_end:
                return local, []
    nxt, skipped = _next_working_day(local.date(), spec)
    moved = _at(nxt.date, nxt.sessions[0][0], spec)
    then_vi = f"tính từ đầu giờ ngày làm việc tiếp theo ({moved.strftime('%d/%m/%Y %H:%M')})"
    then_en = f"the clock starts at the next working day's opening ({moved:%Y-%m-%d %H:%M})"
    if not day.is_working:
        vi = f"Tiếp nhận vào ngày nghỉ ({day.reason_vi}): {then_vi}"
        en = f"Received on a non-working day ({day.reason_en}): {then_en}"
    elif clock >= spec.intake_cutoff:
        cutoff = _hhmm(spec.intake_cutoff)
        vi = f"Tiếp nhận lúc {_hhmm(local)}, từ {cutoff} trở đi: {then_vi}"
        en = f"Received at {_hhmm(local)}, at or after the {cutoff} cut-off: {then_en}"
    else:
        vi = f"Tiếp nhận ngoài giờ làm việc ({_hhmm(local)}): {then_vi}"
        en = f"Received outside office hours ({_hhmm(local)}): {then_en}"
    return moved, [_start_moved(local, moved, vi, en, day), *skipped]


def _start_moved(
    received: dt.datetime, moved: dt.datetime, vi: str, en: str, day: Day
) -> ExplanationItem:
    return ExplanationItem(
        received.date(),
        Step.START_MOVED,
        vi,
        en,
        start=received,
        end=moved,
        day_kind=day.kind,
        source=day.source,
    )


def _count(
    begin: dt.datetime, amount: dt.timedelta, spec: CalendarSpec
) -> tuple[dt.datetime, list[ExplanationItem]]:
    """Count ``amount`` of working time forward from ``begin``."""
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
            counted = dt.timedelta(0)
            first: dt.datetime | None = None
            last = begin
            for session_start, session_end in _session_instants(d, spec):
                lo = max(session_start, begin)
                if lo >= session_end:
                    continue
                take = min(session_end - lo, remaining)
                first = first or lo
                last = lo + take
                counted += take
                remaining -= take
                if not remaining:
                    break
            if first is not None:
                hours = _hours(counted)
                hours_vi = str(hours).replace(".", ",")
                span = f"{_hhmm(first)}–{_hhmm(last)}"
                items.append(
                    ExplanationItem(
                        d,
                        Step.COUNTED,
                        f"{day.reason_vi}: tính {hours_vi} giờ làm việc ({span})",
                        f"{day.reason_en}: {hours} working hours counted ({span})",
                        hours=hours,
                        start=first,
                        end=last,
                        day_kind=day.kind,
                        source=day.source,
                    )
                )
            if not remaining:
                return last, items
        d += dt.timedelta(days=1)
    raise ValueError(f"counting ran past {MAX_SPAN_DAYS} days")


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
            vi = (
                f"Hạn rơi vào ngoài giờ làm việc ({_hhmm(landing)}): "
                f"chuyển sang {_hhmm(session_start)} cùng ngày"
            )
            en = (
                f"The deadline fell outside working time ({_hhmm(landing)}): "
                f"moved to {_hhmm(session_start)} the same day"
            )
            return moved, [_moved(landing, moved, vi, en, day)]
    nxt, skipped = _next_working_day(landing.date(), spec)
    moved = _at(nxt.date, nxt.sessions[0][0], spec)
    then_vi = f"chuyển sang đầu giờ ngày làm việc tiếp theo ({moved.strftime('%d/%m/%Y %H:%M')})"
    then_en = f"moved to the next working day's opening ({moved:%Y-%m-%d %H:%M})"
    if day.is_working:
        vi = f"Hạn rơi vào sau giờ làm việc ({_hhmm(landing)}): {then_vi}"
        en = f"The deadline fell after office hours ({_hhmm(landing)}): {then_en}"
    else:
        vi = f"Hạn rơi vào ngày nghỉ ({day.reason_vi}): {then_vi}"
        en = f"The deadline fell on a non-working day ({day.reason_en}): {then_en}"
    return moved, [_moved(landing, moved, vi, en, day), *skipped]


def _moved(landing: dt.datetime, moved: dt.datetime, vi: str, en: str, day: Day) -> ExplanationItem:
    return ExplanationItem(
        landing.date(),
        Step.MOVED,
        vi,
        en,
        start=landing,
        end=moved,
        day_kind=day.kind,
        source=day.source,
    )
