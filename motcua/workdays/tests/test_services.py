"""Calendar services: each change is checked, recorded as an event and reports changed dates.

The writes go through ``accounts.calendars``, which checks the actor and calls
``workdays.services`` (the calendars know no users)."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts import calendars as services
from motcua.errors import refusal_codes
from motcua.testing import Cast, make_agency, make_user
from motcua.workdays.models import Calendar, CalendarEvent, CalendarEventAction, CalendarOverride
from motcua.workdays.tests.factories import day, national, provincial

NOW = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def hni(cast: Cast) -> Calendar:
    """A provincial calendar used only by erin's agency H56.22."""
    calendar = provincial("HNI")
    cast.agency.calendar = calendar
    cast.agency.save(update_fields=["calendar"])
    return calendar


def codes(error: ValidationError) -> set[str | None]:
    """The codes of a ValidationError, whatever the language of its messages."""
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def events(calendar: Calendar) -> list[tuple[str, str | None]]:
    return [
        (event.action, event.actor.username if event.actor else None)
        for event in CalendarEvent.objects.filter(calendar=calendar).order_by("pk")
    ]


def test_a_system_administrator_creates_a_calendar_and_it_is_recorded(cast: Cast) -> None:
    """grace creates HCM; the event holds the settings and who did it when."""
    calendar = services.create_calendar(
        actor=cast.grace,
        now=NOW,
        code="HCM",
        name="Lịch TP HCM",
        parent=national(),
        intake_cutoff=dt.time(16),
        reason="Quyết định 1/QĐ-UBND",
    )
    event = CalendarEvent.objects.get(calendar=calendar)
    assert event.action == CalendarEventAction.CREATED
    assert event.actor == cast.grace
    assert event.at == NOW
    assert event.reason == "Quyết định 1/QĐ-UBND"
    assert event.data["settings"]["intake_cutoff"] == "16:00:00"
    assert event.data["settings"]["parent"] == "VN"


@pytest.mark.parametrize("who", ["erin", "alice", "frank", "oscar"])
def test_only_a_system_administrator_creates_a_calendar(cast: Cast, who: str) -> None:
    """Agency administrators, officers, reform officers and outsiders are refused."""
    with pytest.raises(PermissionDenied):
        services.create_calendar(actor=getattr(cast, who), code="X", name="X")
    assert not Calendar.objects.filter(code="X").exists()


def test_a_superuser_may_change_the_national_calendar(db: None) -> None:
    """is_superuser counts as a system administrator."""
    root = make_user("root", is_superuser=True, is_staff=True)
    change = services.add_override(
        national(), actor=root, date=day("2026-03-04"), kind="day_off", reason="Quốc tang"
    )
    assert change.changed_dates == [day("2026-03-04")]


def test_adding_an_override_returns_the_changed_date_and_appends_an_event(
    cast: Cast, hni: Calendar
) -> None:
    """erin administers every agency on HNI, so she may make Wed 4/3/2026 a day off."""
    change = services.add_override(
        hni,
        actor=cast.erin,
        now=NOW,
        date=day("2026-03-04"),
        kind="day_off",
        reason="Lễ hội đền Hùng",
        legal_basis="CV 12/UBND-VX",
    )
    assert change.override is not None
    assert change.override.kind == "day_off"
    assert change.changed_dates == [day("2026-03-04")]
    event = CalendarEvent.objects.get(calendar=hni, action=CalendarEventAction.OVERRIDE_ADDED)
    assert event.actor == cast.erin
    assert event.reason == "Lễ hội đền Hùng"
    assert event.data == {
        "old": None,
        "new": {
            "date": "2026-03-04",
            "kind": "day_off",
            "reason": "Lễ hội đền Hùng",
            "legal_basis": "CV 12/UBND-VX",
        },
        "changed_dates": ["2026-03-04"],
    }


def test_an_override_that_changes_nothing_reports_no_dates(cast: Cast, hni: Calendar) -> None:
    """A day off on a Sunday, or a working day on a working day, moves no deadline."""
    sunday = services.add_override(
        hni, actor=cast.erin, date=day("2026-03-08"), kind="day_off", reason="x"
    )
    assert sunday.changed_dates == []
    monday = services.add_override(
        hni, actor=cast.erin, date=day("2026-03-09"), kind="working_day", reason="x"
    )
    assert monday.changed_dates == []


def test_changing_an_override_records_old_and_new(cast: Cast, hni: Calendar) -> None:
    """A day off turned into a morning-only day is a change on that date."""
    added = services.add_override(
        hni, actor=cast.erin, date=day("2026-03-04"), kind="day_off", reason="Bầu cử"
    )
    assert added.override is not None
    changed = services.change_override(
        added.override, actor=cast.erin, kind="morning_only", reason="Bầu cử (buổi chiều)"
    )
    assert changed.changed_dates == [day("2026-03-04")]
    assert CalendarOverride.objects.get(calendar=hni).kind == "morning_only"
    event = CalendarEvent.objects.get(calendar=hni, action=CalendarEventAction.OVERRIDE_CHANGED)
    assert event.data["old"]["kind"] == "day_off"
    assert event.data["new"]["kind"] == "morning_only"


def test_changing_only_the_reason_moves_no_date(cast: Cast, hni: Calendar) -> None:
    """Same sessions, new words: recorded, with no changed dates."""
    added = services.add_override(
        hni, actor=cast.erin, date=day("2026-03-04"), kind="day_off", reason="Bầu cử"
    )
    assert added.override is not None
    changed = services.change_override(added.override, actor=cast.erin, reason="Bầu cử QH")
    assert changed.changed_dates == []
    assert events(hni)[-1] == (CalendarEventAction.OVERRIDE_CHANGED, "erin")


def test_removing_an_override_restores_the_day_and_keeps_the_history(
    cast: Cast, hni: Calendar
) -> None:
    """Removing the working-day override of Mon 31/8/2026 gives the national day off back."""
    added = services.add_override(
        hni, actor=cast.erin, date=day("2026-08-31"), kind="working_day", reason="Làm việc"
    )
    assert added.changed_dates == [day("2026-08-31")]
    assert added.override is not None
    removed = services.remove_override(added.override, actor=cast.erin, reason="Nhầm")
    assert removed.override is None
    assert removed.changed_dates == [day("2026-08-31")]
    assert not CalendarOverride.objects.filter(calendar=hni).exists()
    assert events(hni)[-2:] == [
        (CalendarEventAction.OVERRIDE_ADDED, "erin"),
        (CalendarEventAction.OVERRIDE_REMOVED, "erin"),
    ]
    event = CalendarEvent.objects.filter(calendar=hni).last()
    assert event is not None
    assert event.data["old"]["kind"] == "working_day"
    assert event.reason == "Nhầm"


@pytest.mark.parametrize("who", ["alice", "bob", "frank", "henry", "oscar"])
def test_people_who_do_not_administer_the_calendar_are_refused(
    cast: Cast, hni: Calendar, who: str
) -> None:
    """Officers, reform officers, citizens and outsiders cannot change days; nothing is written."""
    with pytest.raises(PermissionDenied) as refused:
        services.add_override(
            hni, actor=getattr(cast, who), date=day("2026-03-04"), kind="day_off", reason="x"
        )
    assert refusal_codes(refused.value) == ["calendar_not_managed"]
    assert not CalendarOverride.objects.exists()
    assert events(hni) == [(CalendarEventAction.CREATED, None)]


def test_an_agency_administrator_cannot_change_the_national_calendar(cast: Cast) -> None:
    """erin's agency uses VN, but VN's days are the whole country's."""
    with pytest.raises(PermissionDenied):
        services.add_override(
            national(), actor=cast.erin, date=day("2026-03-04"), kind="day_off", reason="x"
        )


def test_an_agency_administrator_cannot_change_a_calendar_shared_with_other_agencies(
    cast: Cast, hni: Calendar
) -> None:
    """Once the Justice department (not erin's) also uses HNI, erin may no longer change it."""
    cast.other_agency.calendar = hni
    cast.other_agency.save(update_fields=["calendar"])
    with pytest.raises(PermissionDenied):
        services.add_override(
            hni, actor=cast.erin, date=day("2026-03-04"), kind="day_off", reason="x"
        )
    services.add_override(hni, actor=cast.grace, date=day("2026-03-04"), kind="day_off", reason="x")


def test_a_second_override_on_the_same_date_is_refused(cast: Cast, hni: Calendar) -> None:
    """One override per date: change the existing one instead."""
    services.add_override(hni, actor=cast.erin, date=day("2026-03-04"), kind="day_off", reason="x")
    with pytest.raises(ValidationError) as refused:
        services.add_override(
            hni, actor=cast.erin, date=day("2026-03-04"), kind="morning_only", reason="y"
        )
    assert codes(refused.value) == {"duplicate_override"}


def test_an_override_needs_a_known_kind_and_a_reason(cast: Cast, hni: Calendar) -> None:
    """Model validation runs before anything is written."""
    with pytest.raises(ValidationError):
        services.add_override(
            hni, actor=cast.erin, date=day("2026-03-04"), kind="holiday", reason="x"
        )
    with pytest.raises(ValidationError):
        services.add_override(
            hni, actor=cast.erin, date=day("2026-03-04"), kind="day_off", reason=""
        )
    assert not CalendarOverride.objects.exists()


def test_changing_sessions_records_old_and_new_values(cast: Cast, hni: Calendar) -> None:
    """erin moves HNI's cut-off to 16:00; the event lists exactly what changed."""
    changed = services.change_calendar(
        hni, actor=cast.erin, now=NOW, intake_cutoff=dt.time(16), reason="QĐ 5/QĐ-UBND"
    )
    assert Calendar.objects.get(pk=hni.pk).intake_cutoff == dt.time(16)
    assert changed.intake_cutoff == dt.time(16)
    event = CalendarEvent.objects.get(calendar=hni, action=CalendarEventAction.SETTINGS_CHANGED)
    assert event.data == {"changes": {"intake_cutoff": ["15:00:00", "16:00:00"]}}
    assert event.reason == "QĐ 5/QĐ-UBND"


def test_changing_nothing_records_nothing(cast: Cast, hni: Calendar) -> None:
    """Saving the same values appends no event."""
    services.change_calendar(hni, actor=cast.erin, intake_cutoff=dt.time(15))
    assert events(hni) == [(CalendarEventAction.CREATED, None)]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"morning_end": dt.time(14)}, "sessions_out_of_order"),
        ({"time_zone": "Asia/Atlantis"}, "unknown_time_zone"),
        ({"holiday_country": "ZZ"}, "unknown_holiday_country"),
    ],
)
def test_impossible_settings_are_refused(
    cast: Cast, hni: Calendar, changes: dict[str, Any], code: str
) -> None:
    """Sessions out of order, an unknown time zone or holiday country: nothing is saved."""
    with pytest.raises(ValidationError) as refused:
        services.change_calendar(hni, actor=cast.grace, **changes)
    assert codes(refused.value) == {code}
    assert Calendar.objects.get(pk=hni.pk).morning_end == dt.time(11, 30)


def test_a_calendar_cannot_become_its_own_ancestor(cast: Cast, hni: Calendar) -> None:
    """VN under HNI under VN would be a loop."""
    with pytest.raises(ValidationError) as refused:
        services.change_calendar(national(), actor=cast.grace, parent=hni)
    assert codes(refused.value) == {"parent_cycle"}


def test_an_agency_administrator_cannot_detach_a_calendar_from_the_national_one(
    cast: Cast, hni: Calendar
) -> None:
    """A root calendar is the system administrators' business."""
    with pytest.raises(PermissionDenied):
        services.change_calendar(hni, actor=cast.erin, parent=None)
    assert Calendar.objects.get(pk=hni.pk).parent_id == national().pk


def test_an_unknown_setting_is_a_programming_error(cast: Cast, hni: Calendar) -> None:
    """Only the calendar's settings can be changed through the service."""
    with pytest.raises(ValueError, match="code"):
        services.change_calendar(hni, actor=cast.grace, code="NEW")


def test_the_agency_of_another_calendar_does_not_grant_rights(db: None) -> None:
    """An agency administrator of an agency on VN cannot change a calendar nobody uses."""
    from motcua.accounts.models import Role

    agency = make_agency("H56.30", "UBND xã")
    admin = make_user("zoe", (Role.AGENCY_ADMIN, agency))
    orphan = provincial("ORPHAN")
    with pytest.raises(PermissionDenied):
        services.change_calendar(orphan, actor=admin, name="x")
