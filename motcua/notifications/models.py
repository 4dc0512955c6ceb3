"""The outbox: every e-mail and SMS the system sends is first a row here, written in the same
transaction as the change that caused it and delivered after commit (``services.deliver``) or by
``motcua send-notifications``. A unique ``dedupe_key`` means the same notice is never queued
twice, however often the scanner that finds it runs.

The outbox sits below the dossier engine, which writes to it: a notice names its dossier by
the dossier's code (``dossier_code``), never by a foreign key, so the outbox knows nothing of
the engine."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", _("due soon")
    OVERDUE = "overdue", _("overdue")
    ESCALATION = "escalation", _("escalation to the agency's leaders")
    DEADLINE_MOVED = "deadline_moved", _("deadline moved by a calendar change")
    # To the applicant, at each step they must know of (issue 13 item 6).
    RECEIVED = "received", _("dossier received")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("supplement requested")
    PAYMENT_REQUESTED = "payment_requested", _("payment requested")
    APOLOGY = "apology", _("apology with a new return date")
    RESULT_READY = "result_ready", _("result ready")
    REFUSED = "refused", _("dossier not accepted")
    RESULT_POSTED = "result_posted", _("result handed to the public post")


class Notification(models.Model):
    """One message to one recipient through one channel: queued once (``dedupe_key`` is
    unique), sent at most once (``sent_at``), retried with a growing delay after a failure
    (``attempts``, ``last_error``, ``next_attempt_at``)."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    address = models.CharField(
        _("address"),
        max_length=254,
        help_text=_("The e-mail address or phone number the message goes to."),
    )
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    dossier_code = models.CharField(
        _("dossier"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("The code of the dossier the message is about, if any."),
    )
    dedupe_key = models.CharField(_("deduplication key"), max_length=255, unique=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # ``deliver_pending`` looks only at unsent rows.
            models.Index(
                fields=["created_at"], condition=Q(sent_at=None), name="notification_unsent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.address} ({self.dedupe_key})"

    @property
    def state(self) -> str:
        """``sent``; ``failed`` after an attempt that did not go through (retried while
        attempts remain); ``queued`` before the first attempt."""
        if self.sent_at is not None:
            return "sent"
        return "failed" if self.attempts else "queued"
