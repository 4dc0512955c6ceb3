"""Changes to working calendars on behalf of a user: the permission check, then the clock's write.

The calendars (``motcua.workdays``) know no users. Who may change one depends on the agencies
that count on it (``permissions.can_manage_calendar``: system administrators, or the agency
administrator of every agency using it), which this layer knows; so the admin and the agency
administrator's screens call these functions, which lock the calendar, check the actor and call
``workdays.services`` in the same transaction. ``actor=None`` is the system itself (the
operator's commands, demo data): not checked.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts import permissions
from motcua.accounts.models import User
from motcua.errors import Refused
from motcua.workdays import services
from motcua.workdays.models import Calendar, CalendarOverride

SETTING_FIELDS = services.SETTING_FIELDS
OverrideChange = services.OverrideChange


def check_may_manage(actor: User | None, calendar: Calendar, parent_id: int | None) -> None:
    """Refuse unless the actor may change ``calendar`` when its parent is ``parent_id``."""
    if actor is None:
        return
    if not permissions.can_manage_calendar(actor, calendar.pk, parent_id):
        raise Refused(
            _("You may not change the working calendar %(code)s.") % {"code": calendar.code},
            code="calendar_not_managed",
        )


@transaction.atomic
def create_calendar(
    *,
    actor: User | None,
    now: dt.datetime | None = None,
    code: str,
    name: str,
    reason: str = "",
    **settings: Any,
) -> Calendar:
    """Create a calendar. Only a system administrator may: no agency uses it yet."""
    if actor is not None and not permissions.is_system_admin(actor):
        raise Refused(
            _("Only a system administrator may create a working calendar."),
            code="system_admin_only",
        )
    return services.create_calendar(
        actor=actor, now=now, code=code, name=name, reason=reason, **settings
    )


@transaction.atomic
def change_calendar(
    calendar: Calendar,
    *,
    actor: User | None,
    now: dt.datetime | None = None,
    reason: str = "",
    **changes: Any,
) -> Calendar:
    """``services.change_calendar`` for an actor who may change the calendar as it is and, when
    the parent changes, with its new parent: only a system administrator may detach a calendar
    from the national one (``can_manage_calendar`` refuses others a root calendar)."""
    locked = _lock(calendar.pk)
    check_may_manage(actor, locked, locked.parent_id)
    if "parent" in changes:
        parent = changes["parent"]
        parent_id = parent.pk if parent is not None else None
        if parent_id != locked.parent_id:
            check_may_manage(actor, locked, parent_id)
    return services.change_calendar(locked, actor=actor, now=now, reason=reason, **changes)


@transaction.atomic
def add_override(
    calendar: Calendar,
    *,
    actor: User | None,
    now: dt.datetime | None = None,
    date: dt.date,
    kind: str,
    reason: str,
    legal_basis: str = "",
) -> services.OverrideChange:
    """``services.add_override`` for an actor who may change ``calendar``."""
    locked = _lock(calendar.pk)
    check_may_manage(actor, locked, locked.parent_id)
    return services.add_override(
        locked, actor=actor, now=now, date=date, kind=kind, reason=reason, legal_basis=legal_basis
    )


@transaction.atomic
def change_override(
    override: CalendarOverride,
    *,
    actor: User | None,
    now: dt.datetime | None = None,
    kind: str | None = None,
    reason: str | None = None,
    legal_basis: str | None = None,
) -> services.OverrideChange:
    """``services.change_override`` for an actor who may change the override's calendar."""
    locked = _lock(override.calendar_id)
    check_may_manage(actor, locked, locked.parent_id)
    return services.change_override(
        override, actor=actor, now=now, kind=kind, reason=reason, legal_basis=legal_basis
    )


@transaction.atomic
def remove_override(
    override: CalendarOverride,
    *,
    actor: User | None,
    now: dt.datetime | None = None,
    reason: str = "",
) -> services.OverrideChange:
    """``services.remove_override`` for an actor who may change the override's calendar."""
    locked = _lock(override.calendar_id)
    check_may_manage(actor, locked, locked.parent_id)
    return services.remove_override(override, actor=actor, now=now, reason=reason)


def _lock(pk: int) -> Calendar:
    """The calendar, locked for the transaction: the check and the write see the same row."""
    return Calendar.objects.select_for_update().get(pk=pk)
