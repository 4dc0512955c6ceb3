"""Online payment: start, the gateway's return and IPN, reconciliation and refund.

Every message exchanged with the gateway appends a ``PaymentEvent`` whatever its outcome. Only
a verified IPN or a verified transaction query (``reconcile``) marks a payment paid; the return
URL is for showing the citizen the result. Once paid, the engine records it on the dossier:
fees of the procedure through ``collect_fee``, a financial obligation through
``confirm_payment`` (the clock resumes), with the receipt number and method ``online``."""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, PaymentMethod
from motcua.dossiers.services import collect_fee, confirm_payment, fees_owed
from motcua.dossiers.workflow import Status
from motcua.errors import Refused, invalid, refusal_codes
from motcua.payments import gateway as gw
from motcua.payments.actor import gateway_actor
from motcua.payments.models import Message, Payment, PaymentEvent, PaymentState, Purpose

log = logging.getLogger(__name__)

# Where the procedure's fees may be collected (the desk's ``collect_fee`` rule).
FEE_STATUSES = frozenset(
    {
        Status.NEW,
        Status.RECEIVED,
        Status.PROCESSING,
        Status.SUPPLEMENT_REQUESTED,
        Status.PROCESSED,
    }
)


def payable(dossier: Dossier) -> tuple[str, int] | None:
    """What the applicant can pay online now: (purpose, amount in VND), or None."""
    owed = int(fees_owed(dossier))
    if owed <= 0:
        return None
    if dossier.status == Status.FINANCIAL_OBLIGATION:
        return Purpose.OBLIGATION, owed
    if dossier.status in FEE_STATUSES:
        return Purpose.FEE, owed
    return None


def _event(
    payment: Payment | None,
    message: str,
    *,
    txn_ref: str,
    verified: bool,
    outcome: str,
    now: dt.datetime,
    old_state: str = "",
    data: dict[str, str] | None = None,
) -> PaymentEvent:
    return PaymentEvent.objects.create(
        payment=payment,
        message=message,
        txn_ref=txn_ref[:64],  # as received, cut to the column (a forged one may be longer)
        verified=verified,
        outcome=outcome[:100],
        old_state=old_state or (payment.state if payment else ""),
        new_state=payment.state if payment else "",
        at=now,
        data=data or {},
    )


def _new_txn_ref(now: dt.datetime) -> str:
    # Letters and digits only: VNPay's vnp_TxnRef.
    return f"MC{timezone.localtime(now):%y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def start_payment(
    dossier: Dossier,
    *,
    payer: User,
    return_url: str,
    ip_address: str,
    locale: str = "vn",
    now: dt.datetime | None = None,
) -> tuple[Payment, str]:
    """Open a payment of what ``dossier`` owes and return it with the gateway's address to
    redirect the payer to. Only the dossier's owner pays through the portal."""
    now = now or timezone.now()
    gateway = gw.gateway()
    if not gateway.configured:
        raise invalid(
            "payment_gateway_not_configured", _("Online payment is not available at present.")
        )
    if dossier.owner_id is None or dossier.owner_id != payer.pk:
        raise Refused(_("Only the applicant pays this dossier online."), code="payment_not_owner")
    what = payable(dossier)
    if what is None:
        raise invalid("payment_nothing_owed", _("Nothing is owed on this dossier now."))
    purpose, amount = what
    with transaction.atomic():
        payment = Payment.objects.create(
            dossier=dossier,
            payer=payer,
            gateway=gateway.name,
            purpose=purpose,
            amount=amount,
            txn_ref=_new_txn_ref(now),
            created_at=now,
            updated_at=now,
        )
        request = gw.PaymentRequest(
            txn_ref=payment.txn_ref,
            amount=amount,
            order_info=f"Thanh toan ho so {dossier.code}",
            return_url=return_url,
            ip_address=ip_address or "127.0.0.1",
            created_at=now,
            locale=locale,
        )
        url = gateway.payment_url(request)
        _event(
            payment,
            Message.START,
            txn_ref=payment.txn_ref,
            verified=True,
            outcome="redirected",
            now=now,
            data=gateway.payment_params(request),
        )
    return payment, url


def receipt_number_for(payment: Payment) -> str:
    """The electronic receipt's number: ``BL`` + year of payment + the payment's number."""
    paid = timezone.localtime(payment.paid_at or payment.created_at)
    return f"BL{paid:%Y}-{payment.pk:07d}"


def _apply_to_dossier(payment: Payment, now: dt.datetime) -> str:
    """Record the paid amount on the dossier through the engine; the outcome's code."""
    dossier = payment.dossier
    actor = gateway_actor(dossier.receiving_agency)
    receipt = payment.receipt_number or ""
    try:
        with transaction.atomic():
            if payment.purpose == Purpose.OBLIGATION:
                confirm_payment(
                    dossier,
                    actor=actor,
                    amount=Decimal(payment.amount),
                    receipt=receipt,
                    method=PaymentMethod.ONLINE,
                    now=now,
                )
            else:
                collect_fee(
                    dossier,
                    actor=actor,
                    amount=Decimal(payment.amount),
                    receipt=receipt,
                    method=PaymentMethod.ONLINE,
                    now=now,
                )
    except (ValidationError, PermissionDenied) as exc:
        # The money was taken: the payment stays paid and the desk sees why the dossier was not
        # updated (e.g. paid twice in two tabs, or withdrawn meanwhile): a refund is due.
        log.warning("payment %s not applied to %s: %s", payment.txn_ref, dossier.code, exc)
        return "paid_not_applied:" + ",".join(refusal_codes(exc))
    return "paid"


def _mark_paid(payment: Payment, result: gw.GatewayResult, now: dt.datetime) -> str:
    payment.state = PaymentState.PAID
    payment.transaction_no = result.transaction_no
    payment.bank_code = result.bank_code
    payment.paid_at = now
    payment.gateway_paid_at = gw.parse_vnpay_date(result.pay_date)
    payment.updated_at = now
    payment.receipt_number = receipt_number_for(payment)
    payment.save(
        update_fields=[
            "state",
            "transaction_no",
            "bank_code",
            "paid_at",
            "gateway_paid_at",
            "updated_at",
            "receipt_number",
        ]
    )
    return _apply_to_dossier(payment, now)


def _mark_unpaid(payment: Payment, result: gw.GatewayResult, now: dt.datetime) -> None:
    cancelled = result.response_code == gw.RESPONSE_CANCELLED
    payment.state = PaymentState.CANCELLED if cancelled else PaymentState.FAILED
    payment.transaction_no = result.transaction_no
    payment.updated_at = now
    payment.save(update_fields=["state", "transaction_no", "updated_at"])


def handle_ipn(params: dict[str, str], *, now: dt.datetime | None = None) -> dict[str, str]:
    """The gateway's server-to-server notice: verify, apply once, answer ``{RspCode, Message}``.

    97 when the signature does not match, 01 for an unknown transaction, 04 when the amount is
    not the payment's, 02 when the payment is no longer pending (the same IPN twice changes
    nothing), 00 when the result was recorded (paid, failed or cancelled)."""
    now = now or timezone.now()
    result = gw.gateway().verify(params)
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update().filter(txn_ref=result.txn_ref).first()
            if result.txn_ref
            else None
        )

        def answer(code: str, outcome: str = "", old_state: str = "") -> dict[str, str]:
            _event(
                payment,
                Message.IPN,
                txn_ref=result.txn_ref,
                verified=result.verified,
                outcome=outcome or code,
                old_state=old_state,
                now=now,
                data=result.raw,
            )
            return gw.ipn_answer(code)

        if not result.verified:
            return answer(gw.IPN_INVALID_SIGNATURE)
        if payment is None:
            return answer(gw.IPN_ORDER_NOT_FOUND)
        if result.amount != payment.amount:
            return answer(gw.IPN_INVALID_AMOUNT)
        if payment.state != PaymentState.PENDING:
            return answer(gw.IPN_ALREADY_CONFIRMED)
        old = payment.state
        if result.succeeded:
            outcome = _mark_paid(payment, result, now)
        else:
            _mark_unpaid(payment, result, now)
            outcome = payment.state
        return answer(gw.IPN_OK, f"00:{outcome}", old)


@dataclass(frozen=True)
class ReturnResult:
    """What the return page shows: whether the gateway's redirect was genuine, the payment it
    names, and whether the gateway said it succeeded."""

    verified: bool
    payment: Payment | None
    succeeded: bool
    response_code: str


def handle_return(params: dict[str, str], *, now: dt.datetime | None = None) -> ReturnResult:
    """The browser's redirect back from the gateway: verified and logged, changes nothing (the
    IPN or the reconciliation confirms a payment)."""
    now = now or timezone.now()
    result = gw.gateway().verify(params)
    payment = Payment.objects.filter(txn_ref=result.txn_ref).first() if result.txn_ref else None
    if payment is not None and result.verified and result.amount != payment.amount:
        outcome = "invalid_amount"
    else:
        outcome = "shown" if result.verified else "invalid_signature"
    _event(
        payment,
        Message.RETURN,
        txn_ref=result.txn_ref,
        verified=result.verified,
        outcome=outcome,
        now=now,
        data=result.raw,
    )
    genuine = result.verified and outcome == "shown"
    return ReturnResult(
        verified=genuine,
        payment=payment if genuine else None,
        succeeded=genuine and result.succeeded,
        response_code=result.response_code,
    )


# querydr's vnp_TransactionStatus values that end a payment unpaid (VNPay: 02 error, …).
FINAL_FAILURES = frozenset({"02", "04", "05", "06", "07", "09"})


def reconcile(*, now: dt.datetime | None = None, older_than: dt.timedelta | None = None) -> int:
    """Ask the gateway about every payment still pending after ``older_than`` (querydr) and
    apply what it says, as a verified IPN would: for a notice that never came. Returns how many
    payments changed."""
    now = now or timezone.now()
    older_than = older_than or settings.MOTCUA_PAYMENT_RECONCILE_AFTER
    gateway = gw.gateway()
    changed = 0
    pending = Payment.objects.filter(state=PaymentState.PENDING, created_at__lte=now - older_than)
    for pk in pending.values_list("pk", flat=True):
        txn_ref, created_at = Payment.objects.values_list("txn_ref", "created_at").get(pk=pk)
        try:
            result = gateway.query(
                txn_ref=txn_ref,
                transaction_date=created_at,
                ip_address="127.0.0.1",
                now=now,
            )
        except gw.GatewayError as exc:
            log.warning("querydr failed for payment %s: %s", pk, exc)
            continue
        with transaction.atomic():
            payment = Payment.objects.select_for_update().get(pk=pk)
            old = payment.state
            if not result.verified or result.txn_ref != payment.txn_ref:
                outcome = "invalid_signature"
            elif payment.state != PaymentState.PENDING:
                outcome = "already_final"
            elif result.response_code != gw.RESPONSE_SUCCESS:
                outcome = f"query_refused:{result.response_code}"
            elif result.transaction_status == gw.STATUS_SUCCESS:
                if result.amount != payment.amount:
                    outcome = "invalid_amount"
                else:
                    outcome = _mark_paid(payment, result, now)
                    changed += 1
            elif result.transaction_status in FINAL_FAILURES:
                _mark_unpaid(payment, result, now)
                outcome = payment.state
                changed += 1
            else:
                outcome = f"still_pending:{result.transaction_status}"
            _event(
                payment,
                Message.QUERY,
                txn_ref=payment.txn_ref,
                verified=result.verified,
                outcome=outcome,
                old_state=old,
                now=now,
                data=result.raw,
            )
    return changed


def refund(
    payment: Payment,
    *,
    actor: User,
    amount: int | None = None,
    now: dt.datetime | None = None,
    data: dict[str, str] | None = None,
) -> Payment:
    """The gateway's step of a refund: give back a paid payment (all of it unless ``amount``)
    through VNPay's refund command and log it. The payment is locked across the call, so two
    refunds of one payment run one after the other and the second finds it refunded. Who may
    refund what is ``payments.refunds.refund_payment``'s question; the screens call that."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if locked.state != PaymentState.PAID:
            raise invalid("payment_not_paid", _("Only a paid payment can be refunded."))
        amount = locked.amount if amount is None else amount
        if not 0 < amount <= locked.amount:
            raise invalid(
                "refund_amount", _("The refund must be more than zero and at most what was paid.")
            )
        try:
            result = gw.gateway().refund(
                txn_ref=locked.txn_ref,
                amount=amount,
                full=amount == locked.amount,
                transaction_no=locked.transaction_no,
                transaction_date=locked.created_at,
                created_by=actor.username,
                ip_address="127.0.0.1",
                now=now,
            )
        except gw.GatewayError as exc:
            log.warning("refund of %s: the gateway is unreachable: %s", locked.txn_ref, exc)
            result = gw.GatewayResult(verified=False, message=str(exc)[:200])
        old = locked.state
        ok = result.verified and result.response_code == gw.RESPONSE_SUCCESS
        if ok:
            locked.state = PaymentState.REFUNDED
            locked.updated_at = now
            locked.save(update_fields=["state", "updated_at"])
        outcome = "refunded" if ok else f"refused:{result.response_code or 'unreachable'}"
        _event(
            locked,
            Message.REFUND,
            txn_ref=locked.txn_ref,
            verified=result.verified,
            outcome=outcome,
            old_state=old,
            now=now,
            data={**result.raw, **(data or {}), "amount": str(amount), "by": actor.username},
        )
    payment.refresh_from_db()
    return payment
