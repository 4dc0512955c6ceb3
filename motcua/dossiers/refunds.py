"""The dossier's side of a refund of an online payment: one history event, and what was paid
brought down when the payment had counted on the dossier.

The payments app decides whether a payment may be refunded and asks the gateway
(``payments.refunds``); once the gateway has given the money back it calls ``record_refund``
so that the dossier's history says so, with who decided it and why. It is not a transition of
the workflow table: the status does not change (a withdrawn dossier stays withdrawn)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierEvent, PaymentMethod
from motcua.dossiers.workflow import Action


def record_refund(
    dossier: Dossier,
    *,
    actor: User,
    amount: Decimal,
    receipt: str,
    txn_ref: str,
    counted: bool,
    reason: str,
    now: dt.datetime | None = None,
) -> DossierEvent:
    """Append the refund to ``dossier``'s history. ``counted``: the payment had been recorded
    on the dossier (``collect_fee`` / ``confirm_payment``), so ``fees_paid`` goes down by
    ``amount``; a payment never applied (paid twice, or after a withdrawal) changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if counted:
            locked.fees_paid = max(locked.fees_paid - amount, Decimal(0))
            locked.save(update_fields=["fees_paid"])
        event = DossierEvent.objects.create(
            dossier=locked,
            action=Action.REFUND,
            old_status=locked.status,
            new_status=locked.status,
            actor=actor,
            agency=locked.receiving_agency,
            at=now,
            reason=reason,
            data={
                "amount": str(amount),
                "receipt": receipt,
                "method": PaymentMethod.ONLINE,
                "txn_ref": txn_ref,
                "counted": counted,
                "fees_paid": str(locked.fees_paid),
            },
        )
    dossier.fees_paid = locked.fees_paid
    return event
