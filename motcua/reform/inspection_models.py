"""Reform inspections (issue 16, item 3): the yearly plan, its teams, one inspection per unit
with a checklist, findings and recommendations, and the unit's remediation report.

The remediation report is due ``REMEDIATION_WORKING_DAYS`` working days after the minutes
(the seeds' plans: "within 30 working days"), on the unit's working calendar; the due date is
stored when the findings are recorded, and the daily scan flags a report not in by then."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency

# At least this share of the units are inspected each year (seed 001: "ít nhất 30%").
MINIMUM_COVERAGE_PERCENT = 30
REMEDIATION_WORKING_DAYS = 30


class InspectionPlan(models.Model):
    """The yearly inspection plan of the reform office, issued by decision."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    decision_number = models.CharField(_("decision number"), max_length=64)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=150)
    units_total = models.PositiveIntegerField(_("units subject to inspection"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(units_total__gt=0), name="inspection_units")
        ]

    def __str__(self) -> str:
        return f"{self.year} ({self.decision_number})"


class InspectionTeam(models.Model):
    """A team of inspectors: its leader and members."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("team"), max_length=150)
    leader = models.CharField(_("team leader"), max_length=150)
    members = models.TextField(_("members"), blank=True)

    class Meta:
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")
        ordering = ["plan", "name"]

    def __str__(self) -> str:
        return self.name


class InspectionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    REMEDIATING = "remediating", _("awaiting the remediation report")
    REMEDIATED = "remediated", _("remediation reported")
    CLOSED = "closed", _("closed")


class Inspection(models.Model):
    """The inspection of one unit (an agency) under a plan."""

    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("plan"),
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    team = models.ForeignKey(
        InspectionTeam,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("unit inspected"), on_delete=models.PROTECT, related_name="+"
    )
    scheduled_on = models.DateField(_("scheduled on"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InspectionStatus.choices,
        default=InspectionStatus.SCHEDULED,
    )
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    remediation_due_on = models.DateField(_("remediation report due"), null=True, blank=True)
    remediation_reported_on = models.DateField(_("remediation reported on"), null=True, blank=True)
    remediation_report = models.TextField(_("remediation report"), blank=True)
    remediation_file = models.FileField(
        _("remediation report file"), upload_to="reform/remediation/%Y/", blank=True
    )
    remediation_late_since = models.DateField(_("remediation late since"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["plan", "scheduled_on", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "agency"], name="inspection_once_per_unit")
        ]
        indexes = [
            models.Index(
                fields=["remediation_due_on"],
                name="inspection_remediating",
                condition=Q(status="remediating"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.agency}"


class ItemResult(models.TextChoices):
    PENDING = "", _("not checked yet")
    COMPLIANT = "compliant", _("compliant")
    NONCOMPLIANT = "noncompliant", _("not compliant")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


# What the reform inspections check (the seeds' inspection plans), copied into each inspection.
DEFAULT_CHECKLIST = (
    "Ban hành và thực hiện kế hoạch CCHC năm",
    "Công khai thủ tục hành chính tại Bộ phận Một cửa và trên Cổng dịch vụ công",
    "Tiếp nhận, giải quyết và trả kết quả hồ sơ đúng hạn; xin lỗi khi trễ hạn",
    "Số hóa hồ sơ, kết quả giải quyết TTHC",
    "Tiếp nhận, xử lý phản ánh, kiến nghị",
    "Áp dụng hệ thống quản lý chất lượng TCVN ISO 9001:2015",
    "Chấp hành kỷ luật, kỷ cương hành chính, văn hóa công vụ",
)


class InspectionItem(models.Model):
    """One point of an inspection's checklist and what the team found there."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("inspection"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("checked"), max_length=255)
    result = models.CharField(
        _("result"),
        max_length=16,
        choices=ItemResult.choices,
        blank=True,
        default=ItemResult.PENDING,
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"
