"""Reads of feedback with their access checks: an officer's queue, one feedback for the
workspace, following by code and PIN, the public list of published answers and the report per
agency. No view reads ``Feedback`` itself."""

import datetime as dt
import hmac
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from motcua.accounts.models import Agency, User
from motcua.accounts.permissions import AnyUser, active_assignments
from motcua.catalogue.text import search_key
from motcua.dossiers.codes import normalise_pin
from motcua.feedback.models import Feedback
from motcua.feedback.permissions import is_reform_officer, may_read
from motcua.feedback.workflow import ANSWERED_STATUSES, OPEN_STATUSES, Status


def officer_queue(user: User, agency: Agency | None = None) -> QuerySet[Feedback]:
    """Open feedback an officer works on: their agency's (or ``agency``'s, when they hold a
    role there); a reform officer also sees what waits for routing, province-wide."""
    base = Feedback.objects.select_related("agency").order_by(
        F("due_at").asc(nulls_last=True), "pk"
    )
    agencies = set(
        active_assignments(user).filter(agency__isnull=False).values_list("agency_id", flat=True)
    )
    if agency is not None:
        agencies &= {agency.pk}
    visible = Q(agency_id__in=sorted(agencies))
    if is_reform_officer(user):
        visible = (
            Q(status__in=sorted(OPEN_STATUSES))
            if agency is None
            else visible | Q(status=Status.RECEIVED)
        )
        return base.filter(visible, status__in=sorted(OPEN_STATUSES | ANSWERED_STATUSES))
    return base.filter(visible).exclude(status=Status.RECORDED)


def feedback_for_officer(user: User, code: str) -> Feedback | None:
    """The feedback ``code`` when the officer may read it; ``None`` otherwise (as unknown)."""
    feedback = (
        Feedback.objects.select_related("agency", "procedure", "drafted_by")
        .filter(code=code)
        .first()
    )
    if feedback is None or not may_read(user, feedback):
        return None
    return feedback


def followed(code: str, *, pin: str = "", user: AnyUser | None = None) -> Feedback | None:
    """The feedback ``code`` for its sender: with its PIN, or signed in as its owner. An
    unknown code and a wrong PIN both answer ``None``, so a guess learns nothing."""
    feedback = Feedback.objects.select_related("agency").filter(code=code.strip().upper()).first()
    if feedback is None:
        return None
    if user is not None and user.is_authenticated and feedback.owner_id == user.pk:
        return feedback
    typed = normalise_pin(pin)
    if typed and hmac.compare_digest(typed.encode(), feedback.tracking_pin.encode()):
        return feedback
    return None


def published_answers(query: str = "") -> QuerySet[Feedback]:
    """Published answers, newest first; ``query`` matches every word, accents ignored."""
    found = Feedback.objects.filter(status=Status.PUBLISHED).select_related("agency")
    for word in search_key(query).split():
        found = found.filter(search_text__contains=word)
    return found.order_by("-published_at", "-pk")


def published_answer(code: str) -> Feedback | None:
    return published_answers().filter(code=code).first()


@dataclass(frozen=True)
class AgencyCounts:
    """One agency's row: routed to it, answered by the deadline, answered late, still open."""

    agency: Agency
    received: int
    on_time: int
    late: int
    pending: int
    overdue: int


def report_by_agency(
    start: dt.datetime | None = None, end: dt.datetime | None = None, *, now: dt.datetime
) -> list[AgencyCounts]:
    """Feedback routed in [start, end) counted per agency that holds it: received, answered on
    time (approved at or before ``due_at``), late, pending (and of those, overdue at ``now``)."""
    rows = Feedback.objects.filter(agency__isnull=False)
    if start is not None:
        rows = rows.filter(routed_at__gte=start)
    if end is not None:
        rows = rows.filter(routed_at__lt=end)
    answered = Q(status__in=sorted(ANSWERED_STATUSES))
    counted = (
        rows.values("agency_id")
        .annotate(
            received=Count("pk"),
            on_time=Count("pk", filter=answered & Q(answered_at__lte=F("due_at"))),
            late=Count("pk", filter=answered & Q(answered_at__gt=F("due_at"))),
            pending=Count("pk", filter=Q(status__in=sorted(OPEN_STATUSES))),
            overdue=Count("pk", filter=Q(status__in=sorted(OPEN_STATUSES), due_at__lt=now)),
        )
        .order_by("agency_id")
    )
    agencies = Agency.objects.in_bulk([row["agency_id"] for row in counted])
    result = [
        AgencyCounts(agencies[row["agency_id"]], row["received"], row["on_time"], row["late"],
                     row["pending"], row["overdue"])
        for row in counted
    ]  # fmt: skip
    return sorted(result, key=lambda r: r.agency.code)
