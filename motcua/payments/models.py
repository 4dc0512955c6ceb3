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
    # When the gateway says it was paid (vnp_PayDate): the day its settlement file lists it.
    gateway_paid_at = models.DateTimeField(_("paid at the gateway"), null=True, blank=True)
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


class MismatchKind(models.TextChoices):
    GATEWAY_ONLY = "gateway_only", _("at the gateway only")
    OURS_ONLY = "ours_only", _("in our records only")
    AMOUNT = "amount_differs", _("amounts differ")
    STATUS = "status_differs", _("statuses differ")


class SettlementRun(models.Model):
    """One comparison of the gateway's settlement file of ``settlement_date`` with our
    payments: by the worker's daily job (``actor`` empty) or ``motcua compare-settlement``.
    ``error`` is set, and nothing compared, when the file could not be fetched or trusted."""

    gateway = models.CharField(_("gateway"), max_length=16, default="vnpay")
    settlement_date = models.DateField(_("settlement date"))
    ran_at = models.DateTimeField(_("ran at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gateway_rows = models.PositiveIntegerField(_("transactions at the gateway"), default=0)
    our_rows = models.PositiveIntegerField(_("transactions in our records"), default=0)
    matched = models.PositiveIntegerField(_("matched"), default=0)
    mismatched = models.PositiveIntegerField(_("unmatched"), default=0)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("settlement comparison")
        verbose_name_plural = _("settlement comparisons")
        ordering = ["-settlement_date", "-ran_at"]

    def __str__(self) -> str:
        return f"{self.settlement_date:%Y-%m-%d} ({self.mismatched})"


class SettlementMismatch(models.Model):
    """A transaction of a run that did not match: the gateway's view (``gateway_*``) beside
    ours (``our_*``); ``payment`` is empty when the gateway alone knows it. ``kind`` of a refund
    (``is_refund``) compares the day's refunds of the transaction, summed."""

    run = models.ForeignKey(
        SettlementRun,
        verbose_name=_("comparison"),
        on_delete=models.CASCADE,
        related_name="mismatches",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MismatchKind.choices)
    is_refund = models.BooleanField(_("refund"), default=False)
    txn_ref = models.CharField(_("transaction reference"), max_length=64)
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settlement_mismatches",
    )
    gateway_amount = models.BigIntegerField(_("amount at the gateway"), null=True, blank=True)
    our_amount = models.BigIntegerField(_("our amount"), null=True, blank=True)
    gateway_status = models.CharField(_("status at the gateway"), max_length=8, blank=True)
    our_state = models.CharField(_("our state"), max_length=16, blank=True)
    transaction_no = models.CharField(_("gateway transaction number"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("settlement mismatch")
        verbose_name_plural = _("settlement mismatches")
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return f"{self.txn_ref}: {self.get_kind_display()}"
