"""Refunds of online payments that the dossier cannot keep, decided by the agency's leaders.

A paid payment is refundable on one of three grounds (``Ground``):

* ``paid_not_applied`` — the gateway took the money but the engine refused to record it on the
  dossier (paid twice from two tabs, or the dossier left the state where it could be paid):
  the IPN's or the query's outcome says ``paid_not_applied``;
* ``dossier_withdrawn`` — the applicant withdrew the dossier (status 7);
* ``dossier_refused`` — the dossier was not accepted (status 3).

Fees are collected for a service the agency renders; when it renders none, what was paid is
given back (Law on Fees and Charges 97/2015/QH13 and its decrees on collecting and refunding;
the article is not checked against the text). The receiving agency's signing leader or head of
department decides (``permissions.can_refund``); a refund is made once."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.accounts.permissions import can_refund
from motcua.dossiers.refunds import record_refund
from motcua.dossiers.workflow import Status
from motcua.errors import Conflict, Refused, invalid
from motcua.payments import services
from motcua.payments.models import Message, Payment, PaymentState

NOT_APPLIED = "paid_not_applied"

GROUNDS = {
    NOT_APPLIED: gettext_lazy("paid, but not recorded on the dossier"),
    "dossier_withdrawn": gettext_lazy("the dossier was withdrawn"),
    "dossier_refused": gettext_lazy("the dossier was not accepted"),
}
STATUS_GROUNDS = {Status.WITHDRAWN: "dossier_withdrawn", Status.NOT_ACCEPTED: "dossier_refused"}


def ground_text(why: str) -> str:
    """The ground in the site's language (the dossier's history is read in Vietnamese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(GROUNDS[why])


def not_applied(payment: Payment) -> bool:
    """The gateway's confirmation of ``payment`` could not be recorded on its dossier."""
    return payment.events.filter(
        message__in=(Message.IPN, Message.QUERY), outcome__contains=NOT_APPLIED
    ).exists()


def ground(payment: Payment) -> str | None:
    """Why ``payment`` may be refunded (a key of ``GROUNDS``), or None."""
    if payment.state != PaymentState.PAID:
        return None
    if not_applied(payment):
        return NOT_APPLIED
    return STATUS_GROUNDS.get(Status(payment.dossier.status))


def refund_payment(payment: Payment, *, actor: User, now: dt.datetime | None = None) -> Payment:
    """Refund ``payment`` in full through the gateway, on its ground, for ``actor`` (the
    receiving agency's leader). Logged as a ``PaymentEvent`` and, once the gateway has given the
    money back, in the dossier's history (``dossiers.refunds.record_refund``)."""
    now = now or timezone.now()
    dossier = payment.dossier
    if not can_refund(actor, dossier.receiving_agency):
        raise Refused(
            _("Only the receiving agency's leaders refund an online payment."),
            code="refund_not_allowed",
        )
    with transaction.atomic():
        locked = Payment.objects.select_for_update().select_related("dossier").get(pk=payment.pk)
        if locked.state == PaymentState.REFUNDED:
            raise invalid("payment_already_refunded", _("This payment is already refunded."))
        why = ground(locked)
        if why is None:
            raise invalid(
                "payment_not_refundable",
                _(
                    "Only a payment not recorded on its dossier, or of a withdrawn or not "
                    "accepted dossier, is refunded."
                ),
            )
        refunded = services.refund(locked, actor=actor, now=now, data={"ground": why})
        if refunded.state == PaymentState.REFUNDED:
            record_refund(
                dossier,
                actor=actor,
                amount=Decimal(refunded.amount),
                receipt=refunded.receipt_number or "",
                txn_ref=refunded.txn_ref,
                counted=why != NOT_APPLIED,
                reason=ground_text(why),
                now=now,
            )
    if refunded.state != PaymentState.REFUNDED:
        raise Conflict(
            _("The payment gateway did not make the refund; try again later."),
            code="refund_refused_by_gateway",
        )
    payment.refresh_from_db()
    return payment
