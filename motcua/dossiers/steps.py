"""Building and timing a dossier's steps from the case's internal process."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, Role
from motcua.catalogue.models import Case, TimeUnit
from motcua.catalogue.queries import process_for
from motcua.dossiers.deadlines import classify_finished
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for


def spec_of(agency: Agency) -> clock.CalendarSpec:
    return spec_for(agency.calendar)


def due_after(start: dt.datetime, amount: Decimal, unit: str, agency: Agency) -> dt.datetime | None:
    """When ``amount`` ``unit`` counted from ``start`` on ``agency``'s calendar run out; steps
    and resumed clocks count from the instant itself, without the intake cut-off."""
    if unit == TimeUnit.NONE:
        return None
    return clock.due(start, amount, unit, spec_of(agency), intake=False).due_at


def plan_steps(dossier: Dossier, case: Case) -> list[DossierStep]:
    """The dossier's steps from the lead agency's internal process (or the template). Desk
    steps are done where the dossier was received; steps naming another agency are done
    there (inter-agency); the rest at the lead agency. Without a process, one step holds the
    whole statutory time at the lead agency."""
    process = process_for(case, dossier.lead_agency)
    unit = case.time_unit
    if process is None or not process.steps.exists():
        # No internal process published: the specialist has three quarters of the time and
        # the leader who signs the rest.
        total = case.processing_time or Decimal(0)
        signing = (total / 4).quantize(Decimal("0.01"))
        return [
            DossierStep(dossier=dossier, position=position, name=name,
                        agency=dossier.lead_agency, role=role, unit="", allowance=allowance,
                        time_unit=unit)
            for position, name, role, allowance in [
                (1, _("Process the dossier"), Role.SPECIALIST, total - signing),
                (2, _("Approve and sign"), Role.SIGNING_LEADER, signing),
            ]
        ]  # fmt: skip
    planned = []
    for step in process.steps.order_by("position").select_related("responsible_agency"):
        if step.responsible_agency is not None:
            agency = step.responsible_agency
        elif step.role == Role.DESK_OFFICER:
            agency = dossier.receiving_agency
        else:
            agency = dossier.lead_agency
        planned.append(
            DossierStep(
                dossier=dossier,
                position=step.position,
                name=step.name,
                agency=agency,
                role=step.role,
                unit=step.unit,
                allowance=step.allowance,
                time_unit=unit,
            )
        )
    return planned


def start_step(step: DossierStep, at: dt.datetime) -> None:
    """Make ``step`` the active one from ``at``, with its own due instant."""
    step.status = StepStatus.ACTIVE
    step.started_at = at
    step.due_at = due_after(at, step.allowance, step.time_unit, step.agency)
    step.save(update_fields=["status", "started_at", "due_at"])


def finish_step(
    step: DossierStep,
    at: dt.datetime,
    *,
    status: str = StepStatus.DONE,
    by: object = None,
    to: object = None,
    note: str = "",
) -> None:
    """Close ``step`` at ``at`` and judge the hand-over early / on time / late against the step's
    own due instant (the control sheet, Form 06: judged on the receiving side, by the software
    itself)."""
    step.status = status
    step.finished_at = at
    step.timeliness = classify_finished(at, step.due_at).value
    if by is not None:
        step.assignee = by  # type: ignore[assignment]
    if to is not None:
        step.handed_to = to  # type: ignore[assignment]
    if note:
        step.note = note[:500]
    step.save(
        update_fields=["status", "finished_at", "timeliness", "assignee", "handed_to", "note"]
    )


def approval_refusal(dossier: Dossier) -> ValidationError | None:
    """Why the current step's holder may not approve (sign) the result now, or ``None``.

    The result is approved by whoever holds the last processing step of the internal process
    (the leader who signs, or the head where the process gives them the signature), once every
    earlier step is done: approving at an earlier step would finish the dossier while its
    signing step was never taken. Processing follows the published internal process step by
    step (Decree 118/2025 art. 18, earlier Decree 61/2018 art. 18) and the control sheet
    (Form 06) records each step as its holder hands it over."""
    step = dossier.current_step
    if step is None or step.status != StepStatus.ACTIVE or step.role == Role.DESK_OFFICER:
        return ValidationError(
            _("Only the holder of the last processing step may approve the result."),
            code="approve_not_last_step",
        )
    later = (
        dossier.steps.filter(position__gt=step.position)
        .exclude(role=Role.DESK_OFFICER)
        .filter(status__in=[StepStatus.WAITING, StepStatus.ACTIVE])
    )
    if later.exists():
        return ValidationError(
            _(
                "This is not the last processing step: forward the dossier to the next step "
                "(the result is approved at the last one)."
            ),
            code="approve_not_last_step",
        )
    earlier_open = dossier.steps.filter(position__lt=step.position).exclude(
        status__in=[StepStatus.DONE, StepStatus.SENT_BACK]
    )
    if earlier_open.exists():
        return ValidationError(
            _("Every earlier step must be done before the result is approved."),
            code="approve_earlier_steps_open",
        )
    return None
