"""The daily comparison of the gateway's settlement file (file đối soát) with our payments.

The gateway's file of a day lists the payments it settled that day (Vietnam's day, by its own
``vnp_PayDate``) and the refunds it made. Ours, for the same day: the payments paid or since
refunded whose gateway payment instant (or, before it was kept, the instant we recorded them)
falls in the day, and the refunds the gateway accepted that day (``PaymentEvent`` ``refund``
``refunded``). Every transaction that does not match is kept with the run:

* ``gateway_only`` — the gateway settled it and we have no payment with its reference;
* ``ours_only`` — we hold it paid (or refunded) on that day and the file does not list it;
* ``status_differs`` — the gateway settled it but our payment is not paid (still pending,
  failed, cancelled: money taken that we did not record), or the file's status is not success;
* ``amount_differs`` — both know it, for different amounts.

Refunds are compared per transaction, the day's refunds summed on each side."""

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import User
from motcua.payments import gateway as gw
from motcua.payments.models import (
    Message,
    MismatchKind,
    Payment,
    PaymentEvent,
    PaymentState,
    SettlementMismatch,
    SettlementRun,
)

log = logging.getLogger(__name__)

SETTLED = (PaymentState.PAID, PaymentState.REFUNDED)


def day_bounds(date: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The instants that begin ``date`` and the next day in Vietnam's time (GMT+7)."""
    start = dt.datetime.combine(date, dt.time(0, 0), tzinfo=gw.VIETNAM)
    return start, start + dt.timedelta(days=1)


def our_payments(date: dt.date) -> dict[str, Payment]:
    start, end = day_bounds(date)
    on_day = Q(gateway_paid_at__gte=start, gateway_paid_at__lt=end) | Q(
        gateway_paid_at__isnull=True, paid_at__gte=start, paid_at__lt=end
    )
    return {p.txn_ref: p for p in Payment.objects.filter(on_day, state__in=SETTLED)}


def our_refunds(date: dt.date) -> dict[str, int]:
    """The refunds the gateway accepted on ``date``, summed per transaction reference."""
    start, end = day_bounds(date)
    sums: dict[str, int] = defaultdict(int)
    events = PaymentEvent.objects.filter(
        message=Message.REFUND, outcome="refunded", at__gte=start, at__lt=end
    )
    for txn_ref, data in events.values_list("txn_ref", "data"):
        sums[txn_ref] += int(data.get("amount", 0))
    return dict(sums)


def _payment_mismatch(row: gw.SettlementRow, payment: Payment | None) -> SettlementMismatch | None:
    found = SettlementMismatch(
        txn_ref=row.txn_ref,
        payment=payment,
        gateway_amount=row.amount,
        gateway_status=row.transaction_status,
        transaction_no=row.transaction_no,
    )
    if payment is None:
        found.kind = MismatchKind.GATEWAY_ONLY
        return found
    found.our_amount, found.our_state = payment.amount, payment.state
    if row.transaction_status != gw.STATUS_SUCCESS or payment.state not in SETTLED:
        found.kind = MismatchKind.STATUS
    elif row.amount != payment.amount:
        found.kind = MismatchKind.AMOUNT
    else:
        return None
    return found


def compare(
    file: gw.SettlementFile, *, payments: dict[str, Payment], refunds: dict[str, int]
) -> tuple[list[SettlementMismatch], int]:
    """The unmatched transactions of ``file`` against ours, and how many matched."""
    mismatches: list[SettlementMismatch] = []
    matched = 0
    paid_rows = [row for row in file.rows if not row.is_refund]
    listed = {row.txn_ref for row in paid_rows}
    elsewhere = {p.txn_ref: p for p in Payment.objects.filter(txn_ref__in=listed - payments.keys())}
    for row in paid_rows:
        found = _payment_mismatch(row, payments.get(row.txn_ref) or elsewhere.get(row.txn_ref))
        if found is None:
            matched += 1
        else:
            mismatches.append(found)
    for txn_ref, payment in payments.items():
        if txn_ref not in listed:
            mismatches.append(
                SettlementMismatch(
                    kind=MismatchKind.OURS_ONLY,
                    txn_ref=txn_ref,
                    payment=payment,
                    our_amount=payment.amount,
                    our_state=payment.state,
                    transaction_no=payment.transaction_no,
                )
            )
    gateway_refunds: dict[str, int] = defaultdict(int)
    for row in file.rows:
        if row.is_refund:
            gateway_refunds[row.txn_ref] += row.amount
    refunded = {p.txn_ref: p for p in Payment.objects.filter(txn_ref__in=set(gateway_refunds))}
    for txn_ref in sorted(gateway_refunds.keys() | refunds.keys()):
        theirs, ours = gateway_refunds.get(txn_ref), refunds.get(txn_ref)
        if theirs == ours:
            matched += 1
            continue
        kind = (
            MismatchKind.OURS_ONLY
            if theirs is None
            else MismatchKind.GATEWAY_ONLY
            if ours is None
            else MismatchKind.AMOUNT
        )
        mismatches.append(
            SettlementMismatch(
                kind=kind,
                is_refund=True,
                txn_ref=txn_ref,
                payment=refunded.get(txn_ref) or Payment.objects.filter(txn_ref=txn_ref).first(),
                gateway_amount=theirs,
                our_amount=ours,
            )
        )
    return mismatches, matched


def compare_settlement(
    date: dt.date, *, actor: User | None = None, now: dt.datetime | None = None
) -> SettlementRun:
    """Fetch the gateway's settlement file of ``date``, compare it with our payments and record
    the run with every unmatched transaction. A file that cannot be fetched or whose checksum
    does not match is recorded as the run's ``error``, nothing compared."""
    now = now or timezone.now()
    gateway = gw.gateway()
    run = SettlementRun(gateway=gateway.name, settlement_date=date, ran_at=now, actor=actor)
    try:
        file = gateway.settlement(date, now=now)
    except gw.GatewayError as exc:
        log.warning("settlement file of %s unavailable: %s", date, exc)
        run.error = str(exc)[:1000]
        run.save()
        return run
    with transaction.atomic():
        payments = our_payments(date)
        refunds = our_refunds(date)
        mismatches, matched = compare(file, payments=payments, refunds=refunds)
        run.gateway_rows = len(file.rows)
        run.our_rows = len(payments) + sum(1 for _ in refunds)
        run.matched = matched
        run.mismatched = len(mismatches)
        run.file_sha256 = file.sha256
        run.save()
        for mismatch in mismatches:
            mismatch.run = run
        SettlementMismatch.objects.bulk_create(mismatches)
    return run


def yesterday(now: dt.datetime | None = None) -> dt.date:
    """The day before ``now`` in Vietnam: the file the daily job compares."""
    return (now or timezone.now()).astimezone(gw.VIETNAM).date() - dt.timedelta(days=1)
