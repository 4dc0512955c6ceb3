"""Time rules of the engine: pauses across Tết, transfers between agencies on different
calendars, and the date-level classification of domain §4."""

import datetime as dt
from decimal import Decimal

from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.deadlines import Finished, Open, classify_finished, classify_open
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import (
    assign,
    at,
    complete_intake,
    household_business_case,
)
from motcua.testing import Cast, make_calendar
from motcua.workdays import services as calendars


def _received(cast: Cast, case: Case, when: str) -> Dossier:
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at(when)
    )
    services.forward(dossier, actor=cast.alice, now=at(when))
    return dossier


def test_a_pause_across_tet_2026_moves_the_due_date_by_working_time_only(cast: Cast) -> None:
    """Received Tue 10/2/2026 09:00 (5 working days → Tue 24/2 09:00, over Tết 16–20/2).
    The supplement is asked Thu 12/2 09:00 and brought Tue 24/2 09:00: the pause spans Thu
    12/2 09:00 → Fri 13/2 17:00 (14 h) plus Mon 23/2 (8 h) plus Tue 24/2 07:00–09:00 (2 h) =
    24 working hours = 3 days, not the 12 calendar days; the due date becomes Fri 27/2 09:00."""
    case = household_business_case(cast.agency)
    dossier = _received(cast, case, "2026-02-10T09:00")
    assert dossier.due_at == at("2026-02-24T09:00")
    services.request_supplement(dossier, actor=cast.bob, items=["x"], now=at("2026-02-12T09:00"))
    services.resubmit(dossier, actor=cast.alice, now=at("2026-02-24T09:00"))
    assert dossier.paused_for == dt.timedelta(hours=24)
    assert dossier.due_at == at("2026-02-27T09:00")
    event = dossier.events.get(action="resubmit")
    assert event.data["paused_working_time"] == "1 day, 0:00:00"
    assert "paused" in event.reason


def test_a_payment_pause_moves_the_current_steps_due_instant_too(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    dossier = _received(cast, case, "2026-03-02T09:00")
    step_due = dossier.current_step.due_at  # type: ignore[union-attr]
    assert step_due == at("2026-03-04T09:00")
    services.request_payment(
        dossier, actor=cast.bob, amount=Decimal(500000), reason="Lệ phí trước bạ",
        now=at("2026-03-03T09:00"),
    )  # fmt: skip
    assert dossier.status == "6"
    services.confirm_payment(
        dossier, actor=cast.alice, amount=Decimal(500000), now=at("2026-03-03T13:30")
    )
    # 09:00–11:30 = 2.5 h of working time paused: 09:00 + 2.5 h = 11:30 on the 4th.
    assert dossier.current_step.due_at == at("2026-03-04T11:30")  # type: ignore[union-attr]
    assert dossier.fees_paid == Decimal(500000)


def test_a_transfer_runs_on_the_other_agencys_calendar(cast: Cast) -> None:
    """The other agency has its own day off on Fri 6/3/2026; its step of 1 working day,
    started Thu 5/3 10:00, is due Mon 9/3 10:00 on its calendar, not Fri 6/3."""
    national = make_calendar("VN")
    own = calendars.create_calendar(actor=None, code="OTHER", name="Lịch riêng", parent=national)
    calendars.add_override(own, actor=None, date=dt.date(2026, 3, 6), kind="day_off",
                           reason="Nghỉ bù của tỉnh")  # fmt: skip
    cast.other_agency.calendar = own
    cast.other_agency.save()
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency)
    dossier = _received(cast, case, "2026-03-02T09:00")
    services.transfer(
        dossier, actor=cast.bob, to_agency=cast.other_agency, allowance=Decimal(1),
        reason="Xác minh", now=at("2026-03-05T10:00"),
    )  # fmt: skip
    assert dossier.current_step.due_at == at("2026-03-09T10:00")  # type: ignore[union-attr]


def test_classification_is_by_date_in_local_time() -> None:
    due = at("2026-03-09T09:00")
    assert classify_finished(at("2026-03-06T16:00"), due) == Finished.EARLY
    assert classify_finished(at("2026-03-09T16:59"), due) == Finished.ON_TIME
    assert classify_finished(at("2026-03-10T07:00"), due) == Finished.LATE
    # 23:30 UTC on the 8th is 06:30 on the 9th in Vietnam: still on the due date.
    utc = dt.datetime(2026, 3, 8, 23, 30, tzinfo=dt.UTC)
    assert classify_finished(utc, due) == Finished.ON_TIME
    assert classify_finished(at("2026-03-20T09:00"), None) == Finished.ON_TIME
    assert classify_open(due, dt.date(2026, 3, 9)) == Open.IN_TIME
    assert classify_open(due, dt.date(2026, 3, 10)) == Open.OVERDUE
