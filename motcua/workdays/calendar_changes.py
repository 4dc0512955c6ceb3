"""What a calendar change sets off in the layers above the clock: an explicit, typed registry.

A change of working days (an override added, changed or removed; sessions, cut-off, time zone,
holidays or parent changed) moves the deadlines of the open dossiers counted on that calendar,
in the transaction that writes the change. The dossier engine sits above the calendars and
imports them, never the other way round, so the engine registers its handler here from
``DossiersConfig.ready`` and ``services`` calls every registered handler. No Django signal:
``registered()`` lists what runs, and each handler's type is checked.
"""

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser

from motcua.workdays.clock import CalendarSpec
from motcua.workdays.models import Calendar


@dataclass(frozen=True)
class CalendarChange:
    """One written change of ``calendar``: ``dates`` whose working sessions changed (``None``
    when any date may count differently, after a change of settings), the calendar's spec from
    before the change, who made it, when and why."""

    calendar: Calendar
    dates: Collection[dt.date] | None
    before: CalendarSpec
    actor: AbstractBaseUser | None
    now: dt.datetime
    reason: str


# A handler returns the codes of the dossiers whose deadlines the change moved.
CalendarChangeHandler = Callable[[CalendarChange], Sequence[str]]

_handlers: list[CalendarChangeHandler] = []


def register(handler: CalendarChangeHandler) -> None:
    """Call ``handler`` on every calendar change from now on (once, however often registered)."""
    if handler not in _handlers:
        _handlers.append(handler)


def registered() -> tuple[CalendarChangeHandler, ...]:
    return tuple(_handlers)


def announce(change: CalendarChange) -> tuple[str, ...]:
    """Run every registered handler in the caller's transaction; the distinct codes of the
    dossiers they moved, in the order they moved them."""
    moved: list[str] = []
    for handler in _handlers:
        moved.extend(handler(change))
    return tuple(dict.fromkeys(moved))
