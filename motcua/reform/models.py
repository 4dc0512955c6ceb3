"""Administrative-reform (CCHC) management, issue 16: the yearly plans and their tasks, the
targets and commitments, the inspections, ISO 9001, and one append-only history of all of it.

The reform office of the province (a reform officer without an agency) and each agency's focal
point (a reform officer held in that agency) work here; the engine never reads this app. Plans
and tasks are in this module; targets, inspections and quality systems beside it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency
from motcua.events import AppendOnlyEvent
from motcua.reform.inspection_models import (
    Inspection,
    InspectionItem,
    InspectionPlan,
    InspectionTeam,
)
from motcua.reform.quality_models import InternalAudit, QualitySystem
from motcua.reform.target_models import Commitment, Target

__all__ = [
    "Area",
    "Commitment",
    "Inspection",
    "InspectionItem",
    "InspectionPlan",
    "InspectionTeam",
    "InternalAudit",
    "Plan",
    "ProgressReport",
    "QualitySystem",
    "ReformAction",
    "ReformEvent",
    "Target",
    "Task",
    "TaskStatus",
]


class Area(models.TextChoices):
    """The six areas of the state administrative reform programme (Resolution 76/NQ-CP,
    2021-2030) and the direction of reform that the yearly plans and the PAR index add."""

    DIRECTION = "direction", _("direction of reform")
    INSTITUTIONS = "institutions", _("institutional reform")
    PROCEDURES = "procedures", _("administrative procedure reform")
    APPARATUS = "apparatus", _("reform of the state apparatus")
    CIVIL_SERVICE = "civil_service", _("civil service reform")
    PUBLIC_FINANCE = "public_finance", _("public finance reform")
    DIGITAL = "digital", _("e-government and digital government")


class Plan(models.Model):
    """A yearly CCHC plan issued by decision: the province's (no agency) or one agency's."""

    year = models.PositiveSmallIntegerField(_("year"))
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reform_plans",
    )
    title = models.CharField(_("title"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=150)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reform plan")
        verbose_name_plural = _("reform plans")
        ordering = ["-year", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "agency"], name="reform_plan_once_per_agency"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(agency__isnull=True), name="reform_plan_once_province"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.decision_number})"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


OPEN_TASK = (TaskStatus.NOT_STARTED.value, TaskStatus.IN_PROGRESS.value)


class Task(models.Model):
    """A numbered task of a plan, in one area, led by one agency with others coordinating.

    ``overdue_since`` is set by the daily scan (``reform.scanner``) once the deadline has
    passed with the task still open, and cleared when it is done; the partial index covers
    the open tasks the scan reads."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    area = models.CharField(_("area"), max_length=16, choices=Area.choices)
    title = models.CharField(_("task"), max_length=500)
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        on_delete=models.PROTECT,
        related_name="reform_tasks_led",
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("coordinating agencies"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    expected_output = models.CharField(_("expected output"), max_length=500)
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reform task")
        verbose_name_plural = _("reform tasks")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="reform_task_number_once"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reform_task_progress"),
        ]
        indexes = [
            models.Index(
                fields=["deadline"], name="reform_task_open", condition=Q(status__in=OPEN_TASK)
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProgressReport(models.Model):
    """What the lead agency reports on a task: the progress, a note and an evidence file."""

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports"
    )
    at = models.DateTimeField(_("at"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices)
    note = models.TextField(_("note"))
    evidence = models.FileField(_("evidence"), upload_to="reform/evidence/%Y/", blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.task} – {self.progress}%"


class ReformAction(models.TextChoices):
    PLAN_CREATED = "plan_created", _("plan created")
    PLAN_CHANGED = "plan_changed", _("plan changed")
    TASK_ADDED = "task_added", _("task added")
    TASK_CHANGED = "task_changed", _("task changed")
    PROGRESS_REPORTED = "progress_reported", _("progress reported")
    TASK_OVERDUE = "task_overdue", _("task flagged overdue")
    TARGET_SET = "target_set", _("target set")
    TARGET_REPORTED = "target_reported", _("target result reported")
    COMMITMENT_SIGNED = "commitment_signed", _("commitment signed")
    INSPECTION_PLANNED = "inspection_planned", _("inspection plan created")
    TEAM_FORMED = "team_formed", _("inspection team formed")
    INSPECTION_SCHEDULED = "inspection_scheduled", _("inspection scheduled")
    INSPECTION_RECORDED = "inspection_recorded", _("inspection findings recorded")
    REMEDIATION_REPORTED = "remediation_reported", _("remediation report received")
    REMEDIATION_LATE = "remediation_late", _("remediation report flagged late")
    INSPECTION_CLOSED = "inspection_closed", _("inspection closed")
    QUALITY_RECORDED = "quality_recorded", _("ISO 9001 system recorded")
    AUDIT_RECORDED = "audit_recorded", _("internal audit recorded")


class ReformEvent(AppendOnlyEvent):
    """Append-only history of the reform records: who changed what, when, old and new."""

    action = models.CharField(_("action"), max_length=32, choices=ReformAction.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("record"), max_length=64)  # e.g. "task:12"
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    old = models.JSONField(_("before"), default=dict, blank=True)
    new = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("reform event")
        verbose_name_plural = _("reform events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["subject", "at"], name="reform_event_subject")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.subject}"
