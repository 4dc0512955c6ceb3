"""The feedback deadline scan: due within one working day reminds the holding agency's
specialists and heads; overdue alerts its heads and signing leaders; once per due instant.
Feedback routed Monday 2 March 2026 09:00 is due Monday 16 March 09:00."""

import pytest

from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import at
from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.feedback.scanner import scan_feedback
from motcua.feedback.tests.factories import submit
from motcua.feedback.workflow import Action
from motcua.notifications.models import Notification
from motcua.testing import Cast


@pytest.fixture
def routed(case: Case) -> Feedback:
    feedback = submit(procedure_code="2.000720", now=at("2026-03-02T09:00"))
    Notification.objects.all().delete()
    return feedback


def _told(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("address", flat=True))


def test_nothing_is_due_a_week_ahead(routed: Feedback) -> None:
    assert scan_feedback(at("2026-03-09T09:00")).queued == 0


def test_due_within_a_working_day_reminds_specialists_and_heads_once(
    cast: Cast, routed: Feedback
) -> None:
    # Friday 13 March 10:00: one working day later is Monday 16 March 10:00, past the due.
    result = scan_feedback(at("2026-03-13T10:00"))
    assert (result.due_soon, result.overdue) == (1, 0)
    assert _told("due_soon") == ["bob@example.vn", "carol@example.vn", "ivan@example.vn"]
    again = scan_feedback(at("2026-03-13T11:00"))
    assert again.queued == 0
    assert routed.events.filter(action=Action.REMIND).count() == 1


def test_overdue_alerts_heads_and_leaders(cast: Cast, routed: Feedback) -> None:
    result = scan_feedback(at("2026-03-16T09:30"))
    assert result.overdue == 1
    assert _told("overdue") == ["carol@example.vn", "dave@example.vn"]


def test_answered_feedback_is_not_scanned(cast: Cast, routed: Feedback) -> None:
    services.draft_answer(routed, answer="Trả lời", actor=cast.bob)
    services.approve_answer(routed, actor=cast.dave, now=at("2026-03-05T09:00"))
    assert scan_feedback(at("2026-03-20T09:00")).overdue == 0


def test_the_periodic_deadline_task_scans_feedback_too(routed: Feedback) -> None:
    """``scan-deadlines`` runs at the real now (after March 2026): the feedback is overdue."""
    from motcua.jobs.tasks import scan_deadlines

    summary = scan_deadlines.call()
    assert (summary["feedback_overdue"], summary["feedback_queued"]) == (1, 2)
