"""The national portal's outbox, its history and the code mappings an administrator keeps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
