"""Properties of the clock that must hold for any start and amount (hypothesis), on the national
calendar and on one with half days, an extra day off and an extra working day."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from motcua.workdays.clock import (
    CalendarSpec,
    DayOverride,
    Override,
    Unit,
    add_working_time,
    due,
    effective_start,
    working_time_between,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NATIONAL = CalendarSpec()
PROVINCIAL = CalendarSpec(
    code="P",
    overrides={
        dt.date(2026, 3, 6): Override(DayOverride.MORNING_ONLY, "Hội nghị", "P"),
        dt.date(2026, 3, 9): Override(DayOverride.AFTERNOON_ONLY, "Bầu cử", "P"),
        dt.date(2026, 3, 11): Override(DayOverride.DAY_OFF, "Lễ hội", "P"),
        dt.date(2026, 3, 14): Override(DayOverride.WORKING_DAY, "Làm bù", "P"),
    },
)

specs = st.sampled_from([NATIONAL, PROVINCIAL])


def minutes_from(first: dt.datetime, days: int) -> st.SearchStrategy[dt.datetime]:
    return st.integers(min_value=0, max_value=days * 24 * 60).map(
        lambda minutes: first + dt.timedelta(minutes=minutes)
    )


# Any minute of 2025–2027 (every holiday of the tables), or one of March 2026, where the
# provincial calendar has its half days, day off and extra working day.
instants = st.one_of(
    minutes_from(dt.datetime(2025, 1, 1, tzinfo=VN), 3 * 366),
    minutes_from(dt.datetime(2026, 3, 1, tzinfo=VN), 20),
)
# Quarter hours and sixteenths of a day: exact in microseconds, so sums are exact too.
hour_amounts = st.integers(min_value=0, max_value=400).map(lambda q: Decimal(q) / 4)
day_amounts = st.integers(min_value=0, max_value=480).map(lambda s: Decimal(s) / 16)
calendar_day_amounts = st.integers(min_value=0, max_value=60).map(Decimal)


def amounts_for(unit: Unit) -> st.SearchStrategy[Decimal]:
    return {
        Unit.WORKING_HOURS: hour_amounts,
        Unit.WORKING_DAYS: day_amounts,
        Unit.CALENDAR_DAYS: calendar_day_amounts,
    }[unit]


units = st.sampled_from(list(Unit))


@settings(max_examples=300, deadline=None)
@given(spec=specs, unit=units, a=instants, b=instants, data=st.data())
def test_a_later_start_is_never_due_earlier(
    spec: CalendarSpec, unit: Unit, a: dt.datetime, b: dt.datetime, data: st.DataObject
) -> None:
    """Monotonic in the start, for every unit."""
    amount = data.draw(amounts_for(unit))
    early, late = min(a, b), max(a, b)
    assert due(early, amount, unit, spec).due_at <= due(late, amount, unit, spec).due_at


@settings(max_examples=300, deadline=None)
@given(spec=specs, unit=units, start=instants, data=st.data())
def test_a_larger_amount_is_never_due_earlier(
    spec: CalendarSpec, unit: Unit, start: dt.datetime, data: st.DataObject
) -> None:
    """Monotonic in the amount, for every unit; and never before the effective start."""
    x, y = data.draw(amounts_for(unit)), data.draw(amounts_for(unit))
    small, large = due(start, min(x, y), unit, spec), due(start, max(x, y), unit, spec)
    assert small.effective_start <= small.due_at <= large.due_at


@settings(max_examples=300, deadline=None)
@given(spec=specs, start=instants, a=hour_amounts, b=hour_amounts)
def test_working_hours_add_up(
    spec: CalendarSpec, start: dt.datetime, a: Decimal, b: Decimal
) -> None:
    """Counting a hours and then b more from there is counting a + b hours."""
    first = due(start, a, Unit.WORKING_HOURS, spec)
    then = due(first.due_at, b, Unit.WORKING_HOURS, spec, intake=False)
    assert then.due_at == due(start, a + b, Unit.WORKING_HOURS, spec).due_at


@settings(max_examples=300, deadline=None)
@given(spec=specs, start=instants, a=day_amounts, b=day_amounts)
def test_working_days_add_up(
    spec: CalendarSpec, start: dt.datetime, a: Decimal, b: Decimal
) -> None:
    """Counting a working days and then b more from there is counting a + b days."""
    first = due(start, a, Unit.WORKING_DAYS, spec)
    then = due(first.due_at, b, Unit.WORKING_DAYS, spec, intake=False)
    assert then.due_at == due(start, a + b, Unit.WORKING_DAYS, spec).due_at


@settings(max_examples=300, deadline=None)
@given(spec=specs, start=instants, a=day_amounts, b=day_amounts.filter(bool))
def test_a_second_receipt_rule_changes_nothing_before_the_cut_off(
    spec: CalendarSpec, start: dt.datetime, a: Decimal, b: Decimal
) -> None:
    """due(due(s, a), b) == due(s, a + b) when s is an effective working instant and the first
    due instant is before the cut-off, so that treating it as a new receipt moves nothing.
    (b > 0: a zero amount from 11:30 is due at the effective start, 13:30.)"""
    s = effective_start(start, spec)
    first = due(s, a, Unit.WORKING_DAYS, spec)
    assume(first.due_at.replace(tzinfo=None).time() < spec.intake_cutoff)
    again = due(first.due_at, b, Unit.WORKING_DAYS, spec)
    assert again.due_at == due(s, a + b, Unit.WORKING_DAYS, spec).due_at


@settings(max_examples=300, deadline=None)
@given(spec=specs, start=instants, hours=hour_amounts)
def test_the_working_time_to_a_due_instant_is_the_amount(
    spec: CalendarSpec, start: dt.datetime, hours: Decimal
) -> None:
    """working_time_between(s, due(s, h)) == h from an effective start."""
    s = effective_start(start, spec)
    due_at = due(s, hours, Unit.WORKING_HOURS, spec).due_at
    expected = dt.timedelta(microseconds=int(hours * 3_600_000_000))
    assert working_time_between(s, due_at, spec) == expected


@settings(max_examples=300, deadline=None)
@given(spec=specs, a=instants, b=instants, c=instants)
def test_working_time_adds_over_consecutive_intervals(
    spec: CalendarSpec, a: dt.datetime, b: dt.datetime, c: dt.datetime
) -> None:
    """Working time from a to b plus b to c is working time from a to c."""
    a, b, c = sorted([a, b, c])
    assert working_time_between(a, b, spec) + working_time_between(b, c, spec) == (
        working_time_between(a, c, spec)
    )


@settings(max_examples=200, deadline=None)
@given(spec=specs, start=instants, hours=hour_amounts)
def test_adding_a_pause_back_moves_by_exactly_its_working_time(
    spec: CalendarSpec, start: dt.datetime, hours: Decimal
) -> None:
    """The instant a pause's working time is added to and the new instant are that much
    working time apart."""
    s = effective_start(start, spec)
    pause = dt.timedelta(microseconds=int(hours * 3_600_000_000))
    moved = add_working_time(s, pause, spec)
    assert working_time_between(s, moved, spec) == pause
    assert moved >= s


@settings(max_examples=200, deadline=None)
@given(spec=specs, start=instants)
def test_the_effective_start_is_a_working_instant_before_the_cut_off(
    spec: CalendarSpec, start: dt.datetime
) -> None:
    """The clock never starts on a day off, in the lunch break or at or after the cut-off, and
    never before the receipt; starting again from it changes nothing."""
    s = effective_start(start, spec)
    assert s >= start
    assert effective_start(s, spec) == s
    clock = s.replace(tzinfo=None).time()
    assert clock < spec.intake_cutoff
    assert any(begin <= clock < end for begin, end in (spec.morning, spec.afternoon))
    assert working_time_between(s, s + dt.timedelta(minutes=1), spec) > dt.timedelta(0)
