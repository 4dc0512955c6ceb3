"""Notices to the applicant (issue 13 item 6), queued in the outbox from the dossier's events.

The engine calls ``notify_applicant`` on every event it appends (``transitions.acting`` and
``intake``'s events), inside the same transaction: receipt, a supplement request (Form 02), a
request for a financial obligation, an apology with a new return date (Form 04), the result
approved (ready to return), the result handed to the public post (with the postal item number)
and a refusal (Form 03) each queue one message per channel the applicant chose and left an
address for. Delivery happens after commit
(``notifications.services.queue``); a change that rolls back tells nobody. Keys name the
event (``<kind>:<code>:e<event pk>:<channel>``), so a notice is never queued twice.

Decree 118/2025 art. 17–19 require the one-stop section to tell the applicant of a supplement
request, of a refusal with its reasons and, before the due date, of a delay with the apology
and the new return date; receipt and the result being ready are told as the deployed systems do.
"""

import datetime as dt
from collections.abc import Callable

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import Action
from motcua.notifications import texts
from motcua.notifications.models import Channel, Kind, Notification
from motcua.notifications.services import Address, queue

KINDS: dict[str, str] = {
    Action.RECEIVE: Kind.RECEIVED,
    Action.REQUEST_SUPPLEMENT: Kind.SUPPLEMENT_REQUESTED,
    Action.REQUEST_PAYMENT: Kind.PAYMENT_REQUESTED,
    Action.EXTEND: Kind.APOLOGY,
    Action.APPROVE: Kind.RESULT_READY,
    Action.REFUSE: Kind.REFUSED,
    Action.HAND_TO_POST: Kind.RESULT_POSTED,
}
# What the applicant is sent about a dossier: these notices and the deadline-moved one.
APPLICANT_KINDS = frozenset({*KINDS.values(), Kind.DEADLINE_MOVED})


def channels_of(dossier: Dossier) -> list[Address]:
    """Where the applicant is told: each channel chosen (on the portal account that submitted
    the dossier, else at the desk) for which the dossier carries an address."""
    chooser = dossier.owner if dossier.owner_id is not None else dossier
    assert chooser is not None  # noqa: S101 - owner_id set means owner exists
    found: list[Address] = []
    if chooser.notify_by_email and dossier.applicant_email:
        found.append(Address(Channel.EMAIL, dossier.applicant_email))
    if chooser.notify_by_sms and dossier.applicant_phone:
        found.append(Address(Channel.SMS, dossier.applicant_phone))
    return found


def notify_applicant(event: DossierEvent) -> list[Notification]:
    """Queue the notice ``event`` calls for, if any, in each of the applicant's channels;
    returns those newly queued."""
    kind = KINDS.get(event.action)
    if kind is None:
        return []
    dossier = event.dossier
    text = TEXTS[kind](dossier, event)
    queued: list[Notification] = []
    for to in channels_of(dossier):
        notification, created = queue(
            kind=kind,
            dedupe_key=f"{kind}:{dossier.code}:e{event.pk}:{to.channel}",
            to=to,
            subject=text.subject,
            body=text.body,
            recipient=dossier.owner,
            dossier_code=dossier.code,
            now=event.at,
        )
        if created:
            queued.append(notification)
    return queued


def _procedure(dossier: Dossier) -> str:
    return dossier.version.name


def _received(d: Dossier, e: DossierEvent) -> texts.Text:
    return texts.received(d.code, _procedure(d), d.receiving_agency.name, d.due_at)


def _supplement(d: Dossier, e: DossierEvent) -> texts.Text:
    items = [str(i) for i in e.data.get("items", [])]
    items += [str(p.get("name", "")) for p in e.data.get("extra_papers", [])]
    return texts.supplement_requested(d.code, _procedure(d), d.current_agency.name, items)


def _payment(d: Dossier, e: DossierEvent) -> texts.Text:
    amount = e.data.get("amount", 0)
    return texts.payment_requested(d.code, _procedure(d), d.current_agency.name, amount, e.reason)


def _apology(d: Dossier, e: DossierEvent) -> texts.Text:
    new_at = dt.datetime.fromisoformat(e.data["new_return_at"])
    return texts.apology(d.code, _procedure(d), d.receiving_agency.name, e.reason, new_at)


def _result(d: Dossier, e: DossierEvent) -> texts.Text:
    return texts.result_ready(d.code, _procedure(d), d.receiving_agency.name, d.return_method)


def _posted(d: Dossier, e: DossierEvent) -> texts.Text:
    return texts.result_posted(
        d.code, _procedure(d), d.receiving_agency.name, str(e.data["tracking_number"]), e.at
    )


def _refused(d: Dossier, e: DossierEvent) -> texts.Text:
    reasons = [str(r) for r in e.data.get("reasons", [])] or [e.reason]
    return texts.refused(d.code, _procedure(d), d.receiving_agency.name, reasons)


TEXTS: dict[str, Callable[[Dossier, DossierEvent], texts.Text]] = {
    Kind.RECEIVED: _received,
    Kind.SUPPLEMENT_REQUESTED: _supplement,
    Kind.PAYMENT_REQUESTED: _payment,
    Kind.APOLOGY: _apology,
    Kind.RESULT_READY: _result,
    Kind.REFUSED: _refused,
    Kind.RESULT_POSTED: _posted,
}
