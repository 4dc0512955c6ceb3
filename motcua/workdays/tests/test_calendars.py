"""Building the clock's spec from calendar rows, and the national calendar's data migration."""

import datetime as dt

import pytest

from motcua.testing import aware
from motcua.workdays import clock
from motcua.workdays.calendars import get_calendar, spec_for, spec_for_code
from motcua.workdays.clock import DayKind, DayOverride
from motcua.workdays.models import Calendar, CalendarEvent, OverrideKind
from motcua.workdays.services import add_override
from motcua.workdays.tests.factories import day, national, provincial

pytestmark = pytest.mark.django_db


def test_the_national_calendar_exists_with_the_default_sessions() -> None:
    """The data migration creates VN, 07:00–11:30 and 13:30–17:00, cut-off 15:00, and records
    its creation."""
    vn = get_calendar("VN")
    assert vn.name == "Lịch làm việc quốc gia"
    assert vn.parent is None
    assert (vn.morning_start, vn.morning_end) == (dt.time(7), dt.time(11, 30))
    assert (vn.afternoon_start, vn.afternoon_end) == (dt.time(13, 30), dt.time(17))
    assert vn.intake_cutoff == dt.time(15)
    assert vn.holiday_country == "VN"
    assert CalendarEvent.objects.filter(calendar=vn, action="created").count() == 1


def test_the_national_spec_is_the_default_spec() -> None:
    """spec_for(VN) equals the clock's defaults, so the pure tables describe the real calendar."""
    assert spec_for(national()) == clock.CalendarSpec()


def test_an_unknown_code_raises_does_not_exist() -> None:
    """get_calendar refuses a code nobody created."""
    with pytest.raises(Calendar.DoesNotExist):
        get_calendar("NOPE")


def test_a_child_calendar_inherits_its_parents_overrides_and_its_own_win() -> None:
    """VN sets 4/3 off and 5/3 morning only; HNI sets 5/3 off: HNI sees both days off, and
    the reason of each names the calendar that set it and the announcing document."""
    vn = national()
    add_override(vn, actor=None, date=day("2026-03-04"), kind="day_off", reason="Quốc tang")
    add_override(vn, actor=None, date=day("2026-03-05"), kind="morning_only", reason="Họp")
    hni = provincial("HNI")
    add_override(
        hni,
        actor=None,
        date=day("2026-03-05"),
        kind="day_off",
        reason="Lễ hội",
        legal_basis="CV 12/UBND",
    )
    spec = spec_for(hni)
    assert spec.code == "HNI"
    assert spec.overrides[day("2026-03-04")] == (DayOverride.DAY_OFF, "Quốc tang", "VN")
    assert spec.overrides[day("2026-03-05")] == (
        DayOverride.DAY_OFF,
        "Lễ hội (CV 12/UBND)",
        "HNI",
    )
    assert spec_for(vn).overrides[day("2026-03-05")].kind == DayOverride.MORNING_ONLY
    # Tue 3/3 09:00 + 1 day: Tue 6 h, Wed and Thu off in HNI, Fri 2 h.
    result = clock.due(aware("2026-03-03T09:00"), 1, "working_days", spec)
    assert result.due_at == aware("2026-03-06T09:00")
    assert clock.day_info(day("2026-03-05"), spec).kind == DayKind.OVERRIDE_DAY_OFF


def test_a_child_calendar_keeps_its_own_sessions() -> None:
    """Sessions and cut-off are the calendar's own, not the parent's."""
    provincial("SGN", morning_start=dt.time(7, 30), intake_cutoff=dt.time(16))
    spec = spec_for_code("SGN")
    assert spec.morning == (dt.time(7, 30), dt.time(11, 30))
    assert spec.intake_cutoff == dt.time(16)


def test_the_spec_is_built_in_a_fixed_number_of_queries(
    django_assert_num_queries: object,
) -> None:
    """One query per ancestor and one for all their overrides."""
    hni = provincial("HNI")
    add_override(hni, actor=None, date=day("2026-03-05"), kind="day_off", reason="x")
    hni = Calendar.objects.get(code="HNI")
    with django_assert_num_queries(2):  # type: ignore[operator]
        spec_for(hni)


def test_override_kinds_are_the_clocks_kinds() -> None:
    """The model's choices and the clock's enum hold the same values."""
    assert {kind.value for kind in OverrideKind} == {kind.value for kind in DayOverride}
