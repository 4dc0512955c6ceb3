"""The PAR index (Chỉ số cải cách hành chính) self-assessment: the year's criteria tree, each
agency's self-assessment with its scores and evidence, the focal points and the history."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, User
from motcua.events import AppendOnlyEvent
from motcua.par.workflow import Action, Group, Status


class Measure(models.TextChoices):
    """A figure the system computes for an agency over the year's annual reporting window."""

    NONE = "", _("scored by hand")
    ON_TIME_RATE = "on_time_rate", _("dossiers resolved on time (%)")
    ONLINE_SHARE = "online_share", _("dossiers received online (%)")
    SATISFACTION = "satisfaction", _("ratings satisfied or very satisfied (%)")
    FEEDBACK_ON_TIME = "feedback_on_time", _("feedback answered on time (%)")


class CriteriaSet(models.Model):
    """The criteria the province published for one year, imported whole from its XLSX file;
    replaced only while no agency has started its self-assessment."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=255)
    source_name = models.CharField(_("source file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    imported_at = models.DateTimeField(_("imported at"))
    imported_by = models.ForeignKey(
        User,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PAR criteria set")
        verbose_name_plural = _("PAR criteria sets")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"


class Area(models.Model):
    """A field of the index (lĩnh vực), e.g. "Cải cách thủ tục hành chính"."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE, related_name="areas"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("PAR area")
        verbose_name_plural = _("PAR areas")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="par_area_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Criterion(models.Model):
    """A criterion (tiêu chí) of an area."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="criteria"
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=1000)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("PAR criterion")
        verbose_name_plural = _("PAR criteria")
        ordering = ["area", "position"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SubCriterion(models.Model):
    """A sub-criterion (tiêu chí thành phần): what is scored, with its maximum, the province's
    scoring guidance and, when the system can measure it, the figure and the target at which
    it earns full points."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="subs"
    )
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=1000)
    max_points = models.DecimalField(_("maximum points"), max_digits=6, decimal_places=2)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    measure = models.CharField(
        _("measured by the system"), max_length=20, choices=Measure.choices, blank=True
    )
    target = models.DecimalField(
        _("target (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("PAR sub-criterion")
        verbose_name_plural = _("PAR sub-criteria")
        ordering = ["criterion", "position"]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class FocalPoint(models.Model):
    """The official an agency answers the PAR self-assessment through (đầu mối), designated
    by the reform office."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="par_focal_points"
    )
    designated_at = models.DateTimeField(_("designated at"))

    class Meta:
        verbose_name = _("PAR focal point")
        verbose_name_plural = _("PAR focal points")
        ordering = ["agency", "user"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="par_focal_point_once")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code}: {self.user}"


class Assessment(models.Model):
    """One agency's self-assessment of one year: its status, totals and when each step was
    taken. The agency's group (departments or communes) is fixed when it is opened."""

    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(_("group"), max_length=12, choices=Group.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    self_total = models.DecimalField(
        _("self-assessed total"), default=Decimal(0), max_digits=6, decimal_places=2
    )
    final_total = models.DecimalField(
        _("final total"), null=True, blank=True, max_digits=6, decimal_places=2
    )
    opened_at = models.DateTimeField(_("opened at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("PAR self-assessment")
        verbose_name_plural = _("PAR self-assessments")
        ordering = ["criteria_set", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "agency"], name="par_assessment_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criteria_set.year} {self.agency.code}"


class Score(models.Model):
    """One sub-criterion of one self-assessment: the agency's points and explanation (or the
    system's figure and the points it earns), and the reform office's appraised points with
    the reason for any change."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    sub = models.ForeignKey(
        SubCriterion, verbose_name=_("sub-criterion"), on_delete=models.PROTECT, related_name="+"
    )
    self_points = models.DecimalField(
        _("self-assessed points"), null=True, blank=True, max_digits=6, decimal_places=2
    )
    explanation = models.TextField(_("explanation"), blank=True)
    measured_figure = models.DecimalField(
        _("measured figure (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    measured_basis = models.CharField(_("measured from"), max_length=255, blank=True)
    final_points = models.DecimalField(
        _("appraised points"), null=True, blank=True, max_digits=6, decimal_places=2
    )
    appraisal_reason = models.TextField(_("reason for the change"), blank=True)

    class Meta:
        verbose_name = _("PAR score")
        verbose_name_plural = _("PAR scores")
        ordering = ["assessment", "sub"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "sub"], name="par_score_once"),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True) | Q(self_points__gte=0),
                name="par_self_points_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(final_points__isnull=True) | Q(final_points__gte=0),
                name="par_final_points_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.sub.code}"


class Evidence(models.Model):
    """A file proving a score (tài liệu kiểm chứng), checked like the desk's uploads."""

    score = models.ForeignKey(
        Score, verbose_name=_("score"), on_delete=models.CASCADE, related_name="evidence"
    )
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(_("file"), upload_to="par/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("PAR evidence")
        verbose_name_plural = _("PAR evidence")
        ordering = ["score", "pk"]

    def __str__(self) -> str:
        return self.name


class ParEvent(AppendOnlyEvent):
    """One change to the PAR self-assessment (an import, a designation, a score, an
    appraisal, a publication): never edited, never deleted."""

    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("criteria set"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("self-assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    old_status = models.CharField(_("old status"), max_length=12, blank=True)
    new_status = models.CharField(_("new status"), max_length=12, blank=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("PAR event")
        verbose_name_plural = _("PAR events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
