"""The catalogue of administrative procedures (thủ tục hành chính, TTHC).

A procedure is identified by its national code and lives as a chain of versions: each version is
published by a decision (quyết định công bố) and ends when a later decision amends, replaces or
abolishes it. Versions are never deleted or edited after publication, so a dossier keeps the
version it was received under. A version has one or more cases (trường hợp), each with its own
statutory time, required documents, fees and internal processes. [domain §3]
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Role
from motcua.events import AppendOnlyEvent


class Field(models.Model):
    """A field of state management (lĩnh vực), e.g. civil status (hộ tịch), construction."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """A decision that publishes, amends, replaces or abolishes procedures, e.g. Decision
    1918/QĐ-UBND of 11/7/2018 announcing 75 procedures of the labour sector (seed 000)."""

    number = models.CharField(_("number"), max_length=64)
    signed_on = models.DateField(_("signed on"))
    issuer = models.CharField(_("issuing body"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    title = models.CharField(_("title"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issuer"], name="decision_number_per_issuer"),
            models.CheckConstraint(
                condition=Q(signed_on__lte=models.F("effective_from")),
                name="decision_effective_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


class Procedure(models.Model):
    """A procedure's identity: the national code that stays across its versions."""

    code = models.CharField(_("national code"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        version = self.versions.order_by("-number").first()
        return f"{self.code} {version.name if version else ''}".strip()


class OnlineLevel(models.TextChoices):
    """Decree 42/2022/NĐ-CP art. 11: online public service is full process (toàn trình) or partial
    (một phần); older texts used levels 1–4 (4 ≈ full, 3 ≈ partial)."""

    FULL = "full", _("full process online")
    PARTIAL = "partial", _("partly online")
    NONE = "none", _("not online")


class VersionStatus(models.TextChoices):
    PUBLISHED = "published", _("in force")
    AMENDED = "amended", _("superseded by an amendment")
    REPLACED = "replaced", _("replaced by another procedure")
    ABOLISHED = "abolished", _("abolished")


class ProcedureVersion(models.Model):
    """One published text of a procedure, in force from its decision's effective date until a
    later decision ends it. Immutable once published: a change is a new version."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=500)
    # Lower case without diacritics (``text.search_key``), for accent-insensitive search.
    name_search = models.CharField(_("search key"), max_length=500, editable=False, default="")
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="versions"
    )
    at_central = models.BooleanField(_("central level"), default=False)
    at_province = models.BooleanField(_("provincial level"), default=False)
    at_district = models.BooleanField(
        _("district level"), default=False, help_text=_("Only before 1 July 2025.")
    )
    at_commune = models.BooleanField(_("commune level"), default=False)
    competent_authority = models.CharField(_("competent authority"), max_length=300)
    receiving_authority = models.CharField(_("receiving authority"), max_length=300, blank=True)
    online_level = models.CharField(
        _("online level"), max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    inter_agency = models.BooleanField(_("inter-agency (liên thông)"), default=False)
    residence_free = models.BooleanField(
        _("may be submitted regardless of residence"), default=False
    )
    result = models.CharField(_("result"), max_length=300, blank=True)
    # The result is issued electronically (signed by the leader, delivered into the applicant's
    # account on approval; Decree 45/2020/NĐ-CP art. 14, Decision 766/QĐ-TTg's digitisation
    # group counts results returned electronically).
    result_electronic = models.BooleanField(_("result issued electronically"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.PUBLISHED
    )
    published_by = models.ForeignKey(
        Decision,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="published_versions",
    )
    ended_by = models.ForeignKey(
        Decision,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ended_versions",
    )
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    replaced_by = models.ForeignKey(
        Procedure,
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="published"),
                name="one_version_in_force",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__lte=models.F("effective_to")),
                name="version_validity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["status", "field"], name="version_status_field")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number} {self.name}"

    @property
    def levels(self) -> list[str]:
        flags = [
            ("central", self.at_central),
            ("province", self.at_province),
            ("district", self.at_district),
            ("commune", self.at_commune),
        ]
        return [name for name, on in flags if on]


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    NONE = "none", _("no fixed return date")


class Case(models.Model):
    """A case (trường hợp) of a procedure version, with its own statutory time and documents.

    A procedure with a single case has one row named after the procedure."""

    version = models.ForeignKey(
        ProcedureVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="cases"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=500)
    processing_time = models.DecimalField(
        _("statutory time"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(
        _("time unit"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["version", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="case_code_per_version"),
            models.CheckConstraint(
                condition=(Q(time_unit="none") & Q(processing_time__isnull=True))
                | (~Q(time_unit="none") & Q(processing_time__gt=Decimal(0))),
                name="case_time_matches_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version.procedure.code}/{self.code} {self.name}"


class DocumentForm(models.TextChoices):
    ORIGINAL = "original", _("original")
    CERTIFIED_COPY = "certified_copy", _("certified copy")
    COPY = "copy", _("copy")
    ORIGINAL_OR_CERTIFIED_COPY = "original_or_certified_copy", _("original or certified copy")
    SHOWN = "shown", _("original shown for checking")


class RequiredDocument(models.Model):
    """A document the applicant must (or may) submit for a case."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("name"), max_length=500)
    form = models.CharField(_("form"), max_length=32, choices=DocumentForm.choices)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    eform = models.CharField(
        _("e-form or template"), max_length=100, blank=True, help_text=_("e.g. Form TK1-TS")
    )
    # The template or e-form itself, to download from the portal (set by
    # ``services.set_document_template``, which checks its type by content).
    template = models.FileField(
        _("template file"), upload_to="templates/%Y/", max_length=255, blank=True
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="document_position_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        """The document's stable identifier within its case, published by the catalogue API
        and accepted by the submission API: ``TP`` (thành phần hồ sơ) and its number,
        ``TP01``. A published version's documents never change (a change is a new version)."""
        return f"{DOCUMENT_CODE_PREFIX}{self.position:02d}"


DOCUMENT_CODE_PREFIX = "TP"


def position_of_code(code: str) -> int | None:
    """The position a document code (``TP01``, ``tp1``) names, or ``None``."""
    text = code.strip().upper()
    digits = text.removeprefix(DOCUMENT_CODE_PREFIX)
    if digits == text or not digits.isdigit() or len(digits) > 4:
        return None
    return int(digits)


class FeeKind(models.TextChoices):
    FEE = "fee", _("fee (phí)")
    CHARGE = "charge", _("charge (lệ phí)")


class Fee(models.Model):
    """A fee or charge for a case, in Vietnamese đồng; amount 0 means exempt."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="fees"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FeeKind.choices)
    name = models.CharField(_("name"), max_length=300)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("fee or charge")
        verbose_name_plural = _("fees and charges")
        ordering = ["case", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount:,} đ"


class InternalProcess(models.Model):
    """The internal process (quy trình nội bộ) of a case: ordered steps whose allowances add up
    to the statutory time (Decree 118/2025 art. 23; earlier Decree 61/2018 art. 25).

    Without an agency it is the template used by every agency that has no process of its own."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="processes"
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processes",
    )
    name = models.CharField(_("name"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("internal process")
        verbose_name_plural = _("internal processes")
        ordering = ["case", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="process_per_case_agency"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(agency__isnull=True), name="one_template_process"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} @ {self.agency.code if self.agency else '*'}"


class ProcessStep(models.Model):
    """One step of an internal process: who does it and how much of the statutory time it has.

    The allowance is in the case's time unit. ``responsible_agency`` is set on steps done at
    another agency (inter-agency procedures); otherwise the process's own agency does the step."""

    process = models.ForeignKey(
        InternalProcess, verbose_name=_("process"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("no."))
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("responsible role"), max_length=32, choices=Role.choices)
    unit = models.CharField(
        _("responsible unit"), max_length=200, help_text=_("e.g. One-stop section, Civil status")
    )
    responsible_agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    allowance = models.DecimalField(_("time allowance"), max_digits=7, decimal_places=2)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(fields=["process", "position"], name="step_position_unique"),
            models.CheckConstraint(condition=Q(allowance__gte=0), name="allowance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class AssignmentRole(models.TextChoices):
    RECEIVING = "receiving", _("receives dossiers")
    COMPETENT = "competent", _("competent to decide")
    COORDINATING = "coordinating", _("coordinates (inter-agency)")


class ProcedureAssignment(models.Model):
    """Which of the province's agencies receive dossiers of a procedure, decide on them or take
    part in an inter-agency process. The national text names the authority in general terms
    ("People's Committee at commune level"); the province assigns the concrete agencies."""

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="procedure_assignments",
    )
    role = models.CharField(_("role"), max_length=16, choices=AssignmentRole.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("procedure assignment")
        verbose_name_plural = _("procedure assignments")
        ordering = ["procedure", "role", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "agency", "role"], name="assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} → {self.agency.code} ({self.get_role_display()})"


class CatalogueAction(models.TextChoices):
    PUBLISHED = "published", _("published")
    AMENDED = "amended", _("amended")
    REPLACED = "replaced", _("replaced")
    ABOLISHED = "abolished", _("abolished")
    PROCESS_SET = "process_set", _("internal process set")
    ASSIGNED = "assigned", _("assigned to an agency")
    UNASSIGNED = "unassigned", _("assignment removed")
    IMPORTED = "imported", _("imported")
    TEMPLATE_SET = "template_set", _("document template set")


class CatalogueEvent(AppendOnlyEvent):
    """Append-only history of the catalogue: every publication, amendment, replacement,
    abolition and process change, with the decision, the actor and the data. Never edited."""

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="events"
    )
    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    action = models.CharField(_("action"), max_length=16, choices=CatalogueAction.choices)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
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
        verbose_name = _("catalogue event")
        verbose_name_plural = _("catalogue events")
        ordering = ["procedure", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.procedure.code} {self.action} {self.at:%Y-%m-%d}"
