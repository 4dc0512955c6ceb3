"""The machinery every dossier action shares: lock, check the workflow table, record what
changed as one event, save. The actions themselves are in ``services.py``."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.dossiers import event_hooks, rollup
from motcua.dossiers.deadlines import iso
from motcua.dossiers.errors import ActionRefused, DossierConflict
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, StepStatus
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.permissions import grants_for
from motcua.dossiers.steps import finish_step, start_step
from motcua.dossiers.workflow import Action, Rule, Status, find_rule
from motcua.errors import invalid

DOSSIER_FIELDS = [
    "status",
    "current_step",
    "current_agency",
    "assignee",
    "due_at",
    "promised_at",
    "paused_at",
    "paused_for",
    "status_before_pause",
    "finished_at",
    "returned_at",
    "return_method",
    "postal_tracking_number",
    "posted_at",
    "result",
    "fees_due",
    "fees_paid",
    "revision",
    "received_at",
    "clock_started_at",
    "updated_at",
]


@dataclass
class Change:
    """What an action did, collected while it runs and written as one event."""

    dossier: Dossier
    rule: Rule
    actor: User | None  # None: the system (``system_acting``)
    now: dt.datetime
    old_status: str
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def _locked(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "current_step__agency__calendar",
            "receiving_agency__calendar",
            "current_agency__calendar",
            "lead_agency",
            "case",
        )
        .get(pk=dossier.pk)
    )


def lock_for(
    dossier: Dossier, action: Action, *, actor: User, expected_revision: int | None
) -> tuple[Dossier, Rule]:
    """Lock the dossier's row (inside the caller's transaction) and return it with the workflow
    rule that lets ``actor`` take ``action`` now; refuse with the reason otherwise, or report a
    conflict when the dossier changed since the revision the caller saw."""
    locked = _locked(dossier)
    if expected_revision is not None and locked.revision != expected_revision:
        raise DossierConflict(
            _(
                "Dossier %(code)s was changed by someone else (revision %(now)s, you saw "
                "%(seen)s). Reload it and try again."
            )
            % {"code": locked.code, "now": locked.revision, "seen": expected_revision},
            code="revision_conflict",
        )
    rule = find_rule(action, locked.status, grants_for(actor, locked))
    if rule is None:
        raise ActionRefused(
            _(
                "You may not take the action “%(action)s” on dossier %(code)s while it is "
                "“%(status)s”."
            )
            % {
                "action": action.label,
                "code": locked.code,
                "status": Status(locked.status).label,
            },
            code="action_not_allowed",
        )
    return locked, rule


@contextmanager
def acting(
    dossier: Dossier,
    action: Action,
    *,
    actor: User,
    now: dt.datetime | None,
    expected_revision: int | None,
) -> Iterator[Change]:
    """Lock the dossier, check the actor may take ``action`` now, and after the body record
    the event and save."""
    with transaction.atomic():
        locked, rule = lock_for(dossier, action, actor=actor, expected_revision=expected_revision)
        change = Change(locked, rule, actor, now or timezone.now(), locked.status)
        before = rollup.fact(locked)
        yield change
        _record(dossier, change, before)


def _record(dossier: Dossier, change: Change, before: rollup.Fact | None) -> None:
    """Save the locked dossier, its rollups and the change's event, then tell the layers."""
    locked = change.dossier
    locked.revision += 1
    locked.save(update_fields=DOSSIER_FIELDS)
    rollup.apply(before, rollup.fact(locked))
    event = DossierEvent.objects.create(
        dossier=locked,
        action=change.rule.action,
        old_status=change.old_status,
        new_status=locked.status,
        actor=change.actor,
        agency=locked.current_agency,
        at=change.now,
        reason=change.reason,
        data=change.data,
    )
    notify_applicant(event)  # queued in this transaction, sent after commit
    event_hooks.announce(event)  # the layers above (the national outbox), same transaction
    dossier.refresh_from_db()


@contextmanager
def system_acting(dossier: Dossier, rule: Rule, *, now: dt.datetime) -> Iterator[Change]:
    """A change the system itself makes under ``rule`` (a rule of no person's, outside the
    table): the event has no actor. Refused when the dossier is no longer in the rule's
    source status."""
    with transaction.atomic():
        locked = _locked(dossier)
        if locked.status != rule.source:
            raise ActionRefused(
                _("Dossier %(code)s is no longer “%(status)s”.")
                % {"code": locked.code, "status": Status(rule.source).label},
                code="action_not_allowed",
            )
        change = Change(locked, rule, None, now, locked.status)
        before = rollup.fact(locked)
        yield change
        _record(dossier, change, before)


def required(text: str, field_name: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise invalid("required", message, field_name)

    return text


def next_step(dossier: Dossier, after: DossierStep | None) -> DossierStep | None:
    steps = dossier.steps.filter(status=StepStatus.WAITING).order_by("position")
    if after is not None:
        steps = steps.filter(position__gt=after.position)
    return steps.select_related("agency__calendar").first()


def activate(change: Change, step: DossierStep, assignee: User | None) -> None:
    start_step(step, change.now)
    if assignee is not None:
        step.assignee = assignee
        step.save(update_fields=["assignee"])
    change.dossier.current_step = step
    change.dossier.current_agency = step.agency
    change.dossier.assignee = assignee
    change.data["to_step"] = {
        "position": step.position,
        "name": step.name,
        "agency": step.agency.code,
        "due_at": iso(step.due_at) if step.due_at else None,
    }


def close_current(change: Change, *, status: str = StepStatus.DONE, to: User | None = None,
                   note: str = "") -> DossierStep | None:  # fmt: skip
    step = change.dossier.current_step
    if step is None:
        return None
    finish_step(step, change.now, status=status, by=change.actor, to=to, note=note)
    change.data["from_step"] = {
        "position": step.position,
        "name": step.name,
        "agency": step.agency.code,
        "timeliness": step.timeliness,
    }
    return step


def insert_after(
    dossier: Dossier,
    current: DossierStep,
    name: str,
    agency: Agency,
    role: str,
    unit: str,
    allowance: Decimal,
    time_unit: str,
) -> DossierStep:
    later = list(dossier.steps.filter(position__gt=current.position).order_by("-position"))
    for step in later:  # highest first, so positions never collide
        step.position += 1
        step.save(update_fields=["position"])
    return DossierStep.objects.create(
        dossier=dossier,
        position=current.position + 1,
        name=name,
        agency=agency,
        role=role,
        unit=unit,
        allowance=allowance,
        time_unit=time_unit,
    )
