"""The report per agency: received, answered on time, late, pending (and overdue)."""

from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import at
from motcua.feedback import services
from motcua.feedback.queries import report_by_agency
from motcua.feedback.tests.factories import submit
from motcua.testing import Cast


def test_each_agency_counts_received_on_time_late_and_pending(cast: Cast, case: Case) -> None:
    on_time, late, open_, moved = (
        submit(procedure_code="2.000720", now=at("2026-03-02T09:00")) for _ in range(4)
    )
    submit(subject="conduct", now=at("2026-03-02T09:00"))  # not routed: no agency yet
    submit(name="", phone="", email="", now=at("2026-03-02T09:00"))  # anonymous: recorded
    for feedback, when in ((on_time, "2026-03-16T09:00"), (late, "2026-03-16T09:01")):
        services.draft_answer(feedback, answer="Trả lời", actor=cast.bob)
        services.approve_answer(feedback, actor=cast.dave, now=at(when))
    services.transfer_feedback(moved, agency_code=cast.other_agency.code, reason="Sai nơi",
                               actor=cast.frank, now=at("2026-03-03T09:00"))  # fmt: skip
    rows = report_by_agency(now=at("2026-03-17T09:00"))
    assert [(r.agency.code, r.received, r.on_time, r.late, r.pending, r.overdue) for r in rows] == [
        ("H56.22", 3, 1, 1, 1, 1),
        ("H56.23", 1, 0, 0, 1, 0),
    ]
    assert report_by_agency(at("2026-03-03T00:00"), now=at("2026-03-17T09:00"))[0].received == 1
    del open_
