"""A calendar change moves routed, unanswered feedback deadlines: routed Monday 2 March 2026
09:00 (due Monday 16 March 09:00), a day off on Thursday 5 March moves it to Tuesday 17 March
09:00 with one ``reschedule`` event; answered feedback never moves."""

import datetime as dt

from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import at
from motcua.feedback import services
from motcua.feedback.tests.factories import submit
from motcua.feedback.workflow import Action
from motcua.testing import Cast
from motcua.workdays import services as calendars
from motcua.workdays.models import Calendar


def _day_off(calendar: Calendar, date: str) -> None:
    calendars.add_override(
        calendar,
        actor=None,
        now=at("2026-03-02T16:00"),
        date=dt.date.fromisoformat(date),
        kind="day_off",
        reason="Nghỉ phòng chống bão",
        legal_basis="Công điện 12/CĐ-UBND",
    )


def test_a_new_day_off_moves_open_feedback_by_one_working_day(cast: Cast, case: Case) -> None:
    open_ = submit(procedure_code="2.000720", now=at("2026-03-02T09:00"))
    answered = submit(procedure_code="2.000720", now=at("2026-03-02T09:00"))
    services.draft_answer(answered, answer="Trả lời", actor=cast.bob)
    services.approve_answer(answered, actor=cast.dave, now=at("2026-03-02T15:00"))
    _day_off(cast.agency.calendar, "2026-03-05")
    open_.refresh_from_db()
    answered.refresh_from_db()
    assert open_.due_at == at("2026-03-17T09:00")
    assert answered.due_at == at("2026-03-16T09:00")
    event = open_.events.get(action=Action.RESCHEDULE)
    assert event.data["due_before"] == "2026-03-16T09:00:00+07:00"
    assert event.reason == "Nghỉ phòng chống bão"
    assert not answered.events.filter(action=Action.RESCHEDULE).exists()


def test_a_day_off_after_the_deadline_moves_nothing(cast: Cast, case: Case) -> None:
    feedback = submit(procedure_code="2.000720", now=at("2026-03-02T09:00"))
    _day_off(cast.agency.calendar, "2026-03-20")
    feedback.refresh_from_db()
    assert feedback.due_at == at("2026-03-16T09:00")
    assert not feedback.events.filter(action=Action.RESCHEDULE).exists()
