"""The feedback deadline scan, run beside the dossiers' (``motcua.jobs`` schedules both): routed,
unanswered feedback due within ``DUE_SOON_WORKING_DAYS`` working days (on the holding agency's
calendar) reminds the agency's specialists and heads of department; overdue feedback alerts the
heads of department and the signing leaders. It reads the stored ``due_at`` through its partial
index and is idempotent: each notice has a dedupe key (kind, code, due instant, recipient) and
the ``remind`` event for a kind and due instant is written once."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import Role, RoleAssignment, User
from motcua.dossiers.scanner import due_soon_working_days
from motcua.feedback import notices
from motcua.feedback.models import CLOCKED, Feedback, FeedbackEvent
from motcua.feedback.workflow import Action
from motcua.notifications.models import Kind
from motcua.notifications.services import address_of_user, queue
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for

REMINDED = frozenset({Role.SPECIALIST, Role.HEAD_OF_DEPARTMENT})
ALERTED = frozenset({Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER})


@dataclass
class FeedbackScan:
    due_soon: int = 0
    overdue: int = 0
    queued: int = 0


def _holders(agency_id: int, roles: frozenset[Role], day: dt.date) -> list[User]:
    assignments = (
        RoleAssignment.objects.filter(
            agency_id=agency_id, role__in=sorted(roles), user__is_active=True
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("user")
        .order_by("user_id")
    )
    return list({a.user_id: a.user for a in assignments}.values())


def scan_feedback(
    now: dt.datetime | None = None, *, due_soon_days: int | None = None
) -> FeedbackScan:
    """Queue the due-soon reminders and overdue alerts of feedback at ``now``."""
    now = now or timezone.now()
    days = due_soon_working_days() if due_soon_days is None else due_soon_days
    result = FeedbackScan()
    today = timezone.localdate(now)
    with transaction.atomic():
        open_feedback = (
            Feedback.objects.filter(status__in=CLOCKED, due_at__isnull=False)
            .select_related("agency__calendar")
            .order_by("due_at", "pk")
        )
        horizons: dict[int, dt.datetime] = {}
        for feedback in open_feedback.filter(due_at__lt=now):
            result.overdue += 1
            _notify(feedback, Kind.OVERDUE, ALERTED, today, now, result)
        for feedback in open_feedback.filter(due_at__gte=now):
            agency = feedback.agency
            assert agency is not None and feedback.due_at is not None  # noqa: S101 - routed
            if agency.calendar_id not in horizons:
                spec = spec_for(agency.calendar)
                horizons[agency.calendar_id] = clock.add_working_time(
                    now, spec.working_day * days, spec
                )
            if feedback.due_at > horizons[agency.calendar_id]:
                continue
            result.due_soon += 1
            _notify(feedback, Kind.DUE_SOON, REMINDED, today, now, result)
    return result


def _notify(
    feedback: Feedback,
    kind: Kind,
    roles: frozenset[Role],
    today: dt.date,
    now: dt.datetime,
    result: FeedbackScan,
) -> None:
    assert feedback.due_at is not None and feedback.agency_id is not None  # noqa: S101
    due_at = feedback.due_at
    text = (
        notices.overdue(feedback, due_at)
        if kind == Kind.OVERDUE
        else notices.due_soon(feedback, due_at)
    )
    key = f"feedback-{kind}:{feedback.code}:{due_at.isoformat()}"
    told = []
    for user in _holders(feedback.agency_id, roles, today):
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
            dossier_code=feedback.code,
            now=now,
        )
        if created:
            result.queued += 1
            told.append(user.username)
    if (
        told
        and not FeedbackEvent.objects.filter(
            feedback=feedback, action=Action.REMIND, data__key=key
        ).exists()
    ):
        FeedbackEvent.objects.create(
            feedback=feedback,
            action=Action.REMIND,
            old_status=feedback.status,
            new_status=feedback.status,
            actor=None,
            agency_id=feedback.agency_id,
            at=now,
            data={"key": key, "kind": str(kind), "to": told},
        )
