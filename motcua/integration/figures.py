"""Figures of the national outbox for its administrators' screen and the readiness check
(``/readyz``): how many messages wait, since when, why they fail, and the stuck ones (dead
letters and blocked messages) an administrator re-queues or annotates (``outbox.requeue``,
``outbox.annotate``). Reads only."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from motcua.integration.models import MessageState, OutboxMessage
from motcua.integration.outbox import UNDELIVERED

STUCK = (MessageState.DEAD, MessageState.BLOCKED)


@dataclass(frozen=True)
class OutboxFigures:
    """The undelivered messages: ``depth`` in all, by state, the oldest one's age, and the
    failures by reason (the last attempt's problem of each undelivered message)."""

    pending: int = 0
    blocked: int = 0
    dead: int = 0
    oldest_at: dt.datetime | None = None
    oldest_age_seconds: int | None = None
    failures: list[tuple[str, int]] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return self.pending + self.blocked + self.dead

    def as_json(self) -> dict[str, object]:
        return {
            "depth": self.depth,
            "pending": self.pending,
            "blocked": self.blocked,
            "dead": self.dead,
            "oldest_undelivered_at": self.oldest_at.isoformat() if self.oldest_at else None,
            "oldest_age_seconds": self.oldest_age_seconds,
            "failures": dict(self.failures),
        }


def reason_of(state: str, problem: str) -> str:
    """The reason a message failed, coarse enough to count: a blocked message's missing code
    as written; an attempt's problem up to its first colon ("HTTP 500", "URLError",
    "TimeoutError", "answer without an ack_id")."""
    if state == MessageState.BLOCKED:
        return problem
    return problem.split(":", 1)[0].strip()


def outbox_figures(now: dt.datetime | None = None) -> OutboxFigures:
    """The figures at ``now`` in three aggregate queries."""
    now = now or timezone.now()
    undelivered = OutboxMessage.objects.filter(state__in=UNDELIVERED)
    by_state = dict(undelivered.values_list("state").annotate(n=Count("pk")).order_by())
    oldest = undelivered.aggregate(oldest=Min("created_at"))["oldest"]
    reasons: Counter[str] = Counter()
    rows = undelivered.exclude(problem="").values_list("state", "problem").annotate(n=Count("pk"))
    for state, problem, n in rows.order_by():
        reasons[reason_of(state, problem)] += n
    return OutboxFigures(
        pending=by_state.get(MessageState.PENDING, 0),
        blocked=by_state.get(MessageState.BLOCKED, 0),
        dead=by_state.get(MessageState.DEAD, 0),
        oldest_at=oldest,
        oldest_age_seconds=int((now - oldest).total_seconds()) if oldest else None,
        failures=sorted(reasons.items(), key=lambda item: (-item[1], item[0])),
    )


def stuck_messages(limit: int = 200) -> "QuerySet[OutboxMessage]":
    """Dead letters and blocked messages, the oldest first, with their dossiers."""
    return OutboxMessage.objects.filter(state__in=STUCK).order_by("created_at", "pk")[:limit]
