"""Reads of the reform records with the access checks (``permissions``): what each user sees,
and the plan-versus-done table the seeds print ("18 nhiệm vụ, 16 hoàn thành, 2 đang thực
hiện")."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.reform import permissions
from motcua.reform.models import Area, Plan, Task, TaskStatus


def visible_plans(user: User) -> QuerySet[Plan]:
    """The province's plans and, for a focal point, its own agencies' plans; all for the
    office."""
    plans = Plan.objects.select_related("agency").order_by("-year", "agency__code")
    scope = permissions.visible_agency_ids(user)
    if scope is None:
        return plans
    if not permissions.may_use(user):
        return plans.none()
    return plans.filter(Q(agency__isnull=True) | Q(agency_id__in=sorted(scope)))


def plan_for(user: User, plan_id: int) -> Plan | None:
    return visible_plans(user).filter(pk=plan_id).first()


def task_for(user: User, task_id: int) -> Task | None:
    task = Task.objects.select_related("plan__agency", "lead_agency").filter(pk=task_id).first()
    if task is None or plan_for(user, task.plan_id) is None:
        return None
    return task


def plan_tasks(plan: Plan) -> QuerySet[Task]:
    return plan.tasks.select_related("lead_agency").prefetch_related("coordinating_agencies")


@dataclass
class AreaRow:
    """One line of the plan-versus-done table."""

    area: str
    label: str
    planned: int = 0
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0

    @property
    def summary(self) -> str:
        return _("%(planned)d tasks, %(done)d done, %(open)d in progress") % {
            "planned": self.planned,
            "done": self.done,
            "open": self.in_progress + self.not_started,
        }


@dataclass
class PlanTable:
    rows: list[AreaRow]
    total: AreaRow = field(default_factory=lambda: AreaRow("", ""))


def plan_table(plan: Plan, today: dt.date) -> PlanTable:
    """Per area: tasks planned, done, in progress, not started, and overdue on ``today``
    (cancelled tasks are not counted). One query."""
    rows = {area: AreaRow(area, str(label)) for area, label in Area.choices}
    total = AreaRow("", "")
    for area, status, deadline in plan.tasks.exclude(status=TaskStatus.CANCELLED).values_list(
        "area", "status", "deadline"
    ):
        for row in (rows[area], total):
            row.planned += 1
            if status == TaskStatus.DONE:
                row.done += 1
            elif status == TaskStatus.IN_PROGRESS:
                row.in_progress += 1
            else:
                row.not_started += 1
            if status != TaskStatus.DONE and deadline < today:
                row.overdue += 1
    return PlanTable([r for r in rows.values() if r.planned], total)
