"""The days of a working calendar: which sessions each date has, and why. Pure, no database.

A ``CalendarSpec`` says when a calendar works: its time zone, its two office sessions, its intake
cut-off, the country whose public holidays apply (``holidays`` package) and the dates an
administrator overrode. ``day_info`` classifies a date, in this order: an override of the calendar
(or of a parent calendar) wins; then a public holiday (Tết, Hùng Kings, 30/4, 1/5, 2/9 and the days
the government substitutes, Labour Code art. 112); then a swapped working Saturday (the ``holidays``
package's ``weekend_workdays``); then the weekend. Every other day has both sessions.
"""

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from motcua.workdays import reasons
from motcua.workdays.reasons import Reason

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


class UnknownTimeZone(ValueError):
    """The calendar names a time zone the system does not know."""


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


class Override(NamedTuple):
    """One overridden date: what it became, why, and which calendar said so."""

    kind: DayOverride
    reason: str
    source: str = ""


@dataclass(frozen=True)
class Day:
    """A date with its working sessions and the reason for them."""

    date: dt.date
    kind: DayKind
    sessions: tuple[Session, ...]
    reason: Reason
    source: str = ""

    @property
    def is_working(self) -> bool:
        return bool(self.sessions)

    @property
    def reason_vi(self) -> str:
        return self.reason.vi

    @property
    def reason_en(self) -> str:
        return self.reason.en


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
            raise UnknownTimeZone(f"unknown time zone {self.time_zone!r}") from exc
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
        return session_length(self.morning) + session_length(self.afternoon)


@dataclass(frozen=True)
class DayChange:
    """A date whose working sessions differ between two specs."""

    date: dt.date
    before: Day
    after: Day


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
    override = spec.overrides.get(day)
    if override is not None:
        return _overridden(day, override, spec)
    if spec.holiday_country:
        found = _public_calendar_day(day, spec)
        if found is not None:
            return found
    if day.weekday() >= 5:
        return Day(day, DayKind.WEEKEND, (), reasons.weekend(day))
    return Day(day, DayKind.WORKING, (spec.morning, spec.afternoon), reasons.working_day())


def _overridden(day: dt.date, override: Override, spec: CalendarSpec) -> Day:
    """A date an administrator set on the calendar (or on a parent calendar, ``source``)."""
    kind, why, source = override
    if kind == DayOverride.DAY_OFF:
        return Day(day, DayKind.OVERRIDE_DAY_OFF, (), reasons.override_day_off(source, why), source)
    if kind == DayOverride.WORKING_DAY:
        sessions = (spec.morning, spec.afternoon)
        reason = reasons.override_working_day(source, why)
        return Day(day, DayKind.OVERRIDE_WORKING_DAY, sessions, reason, source)
    if kind == DayOverride.MORNING_ONLY:
        reason = reasons.override_morning_only(source, why)
        return Day(day, DayKind.MORNING_ONLY, (spec.morning,), reason, source)
    reason = reasons.override_afternoon_only(source, why)
    return Day(day, DayKind.AFTERNOON_ONLY, (spec.afternoon,), reason, source)


def _public_calendar_day(day: dt.date, spec: CalendarSpec) -> Day | None:
    """A public holiday or a swapped working day of the calendar's country, else ``None``."""
    year = _year_holidays(spec.holiday_country, day.year)
    if day in year.names_vi:
        name = reasons.Named(year.names_vi[day], year.names_en.get(day, year.names_vi[day]))
        return Day(day, DayKind.HOLIDAY, (), reasons.public_holiday(name))
    if day in year.weekend_workdays:
        partner = _swap_partner(day, spec.holiday_country)
        sessions = (spec.morning, spec.afternoon)
        reason = reasons.swapped_working_day(day, partner)
        return Day(day, DayKind.SWAPPED_WORKING_DAY, sessions, reason)
    return None


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
        for day in (day_info(d, spec) for d in dates(first, last))
        if day.kind not in (DayKind.WORKING, DayKind.WEEKEND)
    ]


def changed_days(
    old: CalendarSpec, new: CalendarSpec, first: dt.date, last: dt.date
) -> list[DayChange]:
    """Dates from ``first`` to ``last`` (inclusive) whose working sessions differ."""
    changes = []
    for d in dates(first, last):
        before, after = day_info(d, old), day_info(d, new)
        if before.sessions != after.sessions:
            changes.append(DayChange(d, before, after))
    return changes


def session_length(session: Session) -> dt.timedelta:
    """The length of a session (wall-clock time)."""
    day = dt.date(2000, 1, 3)
    return dt.datetime.combine(day, session[1]) - dt.datetime.combine(day, session[0])


def dates(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """Every date from ``first`` to ``last``, both included."""
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)
