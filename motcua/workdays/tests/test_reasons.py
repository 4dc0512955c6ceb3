"""The clock's explanations are translated like every other message: English message ids, the
Vietnamese from the catalogue, values (dates, hours, weekdays, holiday names) in the language the
reason is read in."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from motcua.testing import aware
from motcua.workdays import reasons
from motcua.workdays.clock import CalendarSpec, Step, day_info, due

NATIONAL = CalendarSpec()
SATURDAY = dt.date(2026, 2, 14)
MOVED = aware("2026-02-23 07:00")


def test_an_explanation_comes_out_in_the_active_language() -> None:
    """Received on Friday 13/2/2026 after the cut-off: the clock starts after Tết, Monday 23/2."""
    result = due(aware("2026-02-13 16:00"), 1, "working_days", NATIONAL)
    start_moved, saturday, *_, counted = result.explanation
    assert start_moved.kind == Step.START_MOVED
    with translation.override("vi"):
        assert start_moved.reason.text() == (
            "Tiếp nhận lúc 16:00, từ 15:00 trở đi: tính từ đầu giờ ngày làm việc tiếp theo "
            "(23/02/2026 07:00)"
        )
        assert saturday.reason.text() == "Nghỉ cuối tuần (Thứ Bảy)"
        assert counted.reason.text() == "Ngày làm việc: tính 8 giờ làm việc (07:00–17:00)"
    with translation.override("en"):
        assert start_moved.reason.text() == (
            "Received at 16:00, at or after the 15:00 cut-off: the clock starts at the next "
            "working day's opening (2026-02-23 07:00)"
        )
        assert saturday.reason.text() == "Weekend (Saturday)"
        assert counted.reason.text() == "Working day: 8 working hours counted (07:00–17:00)"


def test_both_languages_are_at_hand_whatever_the_active_one() -> None:
    """The API and the ``due`` command show both; reading one leaves the active language."""
    holiday = day_info(dt.date(2026, 2, 17), NATIONAL)
    with translation.override("en"):
        assert holiday.reason_vi == "Nghỉ lễ, Tết: Tết Nguyên Đán"
        assert holiday.reason_en == "Public holiday: Lunar New Year"
        assert translation.get_language() == "en"


def test_hours_and_dates_are_written_the_way_each_language_writes_them() -> None:
    reason = reasons.counted(reasons.working_day(), Decimal("2.5"), "09:00–11:30")
    assert reason.vi == "Ngày làm việc: tính 2,5 giờ làm việc (09:00–11:30)"
    assert reason.en == "Working day: 2.5 working hours counted (09:00–11:30)"
    swapped = reasons.swapped_working_day(dt.date(2025, 4, 26), dt.date(2025, 5, 2))
    assert swapped.vi == "Thứ Bảy làm việc bù cho ngày nghỉ 02/05/2025"
    assert swapped.en == "Swapped working Saturday, in exchange for the day off on 2025-05-02"


def test_every_clock_message_has_its_vietnamese_translation() -> None:
    """A message added to ``reasons.py`` without a translation in the catalogue fails here."""
    day = reasons.weekend(SATURDAY)
    every = [
        *(reasons.weekday(SATURDAY + dt.timedelta(days=n)) for n in range(7)),
        reasons.working_day(),
        day,
        reasons.public_holiday(reasons.Named("Tết Nguyên Đán", "Lunar New Year")),
        reasons.swapped_working_day(SATURDAY, None),
        reasons.swapped_working_day(SATURDAY, dt.date(2026, 2, 20)),
        reasons.override_day_off("H56", "storm"),
        reasons.override_working_day("H56", "storm"),
        reasons.override_morning_only("H56", "storm"),
        reasons.override_afternoon_only("H56", "storm"),
        reasons.received_before_opening("07:00"),
        reasons.received_in_lunch_break("13:30"),
        reasons.received_on_day_off(day, MOVED),
        reasons.received_after_cutoff("16:00", "15:00", MOVED),
        reasons.received_after_hours("17:10", MOVED),
        reasons.counted(day, Decimal(1), "07:00–08:00"),
        reasons.deadline_moved_same_day("06:00", "07:00"),
        reasons.deadline_after_hours("18:00", MOVED),
        reasons.deadline_on_day_off(day, MOVED),
    ]
    untranslated = [reason.en for reason in every if reason.vi == reason.en]
    assert untranslated == []


def test_a_reason_compares_and_hashes_the_same_in_every_language() -> None:
    """Days and explanation items hold reasons: their equality must not follow the language."""
    with translation.override("vi"):
        in_vietnamese = reasons.weekend(SATURDAY)
        vietnamese_hash = hash(in_vietnamese)
    with translation.override("en"):
        assert hash(in_vietnamese) == vietnamese_hash
        assert in_vietnamese == reasons.weekend(SATURDAY)
        assert in_vietnamese != reasons.weekend(SATURDAY + dt.timedelta(days=1))
        assert reasons.working_day() != reasons.weekday(SATURDAY)
