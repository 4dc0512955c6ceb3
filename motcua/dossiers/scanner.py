"""The deadline scanner: finds active steps and open dossiers that are due soon or overdue and
queues notices in the outbox (``motcua.notifications``), delivered after commit.

It reads only the stored ``due_at`` columns through their partial indexes (open dossiers,
active steps); nothing is recomputed per dossier. "Due soon" means due within the next N working
days (``settings.DUE_SOON_WORKING_DAYS``, 1 by default) counted from now on the calendar of the
agency whose clock the deadline runs on: the receiving agency for a dossier's appointment, the
step's agency for a step.

Idempotent: each notice has a ``dedupe_key`` (kind, dossier code, step, due instant, recipient)
so a second run queues nothing new, and the ``reminded`` event that records a notice kind for a
due instant is written once. When a due instant moves (a pause, a calendar change) the notices
for the new instant are new notices.

Who is told:

* a step due soon or overdue: the step's holder, or, while nobody holds it, everyone holding the
  step's role in the step's agency;
* a dossier due soon or overdue: the heads of department of the agency holding it now;
* an overdue dossier, once per due instant: an escalation to the signing leaders of that agency
  (the heads of department when it has none), who sign the apology letter (Form 04; Decree
  118/2025 art. 19(4)).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import Agency, Role, RoleAssignment, User
from motcua.dossiers.deadlines import iso
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepStatus
from motcua.dossiers.workflow import OPEN_STATUSES, Action
from motcua.notifications import texts
from motcua.notifications.models import Kind
from motcua.notifications.services import address_of_user, queue
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for
from motcua.workdays.models import Calendar

OPEN = sorted(OPEN_STATUSES)  # the partial index's own list, so the planner can use it


@dataclass
class ScanResult:
    """What one run found and queued."""

    now: dt.datetime
    due_soon_steps: int = 0
    due_soon_dossiers: int = 0
    overdue_steps: int = 0
    overdue_dossiers: int = 0
    escalated_dossiers: int = 0
    queued: int = 0
    reminded_events: int = 0
    horizons: dict[str, dt.datetime] = field(default_factory=dict)


def due_soon_working_days() -> int:
    return int(getattr(settings, "DUE_SOON_WORKING_DAYS", 1))


def scan(now: dt.datetime | None = None, *, due_soon_days: int | None = None) -> ScanResult:
    """Queue the due-soon, overdue and escalation notices due at ``now``; safe to run as often
    as wanted (a task runner calls this; ``motcua scan-deadlines`` too)."""
    now = now or timezone.now()
    days = due_soon_working_days() if due_soon_days is None else due_soon_days
    if days < 0:
        raise ValueError("due-soon days must not be negative")
    result = ScanResult(now)
    with transaction.atomic():
        horizons = _horizons(now, days)
        result.horizons = {code: at for (_, code), at in horizons.items()}
        by_calendar = {pk: at for (pk, _), at in horizons.items()}
        scanner = _Scanner(now, result)
        latest = max(by_calendar.values(), default=now)
        for step in _steps(Q(due_at__lt=now)):
            scanner.step(step, Kind.OVERDUE)
        for step in _steps(Q(due_at__gte=now, due_at__lte=latest)):
            if step.due_at is not None and step.due_at <= by_calendar[step.agency.calendar_id]:
                scanner.step(step, Kind.DUE_SOON)
        for dossier in _dossiers(Q(due_at__lt=now)):
            scanner.dossier(dossier, Kind.OVERDUE)
            scanner.escalate(dossier)
        for dossier in _dossiers(Q(due_at__gte=now, due_at__lte=latest)):
            calendar_id = dossier.receiving_agency.calendar_id
            if dossier.due_at is not None and dossier.due_at <= by_calendar[calendar_id]:
                scanner.dossier(dossier, Kind.DUE_SOON)
    return result


def _horizons(now: dt.datetime, days: int) -> dict[tuple[int, str], dt.datetime]:
    """For each calendar an agency uses: the instant N working days after ``now`` on it."""
    used = Agency.objects.values_list("calendar_id", flat=True).distinct()
    horizons = {}
    for calendar in Calendar.objects.filter(pk__in=used).select_related("parent"):
        spec = spec_for(calendar)
        horizons[(calendar.pk, calendar.code)] = clock.add_working_time(
            now, spec.working_day * days, spec
        )
    return horizons


def _steps(when: Q) -> Iterable[DossierStep]:
    return (
        DossierStep.objects.filter(when, status=StepStatus.ACTIVE, dossier__status__in=OPEN)
        .select_related("dossier__version", "agency", "assignee")
        .order_by("due_at", "pk")
    )


def _dossiers(when: Q) -> Iterable[Dossier]:
    return (
        Dossier.objects.filter(when, status__in=OPEN)
        .select_related("version", "receiving_agency", "current_agency")
        .order_by("due_at", "pk")
    )


class _Scanner:
    """One run: caches who holds which roles where, queues notices and records events."""

    def __init__(self, now: dt.datetime, result: ScanResult) -> None:
        self.now = now
        self.result = result
        self.today = timezone.localdate(now)
        self._holders: dict[tuple[int, frozenset[str]], list[User]] = {}

    def holders(self, agency_id: int, roles: Iterable[str]) -> list[User]:
        key = (agency_id, frozenset(roles))
        if key not in self._holders:
            assignments = (
                RoleAssignment.objects.filter(
                    agency_id=agency_id, role__in=sorted(key[1]), user__is_active=True
                )
                .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.today))
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.today))
                .select_related("user")
                .order_by("user_id")
            )
            users = {a.user_id: a.user for a in assignments}
            self._holders[key] = list(users.values())
        return self._holders[key]

    def step(self, step: DossierStep, kind: Kind) -> None:
        assert step.due_at is not None  # noqa: S101 - filtered on due_at
        dossier = step.dossier
        if kind == Kind.OVERDUE:
            self.result.overdue_steps += 1
            text = texts.overdue_step(dossier.code, dossier.version.name, step.name, step.due_at)
        else:
            self.result.due_soon_steps += 1
            text = texts.due_soon_step(dossier.code, dossier.version.name, step.name, step.due_at)
        users = [step.assignee] if step.assignee else self.holders(step.agency_id, [step.role])
        self.notify(dossier, kind, f"step{step.pk}", step.due_at, users, text,
                    {"step": step.position, "step_name": step.name})  # fmt: skip

    def dossier(self, dossier: Dossier, kind: Kind) -> None:
        assert dossier.due_at is not None  # noqa: S101 - filtered on due_at
        args = (dossier.code, dossier.version.name, dossier.applicant_name, dossier.due_at)
        if kind == Kind.OVERDUE:
            self.result.overdue_dossiers += 1
            text = texts.overdue_dossier(*args)
        else:
            self.result.due_soon_dossiers += 1
            text = texts.due_soon_dossier(*args)
        heads = self.holders(dossier.current_agency_id, [Role.HEAD_OF_DEPARTMENT])
        self.notify(dossier, kind, "dossier", dossier.due_at, heads, text, {})

    def escalate(self, dossier: Dossier) -> None:
        assert dossier.due_at is not None  # noqa: S101 - filtered on due_at
        leaders = self.holders(dossier.current_agency_id, [Role.SIGNING_LEADER]) or self.holders(
            dossier.current_agency_id, [Role.HEAD_OF_DEPARTMENT]
        )
        agency = dossier.current_agency
        text = texts.escalation(dossier.code, dossier.version.name,
                                agency.short_name or agency.name, dossier.due_at)  # fmt: skip
        if self.notify(dossier, Kind.ESCALATION, "dossier", dossier.due_at, leaders, text, {}):
            self.result.escalated_dossiers += 1

    def notify(
        self,
        dossier: Dossier,
        kind: Kind,
        target: str,
        due_at: dt.datetime,
        users: list[User],
        text: texts.Text,
        data: dict[str, object],
    ) -> bool:
        """Queue ``text`` to each user once; record a ``reminded`` event the first time this
        notice kind is sent for this due instant. Returns whether anything new was queued."""
        key = f"{kind}:{dossier.code}:{target}:{iso(due_at)}"
        told = []
        for user in users:
            address = address_of_user(user)
            if address is None:
                continue
            _, created = queue(
                kind=kind,
                dedupe_key=f"{key}:u{user.pk}",
                to=address,
                subject=text.subject,
                body=text.body,
                recipient=user,
                dossier_code=dossier.code,
                now=self.now,
            )
            if created:
                self.result.queued += 1
                told.append(user.username)
        if not told:
            return False
        if not DossierEvent.objects.filter(
            dossier=dossier, action=Action.REMINDED, data__key=key
        ).exists():
            DossierEvent.objects.create(
                dossier=dossier,
                action=Action.REMINDED,
                old_status=dossier.status,
                new_status=dossier.status,
                actor=None,
                agency=dossier.current_agency,
                at=self.now,
                reason=texts.reminded_reason(str(kind.label), len(told), due_at),
                data={"key": key, "kind": str(kind), "due_at": iso(due_at), "to": told, **data},
            )
            self.result.reminded_events += 1
        return True
