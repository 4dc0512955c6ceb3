"""A calendar change moves the deadlines of the open dossiers whose span covers a changed day,
with an event that names the day and why, and tells the applicant.

The dossier is received Monday 2 March 2026 09:00 with 5 working days (due Monday 9 March
09:00) and forwarded at 10:00 to a 2-working-day step (due Wednesday 4 March 10:00)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.core import mail

from motcua.accounts.models import Agency
from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.reschedule import reschedule_for_calendar_change
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.notifications.models import Notification
from motcua.testing import Cast
from motcua.workdays import services as calendars
from motcua.workdays.calendars import spec_for
from motcua.workdays.models import Calendar, CalendarOverride

Capture = Callable[..., Any]
STORM = "Nghỉ phòng chống bão số 3"


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


@pytest.fixture
def dossier(cast: Cast, case: Case) -> Dossier:
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    services.forward(d, actor=cast.alice, now=at("2026-03-02T10:00"))
    Notification.objects.all().delete()  # the receipt notice: these tests count others
    return d


def _day_off(calendar: Calendar, date: str, reason: str = STORM) -> CalendarOverride:
    change = calendars.add_override(
        calendar,
        actor=None,
        now=at("2026-03-02T16:00"),
        date=dt.date.fromisoformat(date),
        kind="day_off",
        reason=reason,
        legal_basis="Công điện 12/CĐ-UBND",
    )
    assert change.override is not None
    return change.override


def test_a_new_day_off_within_the_span_moves_the_dossier_by_one_working_day(
    cast: Cast, dossier: Dossier
) -> None:
    """Thursday 5 March becomes a day off: due Tuesday 10 March 09:00; the step (due Wednesday)
    does not span it and stays."""
    _day_off(cast.agency.calendar, "2026-03-05")
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-10T09:00")
    assert dossier.current_step is not None
    assert dossier.current_step.due_at == at("2026-03-04T10:00")
    event = dossier.events.get(action="deadline_moved")
    assert event.old_status == event.new_status == "4"
    assert "05/03/2026" in event.reason
    assert STORM in event.reason
    assert "Công điện 12/CĐ-UBND" in event.reason
    assert event.data["due_before"] == "2026-03-09T09:00:00+07:00"
    assert event.data["due_after"] == "2026-03-10T09:00:00+07:00"
    assert event.data["changed_dates"] == ["2026-03-05"]
    assert "steps" not in event.data


def test_the_applicant_is_told_by_mail_after_commit(
    cast: Cast, dossier: Dossier, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _day_off(cast.agency.calendar, "2026-03-05")
    notice = Notification.objects.get(kind="deadline_moved", channel="email")
    assert notice.address == "binh@example.vn"
    assert notice.dedupe_key == f"deadline_moved:{dossier.code}:e{notice_event(dossier)}:email"
    assert notice.dossier_code == dossier.code  # the outbox names the dossier by its code
    assert notice.sent_at is not None
    [message] = mail.outbox
    assert message.to == ["binh@example.vn"]
    assert message.subject == f"Hồ sơ {dossier.code}: thay đổi ngày hẹn trả kết quả"
    assert "từ 09:00 09/03/2026 sang 09:00 10/03/2026" in message.body
    assert "05/03/2026" in message.body


def notice_event(dossier: Dossier) -> int:
    return dossier.events.get(action="deadline_moved").pk


def _received_with(cast: Cast, case: Case, *, email: bool, sms: bool) -> Dossier:
    entered = complete_intake(case)
    entered = replace(
        entered, applicant=replace(entered.applicant, notify_by_email=email, notify_by_sms=sms)
    )
    d = intake.receive_new_dossier(
        entered, agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    Notification.objects.all().delete()  # the receipt notice
    return d


def test_the_moved_date_goes_in_each_channel_the_applicant_chose(cast: Cast, case: Case) -> None:
    """Both chosen at the desk: one e-mail and one SMS, as every notice to the applicant."""
    dossier = _received_with(cast, case, email=True, sms=True)
    _day_off(cast.agency.calendar, "2026-03-05")
    assert sorted(
        Notification.objects.filter(kind="deadline_moved").values_list("channel", "address")
    ) == [("email", "binh@example.vn"), ("sms", "0912345678")]
    bodies = Notification.objects.filter(dossier_code=dossier.code).values_list("body", flat=True)
    assert all("09:00 10/03/2026" in body for body in bodies)


def test_the_moved_date_is_not_sent_in_a_channel_the_applicant_did_not_choose(
    cast: Cast, case: Case
) -> None:
    """SMS only, though the dossier has an e-mail address: no e-mail (it was sent by e-mail
    whenever the dossier had an address, whatever the choice)."""
    _received_with(cast, case, email=False, sms=True)
    _day_off(cast.agency.calendar, "2026-03-05")
    assert list(
        Notification.objects.filter(kind="deadline_moved").values_list("channel", "address")
    ) == [("sms", "0912345678")]


def test_no_channel_chosen_means_the_moved_date_is_only_in_the_dossier_log(
    cast: Cast, case: Case
) -> None:
    dossier = _received_with(cast, case, email=False, sms=False)
    _day_off(cast.agency.calendar, "2026-03-05")
    assert dossier.events.filter(action="deadline_moved").exists()
    assert not Notification.objects.exists()


def test_a_portal_account_choice_rules_the_moved_date_notice(cast: Cast, case: Case) -> None:
    """henry submitted online and chose e-mail only on his account."""
    cast.henry.notify_by_sms = False
    cast.henry.save(update_fields=["notify_by_sms"])
    d = intake.submit_online(
        complete_intake(case, "online"), agency=cast.agency, actor=cast.henry,
        now=at("2026-03-02T08:00"),
    )  # fmt: skip
    services.receive(d, actor=cast.alice, now=at("2026-03-02T09:00"))
    Notification.objects.all().delete()
    _day_off(cast.agency.calendar, "2026-03-05")
    [notice] = Notification.objects.filter(kind="deadline_moved")
    assert (notice.channel, notice.recipient) == ("email", cast.henry)


def test_a_step_spanning_the_day_moves_too(cast: Cast, dossier: Dossier) -> None:
    """Tuesday 3 March off: the step moves to Thursday 10:00, the dossier to Tuesday 10 March."""
    _day_off(cast.agency.calendar, "2026-03-03")
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-10T09:00")
    assert dossier.current_step is not None
    assert dossier.current_step.due_at == at("2026-03-05T10:00")
    event = dossier.events.get(action="deadline_moved")
    [step] = event.data["steps"]
    assert step["due_before"] == "2026-03-04T10:00:00+07:00"
    assert step["due_after"] == "2026-03-05T10:00:00+07:00"


def test_a_dossier_not_spanning_the_day_does_not_move(cast: Cast, dossier: Dossier) -> None:
    _day_off(cast.agency.calendar, "2026-03-12")
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-09T09:00")
    assert not dossier.events.filter(action="deadline_moved").exists()
    assert Notification.objects.count() == 0


def test_a_finished_dossier_never_moves(cast: Cast, dossier: Dossier) -> None:
    services.withdraw(dossier, actor=cast.alice, reason="Rút hồ sơ", now=at("2026-03-03T09:00"))
    _day_off(cast.agency.calendar, "2026-03-05")
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-09T09:00")
    assert not dossier.events.filter(action="deadline_moved").exists()


def test_a_paused_dossier_moves_and_its_pause_is_added_on_the_new_calendar(
    cast: Cast, dossier: Dossier
) -> None:
    """Paused Tuesday 3 March 09:00; Monday 9 March becomes a day off while it is paused: the
    appointment moves a day (to Tuesday 10 March); resumed Thursday 5 March 09:00, the two
    working days of pause are added as always (to Thursday 12 March)."""
    services.request_supplement(
        dossier, actor=cast.bob, items=["Bản sao CCCD"], now=at("2026-03-03T09:00")
    )
    _day_off(cast.agency.calendar, "2026-03-09")
    dossier.refresh_from_db()
    assert dossier.status == "5"
    assert dossier.due_at == at("2026-03-10T09:00")
    services.resubmit(dossier, actor=cast.alice, now=at("2026-03-05T09:00"))
    assert dossier.due_at == at("2026-03-12T09:00")


def test_a_day_off_inside_a_past_pause_moves_nothing(cast: Cast, dossier: Dossier) -> None:
    """Paused Tuesday 09:00 to Thursday 09:00 (due moved to Wednesday 11 March); Wednesday 4
    March declared off afterwards: the pause covered it, the officers lose nothing and gain
    nothing. A day off after the pause (Monday 9 March) moves the appointment a day."""
    services.request_supplement(
        dossier, actor=cast.bob, items=["Bản sao CCCD"], now=at("2026-03-03T09:00")
    )
    services.resubmit(dossier, actor=cast.alice, now=at("2026-03-05T09:00"))
    assert dossier.due_at == at("2026-03-11T09:00")
    _day_off(cast.agency.calendar, "2026-03-04")
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-11T09:00")
    assert not dossier.events.filter(action="deadline_moved").exists()
    _day_off(cast.agency.calendar, "2026-03-09")
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-12T09:00")


def test_removing_the_day_off_moves_the_dossier_back(cast: Cast, dossier: Dossier) -> None:
    override = _day_off(cast.agency.calendar, "2026-03-05")
    calendars.remove_override(override, actor=None, now=at("2026-03-03T08:00"), reason="Hết bão")
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-09T09:00")
    moves = list(dossier.events.filter(action="deadline_moved").order_by("pk"))
    assert len(moves) == 2
    assert "Hết bão" in moves[1].reason
    # Two moves, each told by e-mail and by SMS (both chosen at the desk).
    assert Notification.objects.filter(kind="deadline_moved", channel="email").count() == 2
    assert Notification.objects.filter(kind="deadline_moved").count() == 4


def test_a_parent_calendar_change_moves_dossiers_of_agencies_on_a_child_calendar(
    cast: Cast, case: Case
) -> None:
    """An agency on the provincial calendar H56 (child of VN): a national day off moves its
    dossier, unless the province declared that date a working day itself."""
    national = Calendar.objects.get(code="VN")
    province = calendars.create_calendar(actor=None, code="H56", name="Tỉnh", parent=national)
    Agency.objects.filter(pk=cast.agency.pk).update(calendar=province)
    cast.agency.refresh_from_db()
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    assert d.due_at == at("2026-03-09T09:00")
    calendars.add_override(
        province,
        actor=None,
        date=dt.date(2026, 3, 6),
        kind="working_day",
        reason="Tỉnh vẫn làm việc",
    )
    _day_off(national, "2026-03-05")
    _day_off(national, "2026-03-06")
    d.refresh_from_db()
    assert d.due_at == at("2026-03-10T09:00")
    event = d.events.get(action="deadline_moved")
    assert event.data["changed_dates"] == ["2026-03-05"]


def test_a_session_change_moves_deadlines_and_a_cut_off_change_does_not(
    cast: Cast, dossier: Dossier
) -> None:
    calendar = cast.agency.calendar
    calendars.change_calendar(calendar, actor=None, intake_cutoff=dt.time(16, 0), reason="x")
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-09T09:00")
    calendars.change_calendar(
        calendar, actor=None, afternoon_end=dt.time(16, 0), reason="Giờ làm việc mùa đông"
    )
    dossier.refresh_from_db()
    # The 40 working hours granted, now at 7 h a day: Monday from 09:00 gives 5 h, Tuesday to
    # Friday 28 h, and the last 7 h take all of Monday 9 March, until 16:00.
    assert dossier.due_at == at("2026-03-09T16:00")
    assert "Giờ làm việc mùa đông" in dossier.events.get(action="deadline_moved").reason


def test_the_rescheduler_can_be_called_directly_with_the_spec_before(
    cast: Cast, dossier: Dossier
) -> None:
    calendar = cast.agency.calendar
    before = spec_for(calendar)
    CalendarOverride.objects.create(
        calendar=calendar, date=dt.date(2026, 3, 5), kind="day_off", reason=STORM
    )
    result = reschedule_for_calendar_change(
        calendar, [dt.date(2026, 3, 5)], before=before, actor=cast.grace, now=at("2026-03-02T16:00")
    )
    assert result.moved == [dossier.code]
    assert result.notified == 2  # e-mail and SMS, both chosen
    event = DossierEvent.objects.get(dossier=dossier, action="deadline_moved")
    assert event.actor == cast.grace
    again = reschedule_for_calendar_change(
        calendar, [], before=before, actor=None, now=at("2026-03-02T16:00")
    )
    assert again.moved == []
