"""Feedback and complaints about administrative regulations (phản ánh, kiến nghị; Decree
20/2008/NĐ-CP, amended by Decree 92/2017/NĐ-CP): the feedback with its stored deadline, its
attachments, its append-only events, the yearly code counter and the per-province answer time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import AdministrativeUnit, Agency
from motcua.catalogue.models import Procedure
from motcua.events import AppendOnlyEvent
from motcua.feedback.workflow import CLOCKED_STATUSES, Action, Status

CLOCKED = sorted(CLOCKED_STATUSES)


class Subject(models.TextChoices):
    """What the feedback is about (Decree 20/2008/NĐ-CP art. 1: the content of administrative
    regulations and the conduct of agencies and officers applying them)."""

    REGULATION = "regulation", _("an administrative regulation")
    PROCEDURE = "procedure", _("an administrative procedure")
    CONDUCT = "conduct", _("an officer's conduct")


class Feedback(models.Model):
    """One feedback or recommendation: who sent it (an account, or a name with contact details,
    or nobody: anonymous), what about, where it is (``agency``), its deadline ``due_at`` stored
    at each routing (working days on the agency's calendar), the approved answer and whether
    the asker consented to its publication."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    tracking_pin = models.CharField(_("tracking PIN"), max_length=16)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    subject = models.CharField(_("about"), max_length=12, choices=Subject.choices)
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sender_name = models.CharField(_("name"), max_length=150, blank=True)
    sender_address = models.CharField(_("address"), max_length=255, blank=True)
    sender_phone = models.CharField(_("phone"), max_length=30, blank=True)
    sender_email = models.EmailField(_("e-mail"), blank=True)
    consent_to_publish = models.BooleanField(_("consents to publication"), default=False)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    due_at = models.DateTimeField(_("answer due at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Lower case without diacritics (``catalogue.text.search_key``) of the title, the content
    # and the answer, set when published: the public list searches it.
    search_text = models.TextField(_("search key"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            # The scanner reads only routed, unanswered feedback by its deadline.
            models.Index(
                fields=["due_at"], name="feedback_open_due", condition=Q(status__in=CLOCKED)
            ),
            models.Index(fields=["agency", "status"], name="feedback_agency_status"),
            models.Index(
                fields=["-published_at"],
                name="feedback_published",
                condition=Q(status=Status.PUBLISHED),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def anonymous(self) -> bool:
        return self.status == Status.RECORDED


class FeedbackAttachment(models.Model):
    """A file sent with the feedback, checked like the desk's uploads (type by content)."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("name"), max_length=255)
    file = models.FileField(_("file"), upload_to="feedback/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("feedback attachment")
        verbose_name_plural = _("feedback attachments")
        ordering = ["feedback", "pk"]

    def __str__(self) -> str:
        return self.name


class FeedbackEvent(AppendOnlyEvent):
    """One change to a feedback: never edited, never deleted; the history and the audit."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    old_status = models.CharField(_("old status"), max_length=12, blank=True)
    new_status = models.CharField(_("new status"), max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
        ordering = ["feedback", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback.code} {self.at:%Y-%m-%d %H:%M} {self.action}"


class FeedbackCounter(models.Model):
    """The last sequence number of a year: codes are ``PAKN-<year>-<6 digits>``."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last sequence"), default=0)

    class Meta:
        verbose_name = _("feedback counter")
        verbose_name_plural = _("feedback counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class AnswerTime(models.Model):
    """A province's time to answer feedback, in working days (10 when none is set; the
    province's own rule, see docs/feedback.md)."""

    province = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    working_days = models.PositiveSmallIntegerField(_("working days to answer"))

    class Meta:
        verbose_name = _("feedback answer time")
        verbose_name_plural = _("feedback answer times")
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1), name="feedback_answer_time_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province}: {self.working_days}"
