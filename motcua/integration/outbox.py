"""The national portal's outbox (issue 19): written in each dossier event's transaction,
delivered in order per dossier by the worker's schedule (``jobs`` runs ``deliver_due``). Ratings
(``on_rating_event``) join their dossier's stream; feedback answers (``on_feedback_event``) have
their own, ``feedback:<code>``; "per dossier" below reads "per stream" for them.

Writing: the engine announces every event it appends (``dossiers.event_hooks``); for the
actions the national portal must know, ``on_dossier_event`` writes one ``OutboxMessage`` with
the next ``sequence`` of its dossier. The engine has the dossier locked then, so sequences are
gap-free and a rolled-back event leaves no message.

Delivering: only the first undelivered message of a dossier may go; each is sent while its row
is locked (``select_for_update(skip_locked=True)``: two workers never send the same one at once
on PostgreSQL) and marked delivered with its acknowledgement in the same transaction. A worker
killed between the send and the commit leaves the message pending: it is sent again with the
same ``Idempotency-Key``, which the portal acknowledges as a duplicate, and nothing after it has
moved meanwhile. A failure waits ``backoff(attempts)``; after ``MOTCUA_NATIONAL_MAX_ATTEMPTS``
the message is a dead letter, and a message naming an unmapped code is blocked; both hold the
rest of their dossier until an administrator re-queues them (``requeue``).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.models import User
from motcua.dossiers.models import DossierEvent
from motcua.dossiers.workflow import Action
from motcua.errors import Refused, invalid
from motcua.feedback.models import FeedbackEvent
from motcua.feedback.workflow import Action as FeedbackAction
from motcua.integration.models import MessageEvent, MessageState, Operation, OutboxMessage
from motcua.integration.national import NationalPortal, NationalPortalError, Unmapped, payload
from motcua.satisfaction.models import RatingEvent

# What the national portal is told of: receipt and every action that changes the dossier's
# status or progress. Not: online submission before the desk receives it, attachments, the
# system's own reminders and recalculated deadlines, historic imports (docs/integration.md).
NATIONAL_ACTIONS = frozenset(
    {
        Action.RECEIVE,
        Action.REFUSE,
        Action.REQUEST_SUPPLEMENT,
        Action.RESUBMIT,
        Action.ALLOW_FURTHER_SUPPLEMENT,
        Action.FORWARD,
        Action.SEND_BACK,
        Action.TRANSFER,
        Action.REQUEST_PAYMENT,
        Action.CONFIRM_PAYMENT,
        Action.COLLECT_FEE,
        Action.EXTEND,
        Action.APPROVE,
        Action.RETURN_RESULT,
        Action.HAND_TO_POST,
        Action.WITHDRAW,
        Action.STOP,
    }
)
UNDELIVERED = (MessageState.PENDING, MessageState.BLOCKED, MessageState.DEAD)
BACKOFF_BASE = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=1)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failure: 30 s, 1, 2, 4, 8 … minutes, at most an hour."""
    wait: dt.timedelta = BACKOFF_BASE * 2 ** max(attempts - 1, 0)
    return min(wait, BACKOFF_CAP)


def on_dossier_event(event: DossierEvent) -> OutboxMessage | None:
    """Write the message for ``event`` if the national portal must know it (registered with
    ``dossiers.event_hooks``; runs in the event's transaction, the dossier locked)."""
    if event.action not in NATIONAL_ACTIONS:
        return None
    dossier = event.dossier
    sequence = _next_sequence(dossier.code)
    return OutboxMessage.objects.create(
        stream=dossier.code,
        dossier=dossier,
        sequence=sequence,
        event=event,
        # The portal first hears of a dossier in full, then of its progress.
        operation=Operation.SYNC_DOSSIER if sequence == 1 else Operation.UPDATE_PROGRESS,
        facts={
            "dossier_code": dossier.code,
            "action": event.action,
            "old_status": event.old_status,
            "new_status": event.new_status,
            "at": event.at.isoformat(),
            "agency": event.agency.code if event.agency else "",
            "receiving_agency": dossier.receiving_agency.code,
            "procedure": dossier.version.procedure.code,
            "channel": dossier.channel,
            "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            "reason": event.reason,
            "applicant_name": dossier.applicant_name,
        },
        next_attempt_at=event.at,
        created_at=event.at,
    )


def _next_sequence(stream: str) -> int:
    """The next sequence of ``stream``; its owner (dossier or feedback) is locked by the caller,
    so sequences are gap-free."""
    last = OutboxMessage.objects.filter(stream=stream).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def on_rating_event(event: RatingEvent) -> OutboxMessage:
    """Write the "sync ratings" message for a rating given or changed, in its dossier's stream
    after the return (registered with ``satisfaction.event_hooks``; the dossier is locked)."""
    rating = event.rating
    dossier = rating.dossier
    return OutboxMessage.objects.create(
        stream=dossier.code,
        dossier=dossier,
        sequence=_next_sequence(dossier.code),
        operation=Operation.SYNC_RATINGS,
        facts={
            "dossier_code": dossier.code,
            "action": event.action,
            "level": rating.level,
            "answers": {str(a.question_id): a.level for a in rating.answers.all()},
            "channel": event.channel,
            "at": event.at.isoformat(),
            "procedure": dossier.version.procedure.code,
        },
        next_attempt_at=event.at,
        created_at=event.at,
    )


# A feedback's answer reaches the national portal when approved (answered: counted by the 766
# index) and when published (then with the question and the answer, never the sender).
NATIONAL_FEEDBACK_ACTIONS = frozenset({FeedbackAction.APPROVE, FeedbackAction.PUBLISH})


def on_feedback_event(event: FeedbackEvent) -> OutboxMessage | None:
    """Write the "sync questions and answers" message for a feedback answered or published, in
    the feedback's own stream (registered with ``feedback.event_hooks``; the feedback locked)."""
    if event.action not in NATIONAL_FEEDBACK_ACTIONS:
        return None
    feedback = event.feedback
    stream = f"feedback:{feedback.code}"
    facts: dict[str, object] = {
        "feedback_code": feedback.code,
        "action": event.action,
        "agency": event.agency.code if event.agency else "",
        "answered_at": feedback.answered_at.isoformat() if feedback.answered_at else None,
        "due_at": feedback.due_at.isoformat() if feedback.due_at else None,
        "at": event.at.isoformat(),
    }
    if event.action == FeedbackAction.PUBLISH:
        facts |= {
            "title": feedback.title,
            "question": feedback.content,
            "answer": feedback.answer,
            "procedure": feedback.procedure.code if feedback.procedure else "",
        }
    return OutboxMessage.objects.create(
        stream=stream,
        sequence=_next_sequence(stream),
        operation=Operation.SYNC_QUESTIONS,
        facts=facts,
        next_attempt_at=event.at,
        created_at=event.at,
    )


def undelivered_before() -> Exists:
    earlier = OutboxMessage.objects.filter(
        stream=OuterRef("stream"), sequence__lt=OuterRef("sequence"), state__in=UNDELIVERED
    )
    return Exists(earlier)


def heads(now: dt.datetime) -> "QuerySet[OutboxMessage]":
    """The messages that may go at ``now``: pending, due, and first undelivered of their
    stream; the oldest first."""
    return (
        OutboxMessage.objects.filter(state=MessageState.PENDING, next_attempt_at__lte=now)
        .exclude(undelivered_before())
        .order_by("created_at", "pk")
    )


@dataclass
class Delivery:
    delivered: int = 0
    failed: int = 0
    blocked: int = 0
    dead: int = 0
    configured: bool = True


def deliver_due(
    *, now: dt.datetime | None = None, portal: NationalPortal | None = None, limit: int = 500
) -> Delivery:
    """Send what may go now, each dossier's messages in order, at most ``limit`` of them."""
    now = now or timezone.now()
    portal = portal or NationalPortal.from_settings()
    result = Delivery(configured=portal.configured)
    if not portal.configured:
        return result  # messages wait until MOTCUA_NATIONAL_URL is set
    sent = 0
    for head in list(heads(now).values_list("pk", flat=True)[:limit]):
        pk: int | None = head
        while pk is not None and sent < limit:
            pk = _deliver_one(pk, now, portal, result)
            sent += 1
    return result


def _deliver_one(pk: int, now: dt.datetime, portal: NationalPortal, result: Delivery) -> int | None:
    """Try the message ``pk`` if it may still go; the pk of its dossier's next message when
    it was delivered and that one may go too, else ``None``."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, state=MessageState.PENDING, next_attempt_at__lte=now)
            .exclude(undelivered_before())
            .first()
        )
        if message is None:  # another worker has it, or it went meanwhile
            return None
        try:
            body = payload(message)
        except Unmapped as unmapped:
            _mark(message, MessageState.BLOCKED, now, problem=str(unmapped))
            result.blocked += 1
            return None
        key = f"{message.stream}:{message.sequence}"  # a dossier's stream is its code
        try:
            ack = portal.send(message.operation, key, body)
        except NationalPortalError as error:
            message.attempts += 1
            if message.attempts >= settings.MOTCUA_NATIONAL_MAX_ATTEMPTS:
                _mark(message, MessageState.DEAD, now, problem=str(error))
                result.dead += 1
            else:
                message.next_attempt_at = now + backoff(message.attempts)
                _mark(message, MessageState.PENDING, now, problem=str(error), failed=True)
                result.failed += 1
            return None
        message.attempts += 1
        message.sent = body
        message.ack_id = ack.ack_id
        message.acked_at = now
        _mark(
            message,
            MessageState.DELIVERED,
            now,
            problem="",
            detail=f"ack {ack.ack_id}" + (" (duplicate)" if ack.duplicate else ""),
        )
        result.delivered += 1
        following = heads(now).filter(stream=message.stream, sequence=message.sequence + 1)
        return following.values_list("pk", flat=True).first()


def _mark(
    message: OutboxMessage,
    state: MessageState,
    now: dt.datetime,
    *,
    problem: str,
    detail: str = "",
    failed: bool = False,
) -> None:
    message.state = state
    message.problem = problem
    message.save(
        update_fields=[
            "state", "problem", "attempts", "next_attempt_at", "sent", "ack_id", "acked_at"
        ]
    )  # fmt: skip
    kind = MessageEvent.Kind.FAILED if failed else MessageEvent.Kind(state)
    MessageEvent.objects.create(message=message, kind=kind, at=now, detail=detail or problem)


def _check_actor(actor: User | None) -> None:
    """``actor=None`` is the operator at a command; a person must be a system administrator
    (the outbox holds every agency's dossiers)."""
    if actor is not None and not permissions.is_system_admin(actor):
        raise Refused(
            _("Only a system administrator may manage the national outbox."),
            code="system_admin_only",
        )


def requeue(
    message: OutboxMessage, *, actor: User | None, now: dt.datetime | None = None
) -> OutboxMessage:
    """Send a blocked or dead message again at once, with a fresh count of attempts (after
    the mapping was added or the portal repaired)."""
    _check_actor(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.state not in (MessageState.BLOCKED, MessageState.DEAD):
            raise invalid(
                "message_not_stuck", _("Only a blocked or dead message can be re-queued."), "state"
            )
        before = locked.state
        locked.state = MessageState.PENDING
        locked.attempts = 0
        locked.next_attempt_at = now
        locked.save(update_fields=["state", "attempts", "next_attempt_at"])
        MessageEvent.objects.create(
            message=locked,
            kind=MessageEvent.Kind.REQUEUED,
            at=now,
            actor=actor,
            detail=f"{before}: {locked.problem}",
        )
    return locked


def annotate(
    message: OutboxMessage,
    *,
    note: str,
    actor: User | None,
    now: dt.datetime | None = None,
) -> OutboxMessage:
    """Set the administrator's note on ``message`` (kept in its history too)."""
    _check_actor(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        locked.note = note.strip()
        locked.save(update_fields=["note"])
        MessageEvent.objects.create(
            message=locked, kind=MessageEvent.Kind.NOTED, at=now, actor=actor, detail=locked.note
        )
    return locked
