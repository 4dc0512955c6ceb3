"""The registry through which a calendar change reaches the layers above the clock."""

import datetime as dt

import pytest
from django.db import connection

from motcua.dossiers.reschedule import on_calendar_change
from motcua.workdays import calendar_changes, services
from motcua.workdays.calendar_changes import CalendarChange
from motcua.workdays.calendars import spec_for
from motcua.workdays.tests.factories import day, national, provincial

NOW = dt.datetime(2026, 2, 1, 8, 0, tzinfo=dt.UTC)


def test_the_engine_registers_its_handler_when_the_apps_are_ready() -> None:
    """``DossiersConfig.ready`` registers the rescheduler once: the calendars never import it."""
    assert calendar_changes.registered().count(on_calendar_change) == 1


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> list[tuple[CalendarChange, bool]]:
    """Each change a second handler hears, and whether it heard it inside a transaction."""
    heard: list[tuple[CalendarChange, bool]] = []

    def listener(change: CalendarChange) -> list[str]:
        heard.append((change, connection.in_atomic_block))
        return ["X-1", "X-2", "X-1"]

    monkeypatch.setattr(calendar_changes, "_handlers", [*calendar_changes.registered()])
    calendar_changes.register(listener)
    calendar_changes.register(listener)  # once, however often registered
    return heard


def test_a_change_of_days_is_announced_in_its_transaction(
    db: None, heard: list[tuple[CalendarChange, bool]]
) -> None:
    """The handler hears the calendar, the changed dates, the spec before and why; the codes
    it answers come back once each, in order."""
    hni = provincial("HNI")
    before = spec_for(hni)
    change = services.add_override(
        hni, actor=None, now=NOW, date=day("2026-03-04"), kind="day_off", reason="Bầu cử"
    )
    [(announced, in_transaction)] = heard
    assert in_transaction
    assert (announced.calendar, list(announced.dates or [])) == (hni, [day("2026-03-04")])
    assert (announced.now, announced.reason, announced.actor) == (NOW, "Bầu cử", None)
    assert announced.before == before != spec_for(hni)
    assert change.moved == ("X-1", "X-2")


def test_a_change_of_settings_is_announced_for_every_date(
    db: None, heard: list[tuple[CalendarChange, bool]]
) -> None:
    hni = provincial("HNI")
    services.change_calendar(hni, actor=None, intake_cutoff=dt.time(14, 30))
    [(announced, _)] = heard
    assert announced.dates is None


def test_nothing_is_announced_when_no_date_changed(
    db: None, heard: list[tuple[CalendarChange, bool]]
) -> None:
    """A Sunday made a day off changes no working session: no handler runs."""
    change = services.add_override(
        national(), actor=None, date=day("2026-03-08"), kind="day_off", reason="x"
    )
    assert (change.changed_dates, change.moved, heard) == ([], (), [])
