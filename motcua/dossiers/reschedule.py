"""Moving open dossiers' deadlines when a working calendar changes.

``DossiersConfig.ready`` registers ``on_calendar_change`` with ``workdays.calendar_changes``;
``workdays.services`` announces every change of a calendar to it inside the transaction that
writes the change (an override added, changed or removed; sessions, cut-off, time zone,
holidays or parent changed), with the calendar's spec from before the change and the dates
whose sessions changed. No signal: an explicit, typed registry, and the calendars never import
the engine.

Which deadlines move. Dossiers that are open or paused (statuses 2, 4, 5, 6) whose receiving
agency counts on the changed calendar or on a calendar inheriting from it, and whose span from
``clock_started_at`` to ``due_at`` covers a changed date; and the active steps of such dossiers
at agencies on those calendars, whose span from ``started_at`` to ``due_at`` covers one. A
finished, refused, withdrawn or stopped dossier never moves: its lateness was judged against the
appointment it had.

How a deadline moves. A working-time deadline keeps the working time it was granted. Counted
from its start ``S`` under the old spec, the deadline ``D`` lies ``wt_old(S, D)`` of working
time away; that includes the time of every past pause, which was measured (on the calendar of
its time) and added when the clock ran again. The new deadline is the instant the same working
time away from ``S`` under the new spec, except that a past pause keeps covering what it covered:

    new D = add_working_time(S, wt_old(S, D) + Σ over past pauses (wt_new(p) − wt_old(p)), new)

So a day off announced inside a past pause moves nothing (the pause simply covered less working
time), a day off inside the running time moves the deadline one working day later, an extra
working day moves it earlier. A dossier paused now is moved as if it resumed at the instant it
paused: when it resumes, the pause is measured on the new calendar and added, as always. The
pause windows are read from the ``resubmit`` and ``confirm_payment`` events (``paused_from``,
``paused_to``). Without pauses this is exactly ``clock.recompute(...)``'s ``after``.

A calendar-day deadline (``calendar_days``) is only ever moved forward, off a day that became
non-working: the clock cannot tell where such a deadline would have landed before it was moved
off a day that is now a working day. A change of session hours keeps the working hours granted
(it does not re-count working days of a new length).

Each moved dossier gets one ``deadline_moved`` event naming the changed day(s), the calendar and
the reason given (an override's reason and announcing document are part of the day's
description), with the old and new due instants in its data, and the applicant is sent a
``deadline_moved`` notice when the appointment moved, in each channel they chose (as every
notice to the applicant, ``notices.channels_of``). Dossiers are locked in primary-key order, as
the dossier actions lock them.
"""

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from motcua.accounts.models import User
from motcua.catalogue.models import TimeUnit
from motcua.dossiers import rollup
from motcua.dossiers.deadlines import iso
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepStatus
from motcua.dossiers.notices import channels_of
from motcua.dossiers.workflow import Action, Status
from motcua.notifications import texts
from motcua.notifications.models import Kind
from motcua.notifications.services import queue
from motcua.workdays import clock
from motcua.workdays.calendar_changes import CalendarChange
from motcua.workdays.calendars import calendar_chain, settings_spec, spec_for
from motcua.workdays.clock import CalendarSpec, DayChange
from motcua.workdays.models import Calendar

# Open and paused: a paused dossier's appointment moves too (it is what the pause adds to).
RESCHEDULED_STATUSES = sorted(
    {
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.FINANCIAL_OBLIGATION,
    }
)
BATCH = 500
Window = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Affected:
    """A calendar touched by the change, with its spec before and after."""

    calendar: Calendar
    old: CalendarSpec
    new: CalendarSpec


@dataclass
class RescheduleResult:
    """Codes of the dossiers whose appointment or active step moved, and notices queued."""

    moved: list[str] = field(default_factory=list)
    notified: int = 0


def on_calendar_change(change: CalendarChange) -> list[str]:
    """The handler registered with ``workdays.calendar_changes``: move what ``change`` affects
    and answer with the codes of the dossiers moved."""
    actor = change.actor
    if actor is not None and not isinstance(actor, User):
        raise TypeError(f"a calendar change by {actor!r}, who is not a user of this system")
    return reschedule_for_calendar_change(
        change.calendar,
        change.dates,
        before=change.before,
        actor=actor,
        now=change.now,
        reason=change.reason,
    ).moved


def reschedule_for_calendar_change(
    calendar: Calendar,
    changed_dates: Collection[dt.date] | None,
    *,
    before: CalendarSpec,
    actor: User | None,
    now: dt.datetime,
    reason: str = "",
) -> RescheduleResult:
    """Move the deadlines the change of ``calendar`` affects (see the module's docstring).

    ``before`` is ``spec_for(calendar)`` taken before the change was written; ``calendar`` is
    read again now, after it. ``changed_dates`` are the dates whose sessions changed, or
    ``None`` when any date may have (the calendar's settings changed). Call it inside the
    transaction that writes the change."""
    result = RescheduleResult()
    if changed_dates is not None and not changed_dates:
        return result
    dates = frozenset(changed_dates) if changed_dates is not None else None
    affected = affected_calendars(calendar, before)
    ids = _candidates(affected, dates)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        locked = list(
            Dossier.objects.select_for_update(of=("self",))
            .filter(pk__in=batch, status__in=RESCHEDULED_STATUSES)
            .select_related("receiving_agency", "current_agency", "case")
            .order_by("pk")
        )
        steps: dict[int, list[DossierStep]] = {}
        for step in DossierStep.objects.filter(
            dossier_id__in=batch, status=StepStatus.ACTIVE, agency__calendar_id__in=list(affected)
        ).select_related("agency"):
            steps.setdefault(step.dossier_id, []).append(step)
        pauses = _pause_windows(batch)
        for dossier in locked:
            _reschedule_one(
                dossier,
                steps.get(dossier.pk, []),
                pauses.get(dossier.pk, []),
                affected,
                dates,
                calendar=calendar,
                actor=actor,
                now=now,
                reason=reason,
                result=result,
            )
    return result


def affected_calendars(calendar: Calendar, before: CalendarSpec) -> dict[int, Affected]:
    """``calendar`` and every calendar inheriting from it, each with its spec before and after.

    A descendant's old spec is its own settings with the changed calendar's old overrides
    (``before``, which already includes the changed calendar's ancestors), overlaid by the
    overrides of the calendars between the descendant and the changed one, which did not
    change and still win on their dates."""
    affected = {calendar.pk: Affected(calendar, before, spec_for(calendar))}
    frontier = [calendar.pk]
    while frontier:
        children = list(
            Calendar.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=list(affected))
            .select_related("parent")
        )
        for child in children:
            new = spec_for(child)
            below = set()
            for link in calendar_chain(child):
                if link.pk == calendar.pk:
                    break
                below.add(link.code)
            overrides = dict(before.overrides)
            overrides.update({d: o for d, o in new.overrides.items() if o.source in below})
            affected[child.pk] = Affected(child, settings_spec(child, overrides), new)
        frontier = [child.pk for child in children]
    return affected


def _candidates(affected: dict[int, Affected], dates: frozenset[dt.date] | None) -> list[int]:
    """Primary keys of dossiers that may need moving: the span test is exact later, per
    dossier; here it is widened by a day on each side for time zones."""
    calendars = list(affected)
    dossiers = Dossier.objects.filter(
        status__in=RESCHEDULED_STATUSES,
        receiving_agency__calendar_id__in=calendars,
        due_at__isnull=False,
        clock_started_at__isnull=False,
    )
    steps = DossierStep.objects.filter(
        status=StepStatus.ACTIVE,
        dossier__status__in=RESCHEDULED_STATUSES,
        agency__calendar_id__in=calendars,
        due_at__isnull=False,
        started_at__isnull=False,
    )
    if dates is not None:
        lo = dt.datetime.combine(min(dates) - dt.timedelta(days=1), dt.time.min, dt.UTC)
        hi = dt.datetime.combine(max(dates) + dt.timedelta(days=2), dt.time.min, dt.UTC)
        dossiers = dossiers.filter(clock_started_at__lt=hi, due_at__gte=lo)
        steps = steps.filter(started_at__lt=hi, due_at__gte=lo)
    ids = set(dossiers.values_list("pk", flat=True))
    ids |= set(steps.values_list("dossier_id", flat=True))
    return sorted(ids)


def _pause_windows(dossier_ids: Iterable[int]) -> dict[int, list[Window]]:
    """Past pauses of each dossier, from the events that ended them."""
    windows: dict[int, list[Window]] = {}
    for dossier_id, data in DossierEvent.objects.filter(
        dossier_id__in=list(dossier_ids),
        action__in=[Action.RESUBMIT, Action.CONFIRM_PAYMENT],
    ).values_list("dossier_id", "data"):
        if isinstance(data, dict) and data.get("paused_from") and data.get("paused_to"):
            windows.setdefault(dossier_id, []).append(
                (
                    dt.datetime.fromisoformat(data["paused_from"]),
                    dt.datetime.fromisoformat(data["paused_to"]),
                )
            )
    return windows


def moved_deadline(
    start: dt.datetime,
    due_at: dt.datetime,
    unit: str,
    old: CalendarSpec,
    new: CalendarSpec,
    dates: frozenset[dt.date] | None,
    pauses: Iterable[Window] = (),
) -> tuple[dt.datetime, list[DayChange]] | None:
    """The deadline ``due_at``, counted from ``start``, under ``new`` instead of ``old``, and the
    changed days its span covers; ``None`` when the change does not move it."""
    if unit == TimeUnit.NONE:
        return None
    first, last = start.astimezone(old.tz).date(), due_at.astimezone(old.tz).date()
    covered = [c for c in clock.changed_days(old, new, first, last)
               if dates is None or c.date in dates]  # fmt: skip
    if not covered:
        return None
    if unit == TimeUnit.CALENDAR_DAYS:
        new_due = clock.due(due_at, 0, clock.Unit.CALENDAR_DAYS, new, intake=False).due_at
    else:
        granted = clock.working_time_between(start, due_at, old)
        for paused_from, paused_to in pauses:
            lo = max(paused_from, start)
            if lo < paused_to:
                granted += clock.working_time_between(lo, paused_to, new)
                granted -= clock.working_time_between(lo, paused_to, old)
        new_due = clock.add_working_time(start, max(granted, dt.timedelta(0)), new)
    if new_due == due_at:
        return None
    later = max(last, new_due.astimezone(new.tz).date())
    described = [c for c in clock.changed_days(old, new, first, later)
                 if dates is None or c.date in dates]  # fmt: skip
    return new_due, described


def _move_steps(
    steps: list[DossierStep],
    pauses: list[Window],
    affected: dict[int, Affected],
    dates: frozenset[dt.date] | None,
    changes: dict[dt.date, DayChange],
) -> list[dict[str, Any]]:
    """Move and save the deadline of each step running at an affected agency; the changed days
    their spans cover are added to ``changes``. Returns what moved, for the event's data."""
    moved_steps = []
    for step in steps:
        on = affected.get(step.agency.calendar_id)
        if on is None or step.due_at is None or step.started_at is None:
            continue
        moved = moved_deadline(step.started_at, step.due_at, step.time_unit, on.old, on.new,
                               dates, pauses)  # fmt: skip
        if moved is None:
            continue
        step_before = step.due_at
        step.due_at, covered = moved
        step.save(update_fields=["due_at"])
        changes.update((c.date, c) for c in covered)
        moved_steps.append(
            {
                "position": step.position,
                "name": step.name,
                "agency": step.agency.code,
                "due_before": iso(step_before),
                "due_after": iso(step.due_at),
            }
        )
    return moved_steps


def _notify_applicant(
    dossier: Dossier,
    old_due: dt.datetime,
    event: DossierEvent,
    ordered: list[DayChange],
    *,
    now: dt.datetime,
    result: RescheduleResult,
) -> None:
    """Tell the applicant that the dossier's deadline moved, in each channel they chose and
    left an address for (``notices.channels_of``, as every notice to the applicant); one
    message per event and channel (deduplicated on them), each counted in ``result.notified``
    when queued."""
    if not dossier.due_at:
        return
    text = texts.deadline_moved(dossier.code, old_due, dossier.due_at, ordered)
    for address in channels_of(dossier):
        _, created = queue(
            kind=Kind.DEADLINE_MOVED,
            dedupe_key=f"{Kind.DEADLINE_MOVED}:{dossier.code}:e{event.pk}:{address.channel}",
            to=address,
            subject=text.subject,
            body=text.body,
            recipient=dossier.owner,
            dossier_code=dossier.code,
            now=now,
        )
        result.notified += int(created)


def _reschedule_one(
    dossier: Dossier,
    steps: list[DossierStep],
    pauses: list[Window],
    affected: dict[int, Affected],
    dates: frozenset[dt.date] | None,
    *,
    calendar: Calendar,
    actor: User | None,
    now: dt.datetime,
    reason: str,
    result: RescheduleResult,
) -> None:
    data: dict[str, Any] = {"calendar": calendar.code}
    changes: dict[dt.date, DayChange] = {}
    old_due = dossier.due_at
    receiving = affected.get(dossier.receiving_agency.calendar_id)
    if receiving is not None and dossier.due_at is not None and dossier.clock_started_at:
        moved = moved_deadline(dossier.clock_started_at, dossier.due_at, dossier.case.time_unit,
                               receiving.old, receiving.new, dates, pauses)  # fmt: skip
        if moved is not None:
            dossier.due_at, covered = moved
            changes.update((c.date, c) for c in covered)
            data["due_before"] = iso(old_due) if old_due else None
            data["due_after"] = iso(dossier.due_at)
    moved_steps = _move_steps(steps, pauses, affected, dates, changes)
    if not changes:
        return
    if moved_steps:
        data["steps"] = moved_steps
    ordered = [changes[d] for d in sorted(changes)]
    data["changed_dates"] = [c.date.isoformat() for c in ordered]
    dossier.revision += 1
    dossier.save(update_fields=["due_at", "revision", "updated_at"])
    rollup.record_due_change(dossier, old_due)
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=Action.DEADLINE_MOVED,
        old_status=dossier.status,
        new_status=dossier.status,
        actor=actor,
        agency=dossier.current_agency,
        at=now,
        reason=texts.deadline_moved_reason(calendar.code, ordered, reason),
        data=data,
    )
    result.moved.append(dossier.code)
    if "due_after" in data and old_due is not None:
        _notify_applicant(dossier, old_due, event, ordered, now=now, result=result)
