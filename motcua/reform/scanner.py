"""The reform's daily scan (``motcua.jobs`` schedules it beside the deadline scans): open tasks
past their deadline are flagged overdue, and inspections whose remediation report has not come
by its due date are flagged late. Each flag is set once, with an event; idempotent."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.reform import history
from motcua.reform.inspection_models import Inspection, InspectionStatus
from motcua.reform.models import OPEN_TASK, ReformAction, Task


@dataclass
class ReformScan:
    today: dt.date
    overdue_tasks: int = 0
    late_remediations: int = 0


def scan_reform(now: dt.datetime | None = None) -> ReformScan:
    """Flag what is overdue at ``now`` and not flagged yet."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = ReformScan(today)
    with transaction.atomic():
        tasks = (
            Task.objects.select_for_update()
            .filter(status__in=OPEN_TASK, deadline__lt=today, overdue_since__isnull=True)
            .select_related("lead_agency")
            .order_by("pk")
        )
        for task in tasks:
            task.overdue_since = today
            task.save(update_fields=["overdue_since", "updated_at"])
            history.record(
                ReformAction.TASK_OVERDUE,
                task,
                actor=None,
                at=now,
                agency=task.lead_agency,
                new={"deadline": task.deadline.isoformat()},
            )
            result.overdue_tasks += 1
        late = (
            Inspection.objects.select_for_update()
            .filter(
                status=InspectionStatus.REMEDIATING,
                remediation_due_on__lt=today,
                remediation_late_since__isnull=True,
            )
            .select_related("agency")
            .order_by("pk")
        )
        for inspection in late:
            inspection.remediation_late_since = today
            inspection.save(update_fields=["remediation_late_since", "updated_at"])
            history.record(
                ReformAction.REMEDIATION_LATE,
                inspection,
                actor=None,
                at=now,
                agency=inspection.agency,
                new={"due": inspection.remediation_due_on.isoformat()}
                if inspection.remediation_due_on
                else {},
            )
            result.late_remediations += 1
    return result
