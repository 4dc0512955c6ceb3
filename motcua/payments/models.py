"""Online payments of a dossier's fees and financial obligations, and every gateway message.

``Payment`` holds the state of one attempt to pay (one ``txn_ref`` at the gateway); its history
is ``PaymentEvent``, append-only like every history table (``motcua.events``): every message
from or to the gateway is one row, refused ones too (a tampered signature, a wrong amount), so
a dispute can be settled from the log alone."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier
from motcua.events import AppendOnlyEvent


class Purpose(models.TextChoices):
    """What the payment is for: the procedure's fees (collected at submission, by the desk's
    ``collect_fee`` rule) or a financial obligation requested during processing
    (``request_payment``, met by ``confirm_payment``; the clock resumes)."""

    FEE = "fee", _("fees and charges of the procedure")
    OBLIGATION = "obligation", _("financial obligation requested during processing")


class PaymentState(models.TextChoices):
    PENDING = "pending", _("awaiting the gateway")
    PAID = "paid", _("paid")
    FAILED = "failed", _("not successful")
    CANCELLED = "cancelled", _("cancelled")
    REFUNDED = "refunded", _("refunded")


class Payment(models.Model):
    """One attempt to pay what a dossier owes through the gateway.

    ``amount`` is in VND (integer). ``txn_ref`` is the reference sent to the gateway, unique.
    ``receipt_number`` (the electronic receipt, biên lai điện tử) is set once it is paid."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="payments"
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    gateway = models.CharField(_("gateway"), max_length=16, default="vnpay")
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    txn_ref = models.CharField(_("transaction reference"), max_length=64, unique=True)
    state = models.CharField(
        _("state"), max_length=16, choices=PaymentState.choices, default=PaymentState.PENDING
    )
    transaction_no = models.CharField(_("gateway transaction number"), max_length=64, blank=True)
    bank_code = models.CharField(_("bank"), max_length=32, blank=True)
    receipt_number = models.CharField(
        _("receipt number"), max_length=32, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("created at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at"]
        indexes = [
            # The reconciliation scans pending payments by age.
            models.Index(
                fields=["created_at"],
                condition=Q(state="pending"),
                name="payment_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.txn_ref} ({self.get_state_display()})"


class Message(models.TextChoices):
    START = "start", _("redirected to the gateway")
    RETURN = "return", _("return URL")
    IPN = "ipn", _("IPN")
    QUERY = "query", _("transaction query")
    REFUND = "refund", _("refund")


class PaymentEvent(AppendOnlyEvent):
    """One message exchanged with the gateway, kept whatever its outcome.

    ``payment`` is empty when the message named no known transaction. ``verified`` says whether
    its signature matched; ``outcome`` is the answer given (an IPN's ``RspCode``) or what the
    service made of it; ``data`` holds the parameters as received."""

    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    message = models.CharField(_("message"), max_length=16, choices=Message.choices)
    txn_ref = models.CharField(_("transaction reference"), max_length=64, blank=True)
    verified = models.BooleanField(_("signature verified"))
    outcome = models.CharField(_("outcome"), max_length=100)
    old_state = models.CharField(_("old state"), max_length=16, blank=True)
    new_state = models.CharField(_("new state"), max_length=16, blank=True)
    at = models.DateTimeField(_("at"))
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["txn_ref"], name="payment_event_txn_idx")]

    def __str__(self) -> str:
        return f"{self.message} {self.txn_ref} → {self.outcome}"
