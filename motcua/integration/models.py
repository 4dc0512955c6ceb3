"""The national portal's outbox, its history and the code mappings an administrator keeps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.events import AppendOnlyEvent


class MappingKind(models.TextChoices):
    STATUS = "status", _("dossier status")
    CHANNEL = "channel", _("channel")
    AGENCY = "agency", _("agency")
    PROCEDURE = "procedure", _("procedure")


class CodeMapping(models.Model):
    """Our code of a status, channel, agency or procedure and the national portal's code for it;
    kept by an administrator. A message naming an item without one waits in the outbox,
    blocked, until it is added and the message re-queued (docs/integration.md)."""

    kind = models.CharField(_("kind"), max_length=16, choices=MappingKind.choices)
    ours = models.CharField(_("our code"), max_length=64)
    national = models.CharField(_("national code"), max_length=64)
    note = models.CharField(_("note"), max_length=255, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("national code mapping")
        verbose_name_plural = _("national code mappings")
        ordering = ["kind", "ours"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "ours"], name="integration_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ours} → {self.national}"


class Operation(models.TextChoices):
    """The national portal's operations, named as OpenCPS v2 names them."""

    SYNC_DOSSIER = "sync_dossier", _("sync dossier")
    UPDATE_PROGRESS = "update_progress", _("update progress")
    SYNC_RATINGS = "sync_ratings", _("sync ratings")
    SYNC_QUESTIONS = "sync_questions", _("sync questions and answers")


class MessageState(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    BLOCKED = "blocked", _("blocked")  # an unmapped code: waits for an administrator
    DEAD = "dead", _("dead letter")  # failed MOTCUA_NATIONAL_MAX_ATTEMPTS times


class OutboxMessage(models.Model):
    """One event for the national portal, written in the event's transaction and delivered in
    ``sequence`` order per ``stream``: a message waits while an earlier one of its stream is
    undelivered. A dossier's events and its rating share one stream, the dossier's code (then
    ``dossier`` is set, and ``event`` for a dossier event); a feedback's answer has its own,
    ``feedback:<code>``. ``facts`` holds our codes; the national codes are looked up when it is
    sent, and what was sent is kept in ``sent``."""

    stream = models.CharField(_("ordering key"), max_length=80)
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sequence = models.PositiveIntegerField(_("sequence"))
    event = models.OneToOneField(
        DossierEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    operation = models.CharField(_("operation"), max_length=24, choices=Operation.choices)
    facts = models.JSONField(_("facts"), default=dict)
    state = models.CharField(
        _("state"), max_length=12, choices=MessageState.choices, default=MessageState.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    problem = models.CharField(_("problem"), max_length=500, blank=True)
    sent = models.JSONField(_("sent"), null=True, blank=True)
    ack_id = models.CharField(_("acknowledgement"), max_length=128, blank=True)
    acked_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    note = models.TextField(_("administrator's note"), blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("national outbox message")
        verbose_name_plural = _("national outbox messages")
        ordering = ["stream", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["stream", "sequence"], name="integration_stream_sequence"
            )
        ]
        indexes = [
            # The delivery run's scan: the undelivered messages, by stream and sequence.
            models.Index(
                fields=["stream", "sequence"],
                name="integration_undelivered",
                condition=~models.Q(state="delivered"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.stream} #{self.sequence}"


class MessageEvent(AppendOnlyEvent):
    """One thing that happened to an outbox message: an attempt (with the answer), blocking,
    dead-lettering, a re-queue or a note by an administrator. Never edited."""

    class Kind(models.TextChoices):
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        BLOCKED = "blocked", _("blocked")
        DEAD = "dead", _("dead-lettered")
        REQUEUED = "requeued", _("re-queued")
        NOTED = "noted", _("noted")

    message = models.ForeignKey(
        OutboxMessage, verbose_name=_("message"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    detail = models.TextField(_("detail"), blank=True)

    class Meta:
        verbose_name = _("outbox message event")
        verbose_name_plural = _("outbox message events")
        ordering = ["message", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.message} {self.kind}"


class ChangeKind(models.TextChoices):
    NEW = "new", _("new procedure")
    AMENDED = "amended", _("amended procedure")
    ABOLISHED = "abolished", _("abolished procedure")


class ChangeState(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    SUPERSEDED = "superseded", _("superseded by a later pull")


class CatalogueChange(models.Model):
    """A difference between the national catalogue, as last pulled, and ours: a procedure new
    there, amended there, or abolished there. It waits for the catalogue officer, who sees it
    field by field and accepts it (a new version through the catalogue's services) or rejects
    it with a reason; never applied by the pull itself. ``national`` is the procedure as the
    portal sent it (interchange format), ``decision`` the decision publishing, amending or
    abolishing it, ``field`` the national field when ours lacks it; ``base`` the version in
    force here when it was pulled (amended, abolished), ``result`` the version accepting it
    made."""

    procedure_code = models.CharField(_("national code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=12, choices=ChangeKind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=ChangeState.choices, default=ChangeState.PENDING
    )
    national = models.JSONField(_("procedure as pulled"), default=dict, blank=True)
    decision = models.JSONField(_("decision"), default=dict)
    field = models.JSONField(_("field"), default=dict, blank=True)
    base = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version in force when pulled"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version made"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason for rejection"), blank=True)
    pulled_at = models.DateTimeField(_("pulled at"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("national catalogue change")
        verbose_name_plural = _("national catalogue changes")
        ordering = ["-pulled_at", "procedure_code"]
        constraints = [
            # One change waits per procedure: a later pull supersedes it.
            models.UniqueConstraint(
                fields=["procedure_code"],
                condition=models.Q(state="pending"),
                name="integration_one_pending_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure_code} ({self.kind})"


class CatalogueSyncEvent(AppendOnlyEvent):
    """One thing that happened in keeping the catalogue in step with the national one: a pull
    (``change`` empty; its counts or its failure in ``data``), a change it found, superseded,
    accepted or rejected. Never edited."""

    class Kind(models.TextChoices):
        PULLED = "pulled", _("catalogue pulled")
        PULL_FAILED = "pull_failed", _("pull failed")
        FOUND = "found", _("change found")
        SUPERSEDED = "superseded", _("superseded")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    change = models.ForeignKey(
        CatalogueChange,
        verbose_name=_("change"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("catalogue sync event")
        verbose_name_plural = _("catalogue sync events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
