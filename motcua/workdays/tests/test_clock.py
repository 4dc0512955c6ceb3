"""The working-day clock against tables of due dates worked out by hand from the real 2025–2027
Vietnamese calendars (sessions 07:00–11:30 and 13:30–17:00, cut-off 15:00, 8 h a day).

Public holidays used below, as announced:
  Tết 2025 Mon 27/1 – Sat 1/2; Tết 2026 Mon 16/2 – Fri 20/2; Tết 2027 Thu 4/2 – Wed 10/2;
  Hùng Kings Mon 7/4/2025, Sun 26/4/2026 (off Mon 27/4), Fri 16/4/2027;
  30/4–1/5: Wed–Thu 2025 plus Fri 2/5 (swapped with Sat 26/4, worked), Thu–Fri 2026,
  Fri 30/4 and Sat 1/5 2027 (off Mon 3/5);
  2/9: Mon 1/9–Tue 2/9 2025, Tue 1/9–Wed 2/9 2026 plus Mon 31/8 (swapped with Sat 22/8, worked),
  Thu 2/9–Fri 3/9 2027.
"""

import datetime as dt
from decimal import Decimal

import pytest

from motcua.testing import aware
from motcua.workdays.clock import (
    CalendarSpec,
    DayKind,
    DayOverride,
    Override,
    Step,
    Unit,
    add_working_time,
    day_info,
    due,
    effective_start,
    is_working_day,
    notable_days,
    recompute,
    sessions_on,
    working_time_between,
)

NATIONAL = CalendarSpec()
MORNING = (dt.time(7), dt.time(11, 30))
AFTERNOON = (dt.time(13, 30), dt.time(17))


def with_overrides(**days: tuple[str, str]) -> CalendarSpec:
    """The national calendar plus overrides given as d2026_03_06=("morning_only", "why")."""
    overrides = {
        dt.date.fromisoformat(name[1:].replace("_", "-")): Override(DayOverride(kind), why, "HCM")
        for name, (kind, why) in days.items()
    }
    return CalendarSpec(code="HCM", overrides=overrides)


WORKING_DAY_TABLE = [
    # (start, working days, due, why)
    ("2026-02-13T09:00", "5", "2026-02-27T09:00", "Tết 2026: Fri 6 h, Mon 23–Thu 26 32 h, Fri 2 h"),
    ("2026-02-13T14:59", "1", "2026-02-23T14:59", "Tết 2026, just before the cut-off"),
    ("2026-02-13T15:00", "1", "2026-02-23T17:00", "Tết 2026, at the cut-off: starts Mon 23/2"),
    ("2025-01-24T09:00", "1", "2025-02-03T09:00", "Tết 2025: Mon 27/1 – Sat 1/2, Sun 2/2"),
    ("2025-01-23T15:00", "2", "2025-02-03T17:00", "Tết 2025 after the cut-off: Fri 24/1 + Mon 3/2"),
    ("2025-01-29T10:00", "1", "2025-02-03T17:00", "received on Tết 2025 itself"),
    ("2027-02-03T09:00", "1", "2027-02-11T09:00", "Tết 2027: Thu 4/2 – Wed 10/2"),
    ("2027-02-02T07:00", "3", "2027-02-11T17:00", "Tết 2027: Tue, Wed, then Thu 11/2"),
    ("2025-04-04T09:00", "1", "2025-04-08T09:00", "Hùng Kings Mon 7/4/2025"),
    ("2026-04-24T09:00", "1", "2026-04-28T09:00", "Hùng Kings Sun 26/4/2026, off Mon 27/4"),
    ("2027-04-15T13:30", "1", "2027-04-19T11:30", "Hùng Kings Fri 16/4/2027; ends at 11:30"),
    ("2025-04-29T09:00", "1", "2025-05-05T09:00", "30/4, 1/5 and swapped Fri 2/5/2025"),
    ("2025-04-25T09:00", "1", "2025-04-26T09:00", "Saturday 26/4/2025 is worked"),
    ("2025-04-24T07:00", "5", "2025-04-29T17:00", "Thu, Fri, Sat 26/4, Mon, Tue"),
    ("2026-04-29T09:00", "1", "2026-05-04T09:00", "30/4–1/5/2026 Thu–Fri"),
    ("2026-04-24T07:00", "5", "2026-05-05T17:00", "Hùng Kings then 30/4–1/5/2026"),
    ("2027-04-29T09:00", "1", "2027-05-04T09:00", "30/4/2027 Fri, 1/5 Sat off Mon 3/5"),
    ("2025-08-29T09:00", "1", "2025-09-03T09:00", "2/9/2025: Mon 1/9, Tue 2/9"),
    ("2026-08-21T09:00", "1", "2026-08-22T09:00", "Saturday 22/8/2026 is worked"),
    ("2026-08-28T09:00", "1", "2026-09-03T09:00", "swapped Mon 31/8, then 1/9–2/9/2026"),
    ("2027-09-01T09:00", "1", "2027-09-06T09:00", "2/9/2027: Thu 2/9, Fri 3/9"),
    ("2026-03-02T07:00", "1", "2026-03-02T17:00", "a whole day ends at the session end"),
    ("2026-03-02T07:00", "0.5", "2026-03-02T11:00", "half a day is 4 hours"),
    ("2026-03-02T10:00", "0.5", "2026-03-02T16:00", "half a day across the lunch break"),
    ("2026-03-06T09:00", "1", "2026-03-09T09:00", "an ordinary weekend"),
    ("2026-03-07T10:00", "1", "2026-03-09T17:00", "received on a Saturday"),
    ("2026-08-22T16:00", "1", "2026-08-24T17:00", "after the cut-off on a worked Saturday"),
    ("2026-11-23T09:00", "1", "2026-11-25T09:00", "Vietnam Culture Day Tue 24/11/2026"),
]


@pytest.mark.parametrize(("start", "amount", "expected", "why"), WORKING_DAY_TABLE)
def test_working_days_fall_due_as_worked_out_by_hand(
    start: str, amount: str, expected: str, why: str
) -> None:
    """Working days skip weekends, holidays and substituted days, count swapped Saturdays, and
    count from the effective start."""
    result = due(aware(start), Decimal(amount), Unit.WORKING_DAYS, NATIONAL)
    assert result.due_at == aware(expected), why


def test_the_issue_example_is_due_on_27_february_2026_at_nine() -> None:
    """The required check: Friday before Tết 2026, 5 working days."""
    result = due(aware("2026-02-13T09:00"), Decimal(5), "working_days", NATIONAL)
    assert result.due_at.isoformat() == "2026-02-27T09:00:00+07:00"
    assert result.effective_start.isoformat() == "2026-02-13T09:00:00+07:00"


WORKING_HOUR_TABLE = [
    ("2026-03-02T10:00", "3", "2026-03-02T15:00", "1.5 h before lunch, 1.5 h after"),
    ("2026-03-02T07:00", "8", "2026-03-02T17:00", "a full day"),
    ("2026-03-02T07:00", "4.5", "2026-03-02T11:30", "the morning: due at its end, not 13:30"),
    ("2026-03-02T07:00", "4.75", "2026-03-02T13:45", "just past the morning"),
    ("2026-03-04T14:59", "1", "2026-03-04T15:59", "one minute before the cut-off"),
    ("2026-03-04T15:00", "1", "2026-03-05T08:00", "at the cut-off: next morning"),
    ("2026-03-04T06:30", "1", "2026-03-04T08:00", "before opening: counts from 07:00"),
    ("2026-03-04T12:00", "1", "2026-03-04T14:30", "in the lunch break: counts from 13:30"),
    ("2026-03-04T11:30", "1", "2026-03-04T14:30", "at the end of the morning: lunch break"),
    ("2026-02-13T16:00", "2", "2026-02-23T09:00", "after the cut-off before Tết 2026"),
    ("2026-03-06T13:30", "0", "2026-03-06T13:30", "nothing to count: the effective start"),
]


@pytest.mark.parametrize(("start", "amount", "expected", "why"), WORKING_HOUR_TABLE)
def test_working_hours_fall_due_as_worked_out_by_hand(
    start: str, amount: str, expected: str, why: str
) -> None:
    """Working hours count only the two sessions of working days."""
    result = due(aware(start), Decimal(amount), Unit.WORKING_HOURS, NATIONAL)
    assert result.due_at == aware(expected), why


CALENDAR_DAY_TABLE = [
    ("2026-03-02T09:00", "4", "2026-03-06T09:00", "Friday: no move"),
    ("2026-03-02T09:00", "5", "2026-03-09T07:00", "Saturday: moved to Monday's opening"),
    ("2026-03-02T15:30", "4", "2026-03-09T07:00", "cut-off: Tue 3/3 + 4 = Sat 7/3 → Mon"),
    ("2026-02-13T09:00", "3", "2026-02-23T07:00", "Mon 16/2 is Tết 2026 eve → Mon 23/2"),
    ("2025-04-23T09:00", "3", "2025-04-26T09:00", "Sat 26/4/2025 is worked: no move"),
    ("2025-04-29T09:00", "3", "2025-05-05T07:00", "Fri 2/5/2025 is off (swapped)"),
    ("2026-08-21T09:00", "10", "2026-09-03T07:00", "Mon 31/8/2026 off, then 1/9–2/9"),
    ("2026-03-02T09:00", "0", "2026-03-02T09:00", "zero days: the effective start"),
    ("2026-03-02T09:00", "0.25", "2026-03-02T15:00", "six hours later, in the afternoon"),
    ("2026-03-02T11:00", "0.25", "2026-03-02T17:00", "a session end is a working instant"),
    ("2026-03-02T09:00", "0.125", "2026-03-02T13:30", "lunch break: moved to 13:30"),
    ("2026-03-02T11:00", "0.5", "2026-03-03T07:00", "23:00: moved to the next opening"),
]


@pytest.mark.parametrize(("start", "amount", "expected", "why"), CALENDAR_DAY_TABLE)
def test_calendar_days_never_fall_due_on_a_day_off(
    start: str, amount: str, expected: str, why: str
) -> None:
    """Calendar days count every day, then move a deadline off a non-working day."""
    result = due(aware(start), Decimal(amount), Unit.CALENDAR_DAYS, NATIONAL)
    assert result.due_at == aware(expected), why


def test_calendar_days_moved_off_a_holiday_are_explained() -> None:
    """The move names the holiday it avoided and lists the days skipped after it."""
    result = due(aware("2026-02-13T09:00"), 3, Unit.CALENDAR_DAYS, NATIONAL)
    moved = [item for item in result.explanation if item.kind == Step.MOVED]
    assert len(moved) == 1
    assert moved[0].date == dt.date(2026, 2, 16)
    assert "Giao thừa Tết Nguyên Đán" in moved[0].reason_vi
    assert "Lunar New Year's Eve" in moved[0].reason_en
    assert moved[0].end == aware("2026-02-23T07:00")
    skipped = [item.date.day for item in result.explanation if item.kind == Step.SKIPPED]
    assert skipped == [17, 18, 19, 20, 21, 22]


HALF_DAY_TABLE = [
    # Friday 6/3/2026 made a half day; start Thursday 5/3 09:00.
    ("morning_only", "1", "2026-03-06T09:00", "Thu 6 h, Fri morning 2 h"),
    ("morning_only", "2", "2026-03-09T14:30", "Thu 6 h, Fri 4.5 h, Mon 4.5 h + 1 h"),
    ("afternoon_only", "1", "2026-03-06T15:30", "Thu 6 h, Fri 13:30 + 2 h"),
    ("afternoon_only", "2", "2026-03-09T15:30", "Thu 6 h, Fri 3.5 h, Mon 4.5 h + 2 h"),
    ("day_off", "1", "2026-03-09T09:00", "Thu 6 h, Fri off, Mon 2 h"),
]


@pytest.mark.parametrize(("kind", "amount", "expected", "why"), HALF_DAY_TABLE)
def test_overridden_days_count_only_their_sessions(
    kind: str, amount: str, expected: str, why: str
) -> None:
    """Half days count one session; an extra day off counts none."""
    spec = with_overrides(d2026_03_06=(kind, "Ngày hội của tỉnh"))
    result = due(aware("2026-03-05T09:00"), Decimal(amount), Unit.WORKING_DAYS, spec)
    assert result.due_at == aware(expected), why


def test_an_extra_working_day_counts_a_saturday() -> None:
    """A province that works Saturday 7/3/2026 counts it like a weekday."""
    spec = with_overrides(d2026_03_07=("working_day", "Làm bù"))
    result = due(aware("2026-03-06T09:00"), 1, Unit.WORKING_DAYS, spec)
    assert result.due_at == aware("2026-03-07T09:00")
    counted = [item for item in result.explanation if item.kind == Step.COUNTED]
    assert counted[-1].day_kind == DayKind.OVERRIDE_WORKING_DAY
    assert "Làm bù" in counted[-1].reason_vi


def test_an_override_wins_over_a_public_holiday() -> None:
    """A province may work on a national day off (Mon 31/8/2026, swapped nationally)."""
    spec = with_overrides(d2026_08_31=("working_day", "Tỉnh làm việc"))
    result = due(aware("2026-08-28T09:00"), 1, Unit.WORKING_DAYS, spec)
    assert result.due_at == aware("2026-08-31T09:00")


def test_receipts_on_half_days_start_at_the_half_days_session() -> None:
    """Before an afternoon-only day's session the clock starts at 13:30; after a morning-only
    day's session it starts at the next working day's opening."""
    afternoon = with_overrides(d2026_03_06=("afternoon_only", "Họp"))
    assert effective_start(aware("2026-03-06T08:00"), afternoon) == aware("2026-03-06T13:30")
    morning = with_overrides(d2026_03_06=("morning_only", "Họp"))
    assert effective_start(aware("2026-03-06T12:00"), morning) == aware("2026-03-09T07:00")


EFFECTIVE_START_TABLE = [
    ("2026-03-04T09:00", "2026-03-04T09:00", "in the morning session"),
    ("2026-03-04T06:59", "2026-03-04T07:00", "before opening"),
    ("2026-03-04T11:30", "2026-03-04T13:30", "lunch break begins"),
    ("2026-03-04T13:29", "2026-03-04T13:30", "lunch break ends"),
    ("2026-03-04T14:59", "2026-03-04T14:59", "one minute before the cut-off"),
    ("2026-03-04T15:00", "2026-03-05T07:00", "at the cut-off"),
    ("2026-03-04T18:00", "2026-03-05T07:00", "evening"),
    ("2026-03-06T15:00", "2026-03-09T07:00", "Friday at the cut-off: Monday"),
    ("2026-03-07T10:00", "2026-03-09T07:00", "Saturday"),
    ("2026-02-13T15:00", "2026-02-23T07:00", "Friday before Tết 2026 at the cut-off"),
    ("2025-04-25T15:30", "2025-04-26T07:00", "Friday 25/4/2025: the next working day is Saturday"),
]


@pytest.mark.parametrize(("received", "expected", "why"), EFFECTIVE_START_TABLE)
def test_the_clock_starts_by_the_intake_rule(received: str, expected: str, why: str) -> None:
    """Decree 118/2025 art. 21: cut-off, office hours, lunch break and days off."""
    assert effective_start(aware(received), NATIONAL) == aware(expected), why


def test_the_cut_off_is_a_calendar_setting() -> None:
    """With a 16:00 cut-off a 15:30 receipt counts the same day; with a 17:30 cut-off a 17:10
    receipt is outside office hours and still waits for the next morning."""
    late = CalendarSpec(intake_cutoff=dt.time(16))
    assert effective_start(aware("2026-03-04T15:30"), late) == aware("2026-03-04T15:30")
    later = CalendarSpec(intake_cutoff=dt.time(17, 30))
    start = due(aware("2026-03-04T17:10"), 1, Unit.WORKING_HOURS, later)
    assert start.effective_start == aware("2026-03-05T07:00")
    assert "outside office hours" in start.explanation[0].reason_en


def test_other_sessions_change_the_length_of_a_working_day() -> None:
    """Sessions 07:30–11:30 and 13:30–16:30 make a 7-hour day, and half a day is 3.5 hours."""
    short = CalendarSpec(
        morning=(dt.time(7, 30), dt.time(11, 30)), afternoon=(dt.time(13, 30), dt.time(16, 30))
    )
    assert short.working_day == dt.timedelta(hours=7)
    result = due(aware("2026-03-02T07:30"), 1, Unit.WORKING_DAYS, short)
    assert result.due_at == aware("2026-03-02T16:30")
    result = due(aware("2026-03-02T07:30"), Decimal("0.5"), Unit.WORKING_DAYS, short)
    assert result.due_at == aware("2026-03-02T11:00")


def test_the_explanation_names_each_skipped_day_and_counts_hours() -> None:
    """For the Tết 2026 example: 6 h counted on Friday, each weekend day and each Tết day
    skipped with its name, 8 h on the four working days, 2 h on the last."""
    result = due(aware("2026-02-13T09:00"), 5, Unit.WORKING_DAYS, NATIONAL)
    lines = [(item.date.isoformat(), str(item.kind), item.hours) for item in result.explanation]
    assert lines == [
        ("2026-02-13", "counted", Decimal(6)),
        ("2026-02-14", "skipped", Decimal(0)),
        ("2026-02-15", "skipped", Decimal(0)),
        ("2026-02-16", "skipped", Decimal(0)),
        ("2026-02-17", "skipped", Decimal(0)),
        ("2026-02-18", "skipped", Decimal(0)),
        ("2026-02-19", "skipped", Decimal(0)),
        ("2026-02-20", "skipped", Decimal(0)),
        ("2026-02-21", "skipped", Decimal(0)),
        ("2026-02-22", "skipped", Decimal(0)),
        ("2026-02-23", "counted", Decimal(8)),
        ("2026-02-24", "counted", Decimal(8)),
        ("2026-02-25", "counted", Decimal(8)),
        ("2026-02-26", "counted", Decimal(8)),
        ("2026-02-27", "counted", Decimal(2)),
    ]
    by_date = {item.date: item for item in result.explanation}
    assert by_date[dt.date(2026, 2, 14)].reason_en == "Weekend (Saturday)"
    assert by_date[dt.date(2026, 2, 14)].reason_vi == "Nghỉ cuối tuần (Thứ Bảy)"
    assert "Tết Nguyên Đán" in by_date[dt.date(2026, 2, 17)].reason_vi
    assert "Lunar New Year" in by_date[dt.date(2026, 2, 17)].reason_en
    assert by_date[dt.date(2026, 2, 27)].start == aware("2026-02-27T07:00")
    assert by_date[dt.date(2026, 2, 27)].end == aware("2026-02-27T09:00")


def test_the_explanation_says_why_the_start_moved() -> None:
    """A receipt at 15:00 is explained as at or after the cut-off, in both languages."""
    result = due(aware("2026-02-13T15:00"), 1, Unit.WORKING_DAYS, NATIONAL)
    first = result.explanation[0]
    assert first.kind == Step.START_MOVED
    assert first.start == aware("2026-02-13T15:00")
    assert first.end == aware("2026-02-23T07:00")
    assert "cut-off" in first.reason_en
    assert "từ 15:00 trở đi" in first.reason_vi


def test_the_explanation_names_substituted_and_swapped_days() -> None:
    """Friday 2/5/2025 is off in exchange for Saturday 26/4/2025, and both say so."""
    result = due(aware("2025-04-25T09:00"), 5, Unit.WORKING_DAYS, NATIONAL)
    by_date = {item.date: item for item in result.explanation}
    assert by_date[dt.date(2025, 4, 26)].kind == Step.COUNTED
    assert by_date[dt.date(2025, 4, 26)].day_kind == DayKind.SWAPPED_WORKING_DAY
    assert "02/05/2025" in by_date[dt.date(2025, 4, 26)].reason_vi
    assert by_date[dt.date(2025, 5, 2)].kind == Step.SKIPPED
    assert "thay cho ngày 26/04/2025" in by_date[dt.date(2025, 5, 2)].reason_vi
    assert "Hung Kings" not in by_date[dt.date(2025, 5, 2)].reason_en
    assert result.due_at == aware("2025-05-06T09:00")


def test_the_explanation_names_the_calendar_of_an_override() -> None:
    """An override's item carries its reason and the calendar that set it."""
    spec = with_overrides(d2026_03_06=("day_off", "Bầu cử"))
    result = due(aware("2026-03-05T09:00"), 1, Unit.WORKING_DAYS, spec)
    skipped = next(item for item in result.explanation if item.kind == Step.SKIPPED)
    assert skipped.date == dt.date(2026, 3, 6)
    assert skipped.source == "HCM"
    assert "Bầu cử" in skipped.reason_vi
    assert "HCM" in skipped.reason_en


def test_the_explanation_is_plain_json() -> None:
    """``as_dict`` gives strings and numbers the API and the command print as they are."""
    body = due(aware("2026-02-13T09:00"), 5, Unit.WORKING_DAYS, NATIONAL).as_dict()
    assert body["due_at"] == "2026-02-27T09:00:00+07:00"
    assert body["amount"] == "5"
    assert body["explanation"][0] == {
        "date": "2026-02-13",
        "kind": "counted",
        "day_kind": "working",
        "reason_vi": "Ngày làm việc: tính 6 giờ làm việc (09:00–17:00)",
        "reason_en": "Working day: 6 working hours counted (09:00–17:00)",
        "hours": 6.0,
        "from": "2026-02-13T09:00:00+07:00",
        "to": "2026-02-13T17:00:00+07:00",
        "source": "",
    }


def test_days_are_classified_with_their_reason() -> None:
    """Weekend, holiday, swapped Saturday and ordinary day, with sessions."""
    assert day_info(dt.date(2026, 2, 17), NATIONAL).kind == DayKind.HOLIDAY
    assert day_info(dt.date(2026, 3, 7), NATIONAL).kind == DayKind.WEEKEND
    assert day_info(dt.date(2026, 8, 22), NATIONAL).kind == DayKind.SWAPPED_WORKING_DAY
    assert day_info(dt.date(2026, 3, 4), NATIONAL).kind == DayKind.WORKING
    assert is_working_day(dt.date(2025, 4, 26), NATIONAL)
    assert not is_working_day(dt.date(2025, 5, 2), NATIONAL)
    assert sessions_on(dt.date(2026, 3, 4), NATIONAL) == (MORNING, AFTERNOON)
    assert sessions_on(dt.date(2026, 2, 17), NATIONAL) == ()
    half = with_overrides(d2026_03_04=("morning_only", "x"))
    assert sessions_on(dt.date(2026, 3, 4), half) == (MORNING,)
    hung_kings = day_info(dt.date(2025, 4, 7), NATIONAL)
    assert hung_kings.reason_vi == "Nghỉ lễ, Tết: Ngày Giỗ Tổ Hùng Vương"
    assert hung_kings.reason_en == "Public holiday: Hung Kings' Commemoration Day"


def test_a_calendar_without_a_holiday_country_only_skips_weekends() -> None:
    """With no holiday country Tết is an ordinary working week."""
    bare = CalendarSpec(holiday_country="")
    assert due(aware("2026-02-13T09:00"), 5, Unit.WORKING_DAYS, bare).due_at == aware(
        "2026-02-20T09:00"
    )


def test_notable_days_list_holidays_overrides_and_swaps_but_not_weekends() -> None:
    """The admin's list of the year's special days."""
    days = notable_days(dt.date(2026, 8, 20), dt.date(2026, 9, 5), NATIONAL)
    assert [(d.date.day, d.kind) for d in days] == [
        (22, DayKind.SWAPPED_WORKING_DAY),
        (31, DayKind.HOLIDAY),
        (1, DayKind.HOLIDAY),
        (2, DayKind.HOLIDAY),
    ]


WORKING_TIME_TABLE = [
    ("2026-02-13T09:00", "2026-02-23T09:00", 8, "Fri 6 h, Tết week, Mon 2 h"),
    ("2026-03-04T10:00", "2026-03-04T14:00", 2, "1.5 h + 0.5 h around lunch"),
    ("2026-03-04T12:00", "2026-03-04T13:00", 0, "inside the lunch break"),
    ("2026-03-06T16:00", "2026-03-09T08:00", 2, "across a weekend"),
    ("2026-03-04T18:00", "2026-03-04T20:00", 0, "in the evening"),
    ("2026-03-04T09:00", "2026-03-04T09:00", 0, "an empty interval"),
]


@pytest.mark.parametrize(("a", "b", "hours", "why"), WORKING_TIME_TABLE)
def test_working_time_between_counts_only_sessions(a: str, b: str, hours: int, why: str) -> None:
    """Only the working sessions of working days count."""
    assert working_time_between(aware(a), aware(b), NATIONAL) == dt.timedelta(hours=hours), why


def test_working_time_between_is_negative_backwards() -> None:
    """Swapping the instants changes the sign."""
    a, b = aware("2026-03-04T10:00"), aware("2026-03-04T14:00")
    assert working_time_between(b, a, NATIONAL) == -dt.timedelta(hours=2)


def test_a_pause_adds_its_working_time_to_the_due_instant() -> None:
    """Paused Mon 2/3/2026 15:00 to Wed 4/3 10:00 (2 h + 8 h + 3 h = 13 h of working time): a
    due instant of Thu 5/3 09:00 moves by 13 working hours (Thu 6 h, Fri 4.5 h + 2.5 h) to
    Fri 6/3 16:00."""
    paused = working_time_between(aware("2026-03-02T15:00"), aware("2026-03-04T10:00"), NATIONAL)
    assert paused == dt.timedelta(hours=13)
    assert add_working_time(aware("2026-03-05T09:00"), paused, NATIONAL) == aware(
        "2026-03-06T16:00"
    )


def test_intake_false_counts_from_the_instant_given() -> None:
    """A step that ends at 15:30 hands over at 15:30: the next step's hours count from there."""
    result = due(aware("2026-03-04T15:30"), 1, Unit.WORKING_HOURS, NATIONAL, intake=False)
    assert result.due_at == aware("2026-03-04T16:30")
    assert result.explanation[0].kind == Step.COUNTED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((dt.datetime(2026, 3, 4, 9), 1, "working_days"), "aware"),  # noqa: DTZ001
        ((aware("2026-03-04T09:00"), -1, "working_days"), ">= 0"),
        ((aware("2026-03-04T09:00"), Decimal("NaN"), "working_days"), "finite"),
        ((aware("2026-03-04T09:00"), 1, "weeks"), "weeks"),
    ],
)
def test_bad_input_is_refused_clearly(args: tuple[dt.datetime, int, str], message: str) -> None:
    """Naive datetimes, negative or infinite amounts and unknown units raise ValueError."""
    with pytest.raises(ValueError, match=message):
        due(*args, spec=NATIONAL)


def test_a_spec_refuses_sessions_out_of_order_and_unknown_zones() -> None:
    """The spec checks itself when built."""
    with pytest.raises(ValueError, match="sessions"):
        CalendarSpec(morning=(dt.time(11), dt.time(7)))
    with pytest.raises(ValueError, match="time zone"):
        CalendarSpec(time_zone="Asia/Nowhere")


def test_specs_compare_and_hash_by_value() -> None:
    """Two specs with the same settings and overrides are equal, so callers can cache on them."""
    one = with_overrides(d2026_03_06=("day_off", "x"))
    two = with_overrides(d2026_03_06=("day_off", "x"))
    assert one == two
    assert hash(one) == hash(two)
    assert one != NATIONAL


def test_recompute_reports_the_new_due_date_and_the_dates_that_changed() -> None:
    """A day off announced late for Wed 4/3/2026 moves a 2-day deadline from Wed 17:00 to
    Thu 17:00 and names 4/3 as the changed date."""
    new = with_overrides(d2026_03_04=("day_off", "Công bố muộn"))
    change = recompute(aware("2026-03-03T07:00"), 2, Unit.WORKING_DAYS, NATIONAL, new)
    assert change.before.due_at == aware("2026-03-04T17:00")
    assert change.after.due_at == aware("2026-03-05T17:00")
    assert change.moved
    assert change.changed_dates == (dt.date(2026, 3, 4),)
    assert change.changed_days[0].after.kind == DayKind.OVERRIDE_DAY_OFF
    assert change.changed_days[0].before.kind == DayKind.WORKING


def test_recompute_outside_the_span_changes_nothing() -> None:
    """A day off after the due date does not move it and is not reported."""
    new = with_overrides(d2026_03_20=("day_off", "Sau hạn"))
    change = recompute(aware("2026-03-03T07:00"), 2, Unit.WORKING_DAYS, NATIONAL, new)
    assert not change.moved
    assert change.changed_dates == ()


def test_a_different_time_zone_counts_in_its_own_wall_clock() -> None:
    """A receipt given in UTC is read in the calendar's zone: 02:00Z is 09:00 in Hà Nội."""
    received = dt.datetime(2026, 2, 13, 2, 0, tzinfo=dt.UTC)
    result = due(received, 5, Unit.WORKING_DAYS, NATIONAL)
    assert result.due_at.isoformat() == "2026-02-27T09:00:00+07:00"
