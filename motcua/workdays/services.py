"""Writes to working calendars. Each function runs in one transaction, locks the calendar and
appends a ``CalendarEvent``; nothing saves calendar models otherwise.

The clock knows no users: whether an actor may change a calendar is decided by the layer that
knows them, ``motcua.accounts.calendars``, which checks and then calls these (the admin and the
agency administrator's screens go through it). ``actor`` is only recorded here; ``actor=None``
is the system itself (migrations, demo data, commands run by the operator).

A change of days returns the dates whose working sessions changed, and is announced, in the same
transaction, to the handlers registered in ``calendar_changes`` (the dossier engine moves the
deadlines that count across them and answers with the codes of the dossiers it moved).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import holidays
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.workdays import calendar_changes
from motcua.workdays.calendars import settings_spec, spec_for
from motcua.workdays.clock import CalendarSpec, changed_days
from motcua.workdays.days import UnknownTimeZone
from motcua.workdays.models import (
    Calendar,
    CalendarEvent,
    CalendarEventAction,
    CalendarOverride,
)

# The settings of a calendar an administrator may change through ``change_calendar``.
SETTING_FIELDS = (
    "name",
    "parent",
    "holiday_country",
    "time_zone",
    "morning_start",
    "morning_end",
    "afternoon_start",
    "afternoon_end",
    "intake_cutoff",
)


@dataclass(frozen=True)
class OverrideChange:
    """The override after a change (``None`` once removed), the dates whose working sessions
    changed for its calendar, and the codes of the open dossiers whose deadlines moved."""

    override: CalendarOverride | None
    changed_dates: list[dt.date]
    moved: tuple[str, ...] = ()


@transaction.atomic
def create_calendar(
    *,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None = None,
    code: str,
    name: str,
    reason: str = "",
    **settings: Any,
) -> Calendar:
    """Create a calendar."""
    unknown = set(settings) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"not calendar settings: {sorted(unknown)}")
    calendar = Calendar(code=code, name=name, **settings)
    _validate(calendar)
    calendar.save()
    CalendarEvent.objects.create(
        calendar=calendar,
        action=CalendarEventAction.CREATED,
        actor_id=_actor_id(actor),
        at=now or timezone.now(),
        reason=reason,
        data={"settings": _settings_of(calendar)},
    )
    return calendar


@transaction.atomic
def change_calendar(
    calendar: Calendar,
    *,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None = None,
    reason: str = "",
    **changes: Any,
) -> Calendar:
    """Change a calendar's name, parent, holiday country, time zone, sessions or intake cut-off.
    Nothing is recorded when nothing changes."""
    unknown = set(changes) - set(SETTING_FIELDS)
    if unknown:
        raise ValueError(f"not calendar settings: {sorted(unknown)}")
    locked = Calendar.objects.select_for_update().get(pk=calendar.pk)
    before = _settings_of(locked)
    before_spec = spec_for(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    after = _settings_of(locked)
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if not changed:
        return locked
    _validate(locked)
    fields = [f for f in SETTING_FIELDS if f in changes]
    locked.save(update_fields=[*fields, "updated_at"])
    CalendarEvent.objects.create(
        calendar=locked,
        action=CalendarEventAction.SETTINGS_CHANGED,
        actor_id=_actor_id(actor),
        at=now or timezone.now(),
        reason=reason,
        data={"changes": changed},
    )
    if set(changed) - {"name"}:
        # Sessions, cut-off, time zone, holidays or parent: any date may count differently.
        _reschedule(locked, None, before_spec, actor=actor, now=now, reason=reason)
    return locked


@transaction.atomic
def add_override(
    calendar: Calendar,
    *,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None = None,
    date: dt.date,
    kind: str,
    reason: str,
    legal_basis: str = "",
) -> OverrideChange:
    """Make ``date`` an extra day off, an extra working day or a half day on ``calendar``."""
    locked = Calendar.objects.select_for_update().get(pk=calendar.pk)
    if CalendarOverride.objects.filter(calendar=locked, date=date).exists():
        raise ValidationError(
            _("The calendar %(code)s already has an override on %(date)s; change that one."),
            code="duplicate_override",
            params={"code": locked.code, "date": date.isoformat()},
        )
    before = spec_for(locked)
    override = CalendarOverride(
        calendar=locked, date=date, kind=kind, reason=reason, legal_basis=legal_basis
    )
    override.full_clean()
    override.save()
    dates = _changed_dates(before, locked, date)
    _record(locked, CalendarEventAction.OVERRIDE_ADDED, actor, now, reason, override, None, dates)
    moved = _reschedule(locked, dates, before, actor=actor, now=now, reason=reason)
    return OverrideChange(override, dates, moved)


@transaction.atomic
def change_override(
    override: CalendarOverride,
    *,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None = None,
    kind: str | None = None,
    reason: str | None = None,
    legal_basis: str | None = None,
) -> OverrideChange:
    """Change what an override makes of its date, or why. The date itself is not changed:
    remove the override and add another."""
    locked_calendar = Calendar.objects.select_for_update().get(pk=override.calendar_id)
    locked = CalendarOverride.objects.get(pk=override.pk)
    old = _override_data(locked)
    before = spec_for(locked_calendar)
    fields = []
    for field, value in (("kind", kind), ("reason", reason), ("legal_basis", legal_basis)):
        if value is not None and getattr(locked, field) != value:
            setattr(locked, field, value)
            fields.append(field)
    if not fields:
        return OverrideChange(locked, [])
    locked.full_clean()
    locked.save(update_fields=[*fields, "updated_at"])
    dates = _changed_dates(before, locked_calendar, locked.date)
    _record(
        locked_calendar,
        CalendarEventAction.OVERRIDE_CHANGED,
        actor,
        now,
        locked.reason,
        locked,
        old,
        dates,
    )
    moved = _reschedule(locked_calendar, dates, before, actor=actor, now=now, reason=locked.reason)
    return OverrideChange(locked, dates, moved)


@transaction.atomic
def remove_override(
    override: CalendarOverride,
    *,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None = None,
    reason: str = "",
) -> OverrideChange:
    """Remove an override: the date goes back to what the parent calendar and the public
    holidays make of it. The event keeps what it was."""
    locked_calendar = Calendar.objects.select_for_update().get(pk=override.calendar_id)
    locked = CalendarOverride.objects.get(pk=override.pk)
    old = _override_data(locked)
    before = spec_for(locked_calendar)
    day = locked.date
    locked.delete()
    dates = _changed_dates(before, locked_calendar, day)
    _record(
        locked_calendar, CalendarEventAction.OVERRIDE_REMOVED, actor, now, reason, None, old, dates
    )
    moved = _reschedule(locked_calendar, dates, before, actor=actor, now=now, reason=reason)
    return OverrideChange(None, dates, moved)


def _reschedule(
    calendar: Calendar,
    dates: list[dt.date] | None,
    before: CalendarSpec,
    *,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None,
    reason: str,
) -> tuple[str, ...]:
    """Announce the change to the registered handlers in this transaction (the dossier engine
    moves the deadlines of open dossiers that count across the changed dates). ``dates`` is
    ``None`` when any date may have changed. Returns the codes of the dossiers moved."""
    if dates is not None and not dates:
        return ()
    change = calendar_changes.CalendarChange(
        calendar=calendar,
        dates=dates,
        before=before,
        actor=actor,
        now=now or timezone.now(),
        reason=reason,
    )
    return calendar_changes.announce(change)


def _validate(calendar: Calendar) -> None:
    """Model validation plus what the database cannot check: a known time zone and holiday
    country, sessions in order, no cycle of parents."""
    try:
        settings_spec(calendar)
    except UnknownTimeZone as exc:
        message = _("Unknown time zone %(zone)s.") % {"zone": calendar.time_zone}
        raise ValidationError(
            {"time_zone": ValidationError(message, code="unknown_time_zone")}
        ) from exc
    except (ValueError, TypeError) as exc:  # TypeError: a session time is missing
        raise ValidationError(
            _(
                "Office sessions must be in order: the morning starts before it ends, and the "
                "afternoon starts after the morning and before it ends."
            ),
            code="sessions_out_of_order",
        ) from exc
    # After the checks above, whose messages say more than the database constraint's name.
    calendar.full_clean(validate_unique=calendar._state.adding)
    known_countries = holidays.list_supported_countries()
    if calendar.holiday_country and calendar.holiday_country not in known_countries:
        message = _("No public holidays are known for %(country)s.") % {
            "country": calendar.holiday_country
        }
        raise ValidationError(
            {"holiday_country": ValidationError(message, code="unknown_holiday_country")}
        )
    parent = calendar.parent
    seen = {calendar.pk} if calendar.pk else set()
    while parent is not None:
        if parent.pk in seen:
            cycle = _("A calendar cannot be its own ancestor.")
            raise ValidationError({"parent": ValidationError(cycle, code="parent_cycle")})
        seen.add(parent.pk)
        parent = parent.parent


def _settings_of(calendar: Calendar) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in SETTING_FIELDS:
        if field == "parent":
            values[field] = calendar.parent.code if calendar.parent else None
        else:
            value = getattr(calendar, field)
            values[field] = value.isoformat() if isinstance(value, dt.time) else value
    return values


def _override_data(override: CalendarOverride) -> dict[str, str]:
    return {
        "date": override.date.isoformat(),
        "kind": override.kind,
        "reason": override.reason,
        "legal_basis": override.legal_basis,
    }


def _changed_dates(before: CalendarSpec, calendar: Calendar, day: dt.date) -> list[dt.date]:
    return [change.date for change in changed_days(before, spec_for(calendar), day, day)]


def _record(
    calendar: Calendar,
    action: str,
    actor: AbstractBaseUser | None,
    now: dt.datetime | None,
    reason: str,
    new: CalendarOverride | None,
    old: dict[str, str] | None,
    dates: list[dt.date],
) -> None:
    CalendarEvent.objects.create(
        calendar=calendar,
        action=action,
        actor_id=_actor_id(actor),
        at=now or timezone.now(),
        reason=reason[:300],
        data={
            "old": old,
            "new": _override_data(new) if new is not None else None,
            "changed_dates": [d.isoformat() for d in dates],
        },
    )


def _actor_id(actor: AbstractBaseUser | None) -> Any:
    """The user recorded on the event, by key: the clock does not know the accounts' model."""
    return actor.pk if actor is not None else None
