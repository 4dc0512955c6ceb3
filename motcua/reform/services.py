"""Writes to the yearly plans and their tasks (issue 16, item 1). Each function checks who
acts, runs in one transaction, locks what it changes and appends a ``ReformEvent``."""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.errors import Refused, invalid
from motcua.reform import history, permissions
from motcua.reform.evidence import checked_name
from motcua.reform.models import (
    OPEN_TASK,
    Area,
    Plan,
    ProgressReport,
    ReformAction,
    Task,
    TaskStatus,
)

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


def _required(**values: str) -> None:
    for name, value in values.items():
        if not value.strip():
            raise invalid("required", _("This field is required."), name)


def create_plan(
    *,
    actor: User,
    year: int,
    agency: Agency | None,
    title: str,
    decision_number: str,
    decision_date: dt.date,
    signer: str,
    now: dt.datetime | None = None,
) -> Plan:
    """Record a yearly plan issued by decision: the province's (by the reform office) or an
    agency's (by the office or the agency's focal point)."""
    permissions.ensure_plan_editor(actor, agency)
    _required(title=title, decision_number=decision_number, signer=signer)
    if decision_date.year not in (year - 1, year):
        raise invalid(
            "decision_date_out_of_year",
            _("The decision is dated in the plan's year or the year before."),
            "decision_date",
        )
    now = now or timezone.now()
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                year=year,
                agency=agency,
                title=title.strip(),
                decision_number=decision_number.strip(),
                decision_date=decision_date,
                signer=signer.strip(),
            )
            history.record(
                ReformAction.PLAN_CREATED,
                plan,
                actor=actor,
                at=now,
                agency=agency,
                new={"year": year, "decision": plan.decision_number},
            )
    except IntegrityError:
        raise invalid("plan_exists", _("This year's plan is already recorded."), "year") from None
    return plan


def add_task(
    plan: Plan,
    *,
    actor: User,
    area: str,
    title: str,
    lead_agency: Agency,
    deadline: dt.date,
    expected_output: str,
    coordinating: Iterable[Agency] = (),
    now: dt.datetime | None = None,
) -> Task:
    """Add the next numbered task to ``plan``."""
    permissions.ensure_plan_editor(actor, plan.agency)
    _required(title=title, expected_output=expected_output)
    if area not in Area.values:
        raise invalid("unknown_area", _("Choose one of the reform areas."), "area")
    now = now or timezone.now()
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)
        number = (plan.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
        task = Task.objects.create(
            plan=plan,
            number=number,
            area=area,
            title=title.strip(),
            lead_agency=lead_agency,
            deadline=deadline,
            expected_output=expected_output.strip(),
        )
        others = [a for a in coordinating if a.pk != lead_agency.pk]
        task.coordinating_agencies.set(others)
        history.record(
            ReformAction.TASK_ADDED,
            task,
            actor=actor,
            at=now,
            agency=lead_agency,
            new={"number": number, "area": area, "deadline": deadline.isoformat()},
        )
    return task


def report_progress(
    task: Task,
    *,
    actor: User,
    progress: int,
    note: str,
    evidence: "UploadedFile[bytes] | None" = None,
    now: dt.datetime | None = None,
) -> ProgressReport:
    """The lead agency's focal point (or the office) reports ``progress`` percent with a note
    and an evidence file; 100% marks the task done and lifts its overdue flag."""
    if not permissions.may_report(actor, task):
        raise Refused(_("Only the lead agency reports on this task."), code="not_task_lead")
    _required(note=note)
    if not 0 <= progress <= 100:
        raise invalid(
            "progress_out_of_range", _("Progress is a percentage from 0 to 100."), "progress"
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status not in OPEN_TASK:
            raise invalid("task_closed", _("This task is already closed."))
        old = {"status": locked.status, "progress": locked.progress}
        locked.progress = progress
        locked.status = TaskStatus.DONE if progress == 100 else TaskStatus.IN_PROGRESS
        fields = ["progress", "status", "updated_at"]
        if locked.status == TaskStatus.DONE:
            locked.done_on = timezone.localdate(now)
            locked.overdue_since = None
            fields += ["done_on", "overdue_since"]
        locked.save(update_fields=fields)
        report = ProgressReport(
            task=locked,
            at=now,
            author=actor,
            progress=progress,
            status=locked.status,
            note=note.strip(),
        )
        if evidence is not None:
            report.evidence.save(checked_name(evidence), evidence, save=False)
        report.save()
        history.record(
            ReformAction.PROGRESS_REPORTED,
            locked,
            actor=actor,
            at=now,
            agency=locked.lead_agency,
            old=old,
            new={"status": locked.status, "progress": progress, "report": report.pk},
        )
    task.refresh_from_db()
    return report
