"""Reads of payments for the screens (the caller has checked access to the dossier)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.dossiers.models import Dossier
from motcua.payments import gateway as gw
from motcua.payments.models import Payment, PaymentState
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
