"""Dossiers (hồ sơ): what an applicant submits, its steps through the agencies, its documents and
its append-only event log. The log is the history, the audit trail and what reports count.

Statuses and actions are defined in ``workflow.py``; every write goes through ``services.py``.
Deadlines are stored columns (``due_at`` on the dossier and on each step), set whenever they
change, never recomputed on read.
"""

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Role
from motcua.catalogue.models import (
    Case,
    DocumentForm,
    ProcedureVersion,
    RequiredDocument,
    TimeUnit,
)
from motcua.dossiers.access_models import DossierAccess  # noqa: F401
from motcua.dossiers.draft_models import Draft, DraftDocument, Upload, UploadPart  # noqa: F401
from motcua.dossiers.extra_paper_models import ExtraPaperDemand  # noqa: F401

# The report rollups are the engine's models too (defined apart, loaded with these).
from motcua.dossiers.rollup_models import (  # noqa: F401
    AgencyGroupRollup,
    AgencyRollup,
    DailyRollup,
    GroupRollup,
)
from motcua.dossiers.signed_models import SignedCopy, SignedKind  # noqa: F401
from motcua.dossiers.workflow import OPEN_STATUSES, Action, Channel, Status
from motcua.events import AppendOnlyEvent


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class ReturnMethod(models.TextChoices):
    IN_PERSON = "in_person", _("in person at the desk")
    POST = "post", _("by public post")
    ELECTRONIC = "electronic", _("electronically")


# The longest postal item number (số bưu gửi) accepted: a VNPost item number is 13 characters
# (two letters, nine digits, "VN"); room is left for domestic forms.
MAX_POSTAL_TRACKING = 30
MAX_POSTAL_ADDRESS = 500


class PaymentMethod(models.TextChoices):
    """How a fee or a financial obligation was paid (kept in the payment's event)."""

    CASH = "cash", _("cash")
    TRANSFER = "transfer", _("bank transfer")
    CARD = "card", _("card")
    ONLINE = "online", _("online payment")


class Dossier(models.Model):
    """A dossier: one application under one procedure version and case.

    ``due_at`` is the appointment lateness is judged against: it moves only when the clock pauses
    (the paused working time is added back) or its calendar changes, never with an apology;
    an apology sets ``promised_at``, the new return date given to the applicant (Decree
    118/2025 art. 19; Form 04 of Circular 03/2025)."""

    code = models.CharField(_("dossier code"), max_length=64, unique=True)
    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("procedure version"), on_delete=models.PROTECT
    )
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=2, choices=Status.choices)

    applicant_kind = models.CharField(
        _("applicant is a"),
        max_length=12,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
    )
    applicant_name = models.CharField(_("applicant"), max_length=255)
    # ``catalogue.text.search_key`` of the name (lower case, no diacritics), written with the
    # name: "LÊ VĂN NĂM" and "Le Van Nam" find "Lê Văn Năm" on SQLite, whose LIKE folds only
    # ASCII case, and on PostgreSQL alike, without the ``unaccent`` extension.
    applicant_name_search = models.CharField(
        _("applicant search key"), max_length=255, editable=False, default=""
    )
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=30, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    # The channels the applicant chose at the desk for notices about this dossier (issue 13
    # item 6); a dossier submitted from a portal account follows the account's choice instead
    # (``notices.channels_of``).
    notify_by_email = models.BooleanField(_("notify by e-mail"), default=True)
    notify_by_sms = models.BooleanField(_("notify by SMS"), default=True)
    proxy_name = models.CharField(_("proxy"), max_length=255, blank=True)
    proxy_id_number = models.CharField(_("proxy ID number"), max_length=20, blank=True)
    proxy_phone = models.CharField(_("proxy phone"), max_length=30, blank=True)
    # The secret printed on Form 01 beside the code (``codes.new_tracking_pin``): with it the
    # public tracking page shows the applicant's data. Empty only for rows made without intake.
    tracking_pin = models.CharField(_("tracking PIN"), max_length=16, blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("citizen account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )

    receiving_agency = models.ForeignKey(
        Agency, verbose_name=_("receiving agency"), on_delete=models.PROTECT, related_name="+"
    )
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="+"
    )
    current_agency = models.ForeignKey(
        Agency,
        verbose_name=_("current agency"),
        on_delete=models.PROTECT,
        related_name="dossiers_here",
    )
    current_step = models.ForeignKey(
        "DossierStep",
        verbose_name=_("current step"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_dossiers",
    )

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    # Form 01's number (``<receipt_number>/TTPVHCC``), taken at receipt from the receiving
    # agency's yearly counter (``ReceiptCounter``); empty for dossiers never received here
    # (online submissions not yet received, historic imports).
    receipt_number = models.PositiveIntegerField(_("receipt number"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    promised_at = models.DateTimeField(_("new return date (apology)"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    paused_for = models.DurationField(_("working time paused so far"), default=dt.timedelta(0))
    status_before_pause = models.CharField(
        _("status before the pause"), max_length=2, choices=Status.choices, blank=True
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    return_method = models.CharField(
        _("return method"), max_length=12, choices=ReturnMethod.choices, blank=True
    )
    # Return by public post (bưu chính công ích; Decision 17/2011/QĐ-TTg, Decree 118/2025 —
    # article to verify): the address the applicant chose at intake, then the desk's hand-over
    # to the post (``services.hand_to_post``) with the postal item's number.
    postal_address = models.CharField(
        _("postal address for the result"), max_length=MAX_POSTAL_ADDRESS, blank=True
    )
    postal_tracking_number = models.CharField(
        _("postal item number"), max_length=MAX_POSTAL_TRACKING, blank=True
    )
    posted_at = models.DateTimeField(_("handed to the post at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    fees_due = models.DecimalField(_("fees due (VND)"), max_digits=14, decimal_places=0, default=0)
    fees_paid = models.DecimalField(
        _("fees paid (VND)"), max_digits=14, decimal_places=0, default=0
    )
    # Incremented by every action: a compare-and-set guard against two officers acting at once.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # Papers demanded beyond the published list (``extra_papers.py``): the dossier's flag, kept
    # with each demand so that lists and pages need no event scan.
    extra_papers = models.PositiveSmallIntegerField(
        _("papers beyond the published list"), default=0
    )
    imported = models.BooleanField(_("imported from a legacy system"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-received_at", "-pk"]
        indexes = [
            # The scanner and the queues look only at open dossiers by due instant.
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="open_dossier_due",
            ),
            models.Index(fields=["current_agency", "status"], name="dossier_agency_status"),
            models.Index(fields=["received_at"], name="dossier_received"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
        ]

    def __str__(self) -> str:
        return self.code


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    ACTIVE = "active", _("in progress")
    DONE = "done", _("handed over")
    SENT_BACK = "sent_back", _("sent back")
    CANCELLED = "cancelled", _("cancelled")


class Timeliness(models.TextChoices):
    EARLY = "early", _("early")
    ON_TIME = "on_time", _("on time")
    LATE = "late", _("late")


class DossierStep(models.Model):
    """One step of a dossier's internal process, at one agency, with its own due instant.

    A step's row is the dossier's line on the process control sheet (Form 06): who handed it
    over to whom and when, and whether the hand-over was early, on time or late, judged at date
    level against the step's due instant (domain §4). Lateness is attributed to the step's
    agency and assignee."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("name"), max_length=300)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    allowance = models.DecimalField(_("time allowance"), max_digits=7, decimal_places=2)
    time_unit = models.CharField(_("time unit"), max_length=16, choices=TimeUnit.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.WAITING
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("held by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    timeliness = models.CharField(
        _("timeliness"), max_length=8, choices=Timeliness.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("dossier step")
        verbose_name_plural = _("dossier steps")
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="dossier_step_position"),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(status="active"), name="active_step_due"),
            # The dashboard's slowest steps: steps handed over in a period.
            models.Index(fields=["finished_at"], name="dossier_step_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier.code} #{self.position} {self.name}"


def document_path(instance: "DossierDocument", filename: str) -> str:
    return f"dossiers/{instance.dossier.code}/{instance.sha256[:16]}-{filename}"


class DossierDocument(models.Model):
    """A document of a dossier: an item of the required-documents checklist and, when scanned
    or uploaded, its file (kept through Django's storage API, with its checksum)."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="documents"
    )
    required = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("required document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=500)
    form = models.CharField(_("form"), max_length=32, choices=DocumentForm.choices)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    provided = models.BooleanField(_("provided"), default=True)
    # A paper the published list does not hold, asked for at the desk: the basis the officer
    # typed (Decree 61/2018 art. 5; ``extra_papers.py``).
    legal_basis = models.CharField(_("legal basis"), max_length=1000, blank=True)
    # The result itself (the signed permit, certificate…), attached by the officer processing
    # the dossier, as the electronic copy returned to the applicant's data store when they
    # chose electronic return (Decree 45/2020 art. 14; the owner downloads it on the portal).
    result = models.BooleanField(_("the result issued"), default=False)
    file = models.FileField(_("file"), upload_to=document_path, blank=True, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("dossier document")
        verbose_name_plural = _("dossier documents")
        ordering = ["dossier", "pk"]

    def __str__(self) -> str:
        return self.name


class DossierEvent(AppendOnlyEvent):
    """One change to a dossier: never edited, never deleted. Reconstructs any dossier's
    history and is what the reports count."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    old_status = models.CharField(_("old status"), max_length=2, choices=Status.choices, blank=True)
    new_status = models.CharField(_("new status"), max_length=2, choices=Status.choices)
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
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "at", "pk"]
        indexes = [models.Index(fields=["action", "at"], name="dossier_event_action_at")]

    def __str__(self) -> str:
        return f"{self.dossier.code} {self.at:%Y-%m-%d %H:%M} {self.action}"


class DossierCounter(models.Model):
    """The last sequence number issued by an agency on a day: dossier codes are
    ``<agency code>-<YYMMDD>-<sequence>``, gap-free per agency per day (Circular 03/2025)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT)
    day = models.DateField(_("day"))
    last = models.PositiveIntegerField(_("last sequence"), default=0)

    class Meta:
        verbose_name = _("dossier counter")
        verbose_name_plural = _("dossier counters")
        constraints = [
            models.UniqueConstraint(fields=["agency", "day"], name="one_counter_per_agency_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.day.isoformat()}: {self.last}"


class ReceiptCounter(models.Model):
    """The last receipt number (Form 01) an agency issued in a year. Document numbers run from
    01 on 1 January to 31 December and restart each year (Decree 30/2020/NĐ-CP art. 15), so the
    receipt number does not restart each day as the dossier code's sequence does."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_receipt_counter_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.year}: {self.last}"


class ReplyKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("supplement request")
    REFUSAL = "refusal", _("refusal")


class ReplyTemplate(models.Model):
    """A reply an agency keeps ready for supplement requests (Form 02) or refusals (Form 03):
    the officer picks it and edits the text before sending. Changed only through
    ``replies.py``, each change recorded as a ``ReplyTemplateEvent``; deactivated, never
    deleted, so the history keeps what it said."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="reply_templates"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReplyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["agency", "kind", "title", "pk"]
        indexes = [
            models.Index(fields=["agency", "kind", "active"], name="reply_template_lookup"),
        ]

    def __str__(self) -> str:
        return self.title


class ReplyTemplateAction(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")
    DEACTIVATED = "deactivated", _("deactivated")


class ReplyTemplateEvent(AppendOnlyEvent):
    """Append-only audit trail of reply templates: who created, changed or deactivated one,
    when, and what it said afterwards. Never edited."""

    template = models.ForeignKey(
        ReplyTemplate,
        verbose_name=_("reply template"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=12, choices=ReplyTemplateAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("reply template event")
        verbose_name_plural = _("reply template events")
        ordering = ["template", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.template_id} {self.at:%Y-%m-%d %H:%M} {self.action}"


class IntakeKey(models.Model):
    """An idempotency key of one intake request: the reception form's one-time token or the
    API's ``Idempotency-Key`` header, per user. The first request that carries it creates the
    dossier and stores the answer given; a repeat within ``idempotency.WINDOW`` gets that
    answer again instead of a second dossier. Written only by ``idempotency.py``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("key"), max_length=255)
    # SHA-256 of the endpoint and the request body: the same key with another body is refused.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status_code = models.PositiveSmallIntegerField(_("status code"), default=0)
    body = models.JSONField(_("answer"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("intake idempotency key")
        verbose_name_plural = _("intake idempotency keys")
        constraints = [
            # The database, not a prior read, decides which of two simultaneous requests wins.
            models.UniqueConstraint(fields=["user", "key"], name="one_intake_key_per_user"),
        ]
        indexes = [models.Index(fields=["expires_at"], name="intake_key_expires")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
