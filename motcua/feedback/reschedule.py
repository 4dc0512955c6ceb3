"""A calendar change moves the deadlines of routed, unanswered feedback counted on it, in the
transaction that writes the change (as for dossiers, ``dossiers/reschedule.py``). Registered
with ``workdays.calendar_changes`` from ``FeedbackConfig.ready``.

Each feedback's deadline is counted again from its ``routed_at`` on the holding agency's
calendar as it is now; one ``reschedule`` event records the old and new instants. The handler
returns no codes: the calendar's event lists the dossiers it moved, and feedback keeps its own
history."""

from collections.abc import Sequence

from motcua.accounts.models import User
from motcua.dossiers.deadlines import iso
from motcua.feedback.deadlines import answer_due
from motcua.feedback.models import CLOCKED, Feedback, FeedbackEvent
from motcua.feedback.workflow import Action
from motcua.workdays.calendar_changes import CalendarChange
from motcua.workdays.calendars import calendar_chain


def on_calendar_change(change: CalendarChange) -> Sequence[str]:
    open_feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .filter(status__in=CLOCKED, due_at__isnull=False, routed_at__isnull=False)
        .select_related("agency__calendar")
        .order_by("pk")
    )
    affected: dict[int, bool] = {}
    for feedback in open_feedback:
        agency = feedback.agency
        assert agency is not None and feedback.routed_at is not None  # noqa: S101 - routed
        if agency.calendar_id not in affected:
            chain = calendar_chain(agency.calendar)
            affected[agency.calendar_id] = change.calendar.pk in {c.pk for c in chain}
        if not affected[agency.calendar_id]:
            continue
        before = feedback.due_at
        after = answer_due(agency, feedback.routed_at)
        if after == before:
            continue
        feedback.due_at = after
        feedback.save(update_fields=["due_at", "updated_at"])
        FeedbackEvent.objects.create(
            feedback=feedback,
            action=Action.RESCHEDULE,
            old_status=feedback.status,
            new_status=feedback.status,
            actor=change.actor if isinstance(change.actor, User) else None,
            agency=agency,
            at=change.now,
            reason=change.reason,
            data={
                "due_before": iso(before) if before else "",
                "due_after": iso(after),
                "calendar": change.calendar.code,
            },
        )
    return ()
