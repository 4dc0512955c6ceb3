"""A dossier from the desk through a supplement request, a transfer and an apology to its
return, step by step, with its events, its control sheet rows and its classification."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import AgencyKind, Role
from motcua.catalogue.models import AssignmentRole, Case
from motcua.dossiers import intake, services
from motcua.dossiers.errors import ActionRefused, DossierConflict
from motcua.dossiers.models import Dossier, StepStatus
from motcua.dossiers.tests.factories import (
    assign,
    at,
    complete_intake,
    household_business_case,
)
from motcua.dossiers.workflow import Status
from motcua.errors import refusal_codes, refusal_status
from motcua.testing import Cast, make_agency, make_user


@pytest.fixture
def case(cast: Cast) -> Case:
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency)  # coordinates: dossiers may be transferred there
    return case


def test_a_dossier_goes_from_the_desk_to_its_return(cast: Cast, case: Case) -> None:
    """Received Monday 2 March 2026 09:00, 5 working days → due Monday 9 March 09:00."""
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    assert dossier.code == "H56.22-260302-0001"
    assert dossier.status == Status.RECEIVED
    assert dossier.due_at == at("2026-03-09T09:00")
    assert dossier.fees_due == Decimal(100000)
    first = dossier.current_step
    assert first is not None and first.role == Role.DESK_OFFICER
    assert first.due_at == at("2026-03-02T15:00")  # 0.5 day = 4 h: 09:00–11:30, 13:30–15:00
    assert [s.status for s in dossier.steps.all()] == ["active"] + ["waiting"] * 4

    services.forward(dossier, actor=cast.alice, now=at("2026-03-02T10:00"))
    assert dossier.status == Status.PROCESSING
    assert dossier.current_step is not None and dossier.current_step.role == Role.SPECIALIST
    assert dossier.current_step.due_at == at("2026-03-04T10:00")

    # The specialist asks for a supplement on Tuesday 09:00; the applicant brings it Thursday
    # 09:00: two working days of pause move both due instants by two working days.
    services.request_supplement(
        dossier, actor=cast.bob, items=["Bản sao CCCD của chủ hộ"], now=at("2026-03-03T09:00")
    )
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    services.resubmit(dossier, actor=cast.alice, now=at("2026-03-05T09:00"))
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == at("2026-03-11T09:00")
    assert dossier.current_step.due_at == at("2026-03-06T10:00")
    assert dossier.paused_for == dt.timedelta(hours=16)
    resumed = dossier.events.get(action="resubmit")
    assert resumed.data["due_before"] == "2026-03-09T09:00:00+07:00"
    assert resumed.data["due_after"] == "2026-03-11T09:00:00+07:00"

    # Transfer to another agency for 1 working day (liên thông), which hands it back late.
    other = cast.other_agency
    judy = make_user("judy", (Role.SPECIALIST, other))
    services.transfer(
        dossier,
        actor=cast.bob,
        to_agency=other,
        allowance=Decimal(1),
        reason="Xác minh thông tin",
        now=at("2026-03-05T10:00"),
    )
    assert dossier.current_agency == other
    assert dossier.current_step.agency == other
    assert dossier.current_step.due_at == at("2026-03-06T10:00")
    with pytest.raises(ActionRefused):
        services.forward(dossier, actor=cast.bob, now=at("2026-03-09T10:00"))
    services.forward(dossier, actor=judy, now=at("2026-03-09T10:00"))
    transferred = dossier.steps.get(agency=other)
    assert transferred.timeliness == "late"
    # The other agency hands it back to the specialist who asked, who then forwards it.
    assert dossier.current_step.role == Role.SPECIALIST
    assert dossier.current_step.assignee == dossier.assignee == cast.bob
    assert dossier.current_agency == cast.agency
    services.forward(dossier, actor=cast.bob, now=at("2026-03-09T11:00"))
    assert dossier.current_step.role == Role.HEAD_OF_DEPARTMENT

    # Late overall: the head apologises with a new date; the original due date stays.
    services.extend(
        dossier,
        actor=cast.carol,
        reason="Chờ kết quả xác minh của cơ quan phối hợp",
        new_return_at=at("2026-03-13T16:00"),
        now=at("2026-03-10T08:00"),
    )
    assert dossier.promised_at == at("2026-03-13T16:00")
    assert dossier.due_at == at("2026-03-11T09:00")
    services.forward(dossier, actor=cast.carol, now=at("2026-03-11T10:00"))
    services.approve(
        dossier, actor=cast.dave, result="Giấy chứng nhận số 123/HKD", now=at("2026-03-12T09:00")
    )
    assert dossier.status == Status.PROCESSED
    assert dossier.events.get(action="approve").data["timeliness"] == "late"
    assert dossier.current_step.role == Role.DESK_OFFICER
    services.return_result(
        dossier,
        actor=cast.alice,
        method="in_person",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-12T14:00"),
    )
    assert dossier.status == Status.RETURNED
    assert dossier.current_step is None

    actions = list(dossier.events.order_by("at", "pk").values_list("action", flat=True))
    assert actions == [
        "receive",
        "forward",
        "request_supplement",
        "resubmit",
        "transfer",
        "forward",
        "forward",
        "extend",
        "forward",
        "approve",
        "return_result",
    ]
    # The control sheet (Form 06): one row per hand-over with its result.
    # Desk on the same day as due (on time); specialist before its moved due date (early);
    # the other agency after its own (late); the specialist again, early; the head late;
    # leader and return on the day.
    rows = list(dossier.steps.order_by("position").values_list("agency__code", "timeliness"))
    assert rows == [
        ("H56.22", "on_time"),
        ("H56.22", "early"),
        ("H56.23", "late"),
        ("H56.22", "early"),
        ("H56.22", "late"),
        ("H56.22", "on_time"),
        ("H56.22", "on_time"),
    ]
    assert set(dossier.steps.values_list("status", flat=True)) == {StepStatus.DONE}


def test_the_wrong_role_or_agency_is_refused_with_a_clear_message(cast: Cast, case: Case) -> None:
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    for user in [cast.bob, cast.carol, cast.dave, cast.erin, cast.frank, cast.henry, cast.oscar]:
        with pytest.raises(ActionRefused, match="forward") as refused:  # names the action
            services.forward(dossier, actor=user, now=at("2026-03-02T10:00"))
        assert refusal_codes(refused.value) == ["action_not_allowed"]
    with pytest.raises(ActionRefused) as refused:
        services.approve(dossier, actor=cast.dave, result="x", now=at("2026-03-02T10:00"))
    assert refusal_codes(refused.value) == ["action_not_allowed"]


def test_an_incomplete_dossier_cannot_be_received(cast: Cast, case: Case) -> None:
    data = complete_intake(case)
    data.checklist = data.checklist[:1]
    with pytest.raises(ValidationError) as refused:
        intake.receive_new_dossier(data, agency=cast.agency, actor=cast.alice)
    assert refusal_codes(refused.value) == ["dossier_incomplete"]
    assert not Dossier.objects.exists()


def test_a_stale_revision_is_a_conflict(cast: Cast, case: Case) -> None:
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    seen = dossier.revision
    services.forward(dossier, actor=cast.alice, expected_revision=seen)
    with pytest.raises(DossierConflict) as conflict:
        services.request_supplement(dossier, actor=cast.bob, items=["x"], expected_revision=seen)
    assert refusal_codes(conflict.value) == ["revision_conflict"]
    assert refusal_status(conflict.value) == 409


def test_an_online_submission_waits_for_the_desk(cast: Cast, case: Case) -> None:
    dossier = intake.submit_online(
        complete_intake(case, "online"), agency=cast.agency, actor=cast.henry,
        now=at("2026-03-06T16:00"),
    )  # fmt: skip
    assert dossier.status == Status.NEW and dossier.due_at is None
    assert dossier.owner == cast.henry
    # Received Friday 16:00, after the 15:00 cut-off: the clock starts Monday 07:00.
    services.receive(dossier, actor=cast.alice, now=at("2026-03-06T16:00"))
    assert dossier.status == Status.RECEIVED
    assert dossier.clock_started_at == at("2026-03-09T07:00")
    assert dossier.due_at == at("2026-03-13T17:00")
    with pytest.raises(ActionRefused):
        services.receive(dossier, actor=cast.alice)


def test_the_applicant_withdraws_and_a_leader_stops(cast: Cast, case: Case) -> None:
    first = intake.submit_online(complete_intake(case, "online"), agency=cast.agency,
                                 actor=cast.henry)  # fmt: skip
    services.withdraw(first, actor=cast.henry, reason="Không còn nhu cầu")
    assert first.status == Status.WITHDRAWN and first.finished_at is not None
    second = intake.receive_new_dossier(complete_intake(case), agency=cast.agency,
                                        actor=cast.alice)  # fmt: skip
    with pytest.raises(ActionRefused):
        services.withdraw(second, actor=cast.henry, reason="x")  # not henry's dossier
    services.stop(second, actor=cast.carol, reason="Đối tượng không thuộc diện giải quyết")
    assert second.status == Status.STOPPED
    assert second.steps.filter(status=StepStatus.CANCELLED).count() == 1


def test_refusal_at_the_desk_records_form_03_reasons(cast: Cast, case: Case) -> None:
    dossier = intake.refuse_at_desk(
        complete_intake(case), agency=cast.agency, actor=cast.alice,
        reasons=["Ngành nghề kinh doanh bị cấm"],
    )  # fmt: skip
    assert dossier.status == Status.NOT_ACCEPTED
    assert dossier.events.get().data["reasons"] == ["Ngành nghề kinh doanh bị cấm"]
    with pytest.raises(ValidationError):
        intake.refuse_at_desk(complete_intake(case), agency=cast.agency, actor=cast.alice,
                              reasons=[" "])  # fmt: skip


def test_codes_are_sequential_per_agency_and_day(cast: Cast, case: Case) -> None:
    other = make_agency("H56.30", "Sở Xây dựng", AgencyKind.PROVINCIAL_DEPARTMENT)
    assign(case, cast.other_agency, AssignmentRole.RECEIVING, AssignmentRole.COMPETENT)
    codes = [
        intake.receive_new_dossier(complete_intake(case), agency=a, actor=u, now=at(t)).code
        for a, u, t in [
            (cast.agency, cast.alice, "2026-03-02T09:00"),
            (cast.agency, cast.alice, "2026-03-02T09:05"),
            (cast.other_agency, cast.ivan, "2026-03-02T09:06"),
            (cast.agency, cast.alice, "2026-03-03T09:00"),
        ]
    ]
    assert codes == [
        "H56.22-260302-0001",
        "H56.22-260302-0002",
        "H56.23-260302-0001",
        "H56.22-260303-0001",
    ]
    assert other.code == "H56.30"


def test_a_case_without_an_internal_process_gets_a_specialist_and_a_signing_step(
    cast: Cast,
) -> None:
    """Three quarters of the statutory time to the specialist, the rest to the leader."""
    from motcua.catalogue import services as catalogue
    from motcua.catalogue.specs import CaseSpec, ProcedureSpec
    from motcua.catalogue.tests.factories import make_decision, make_field

    make_field()
    version = catalogue.publish_procedure(
        ProcedureSpec(
            code="9.000001",
            name="Thủ tục không có quy trình",
            field="HT",
            levels=frozenset({"commune"}),
            competent_authority="UBND xã",
            online_level="none",
            cases=(CaseSpec("1", "Thủ tục", Decimal(4), "working_days"),),
        ),
        decision=make_decision(),
        actor=None,
    )
    for role in (AssignmentRole.RECEIVING, AssignmentRole.COMPETENT):
        catalogue.assign_procedure(version.procedure, cast.agency, role, actor=None)
    case = version.cases.get()
    data = intake.Intake(case, intake.Applicant(name="Trần Thị C"), "in_person", [])
    dossier = intake.receive_new_dossier(data, agency=cast.agency, actor=cast.alice,
                                         now=at("2026-03-02T09:00"))  # fmt: skip
    steps = list(dossier.steps.values_list("role", "allowance"))
    assert steps == [(Role.SPECIALIST, Decimal(3)), (Role.SIGNING_LEADER, Decimal(1))]
    services.forward(dossier, actor=cast.bob, now=at("2026-03-03T09:00"))
    services.approve(dossier, actor=cast.dave, result="Đã giải quyết", now=at("2026-03-04T09:00"))
    services.return_result(
        dossier,
        actor=cast.alice,
        method="post",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-04T10:00"),
    )
    assert dossier.status == Status.RETURNED
    assert dossier.events.get(action="approve").data["timeliness"] == "early"


def test_events_cannot_be_edited_or_deleted(cast: Cast, case: Case) -> None:
    from motcua.events import ImmutableEvent

    dossier = intake.receive_new_dossier(complete_intake(case), agency=cast.agency,
                                         actor=cast.alice)  # fmt: skip
    event = dossier.events.get()
    event.reason = "rewritten"
    with pytest.raises(ImmutableEvent):
        event.save()
    with pytest.raises(ImmutableEvent):
        event.delete()
    assert dossier.events.get().reason == ""
