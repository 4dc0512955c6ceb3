"""Reads of payments for the screens (the caller has checked access to the dossier)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Status
from motcua.payments import gateway as gw
from motcua.payments.models import (
    Message,
    Payment,
    PaymentEvent,
    PaymentState,
    SettlementMismatch,
    SettlementRun,
)
from motcua.payments.refunds import NOT_APPLIED, STATUS_GROUNDS
from motcua.payments.services import payable


@dataclass(frozen=True)
class Offer:
    """What the applicant can pay online now."""

    purpose: str
    amount: int


def online_offer(dossier: Dossier) -> Offer | None:
    """The amount the portal offers to pay online, when the gateway is configured and
    something is owed in a state where it can be paid."""
    if not gw.gateway().configured:
        return None
    what = payable(dossier)
    return Offer(*what) if what else None


def paid_payments(dossier: Dossier) -> QuerySet[Payment]:
    """The dossier's payments that have a receipt, oldest first."""
    return dossier.payments.filter(
        state__in=(PaymentState.PAID, PaymentState.REFUNDED), receipt_number__isnull=False
    ).order_by("paid_at", "pk")


def receipt_of(dossier: Dossier, number: str) -> Payment | None:
    return paid_payments(dossier).filter(receipt_number=number).first()


def settlement_runs(scope: set[int] | None, limit: int = 60) -> list[SettlementRun]:
    """The latest settlement comparisons, each with ``visible`` (its mismatches the reader may
    see: those of dossiers received by ``scope``'s agencies; all of them when ``None``)."""
    visible = (
        Q() if scope is None else Q(mismatches__payment__dossier__receiving_agency_id__in=scope)
    )
    return list(
        SettlementRun.objects.select_related("actor")
        .annotate(visible=Count("mismatches", filter=visible))
        .order_by("-settlement_date", "-ran_at")[:limit]
    )


def settlement_mismatches(
    run: SettlementRun, scope: set[int] | None
) -> QuerySet[SettlementMismatch]:
    """The run's unmatched transactions the reader may see, with their dossier."""
    found = run.mismatches.select_related("payment__dossier__receiving_agency")
    if scope is not None:
        found = found.filter(payment__dossier__receiving_agency_id__in=scope)
    return found.order_by("kind", "txn_ref")


def refunds_due(agency_ids: set[int]) -> list[tuple[Payment, str]]:
    """The paid payments of dossiers received by ``agency_ids`` that are refundable, with the
    ground of each (``refunds.GROUNDS``), oldest first."""
    candidates = (
        Payment.objects.filter(state=PaymentState.PAID, dossier__receiving_agency_id__in=agency_ids)
        .filter(
            Q(dossier__status__in=list(STATUS_GROUNDS))
            | Q(
                events__message__in=(Message.IPN, Message.QUERY),
                events__outcome__contains=NOT_APPLIED,
            )
        )
        .distinct()
        .select_related("dossier__receiving_agency")
        .order_by("paid_at", "pk")
    )
    applied_not = set(
        PaymentEvent.objects.filter(
            payment__in=candidates,
            message__in=(Message.IPN, Message.QUERY),
            outcome__contains=NOT_APPLIED,
        ).values_list("payment_id", flat=True)
    )
    return [
        (p, NOT_APPLIED if p.pk in applied_not else STATUS_GROUNDS[Status(p.dossier.status)])
        for p in candidates
    ]
