"""Reads of payments for the screens (the caller has checked access to the dossier)."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from motcua.dossiers.models import Dossier
from motcua.payments import gateway as gw
from motcua.payments.models import Payment, PaymentState, SettlementMismatch, SettlementRun
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
