"""The feedback services: submission (identified, signed in, anonymous), routing, transfer,
drafting, approval and publication, each allowed for the table's roles in the right agency and
refused for everyone else; once-only rules; an event per change.

Submitted Monday 2 March 2026 09:00: 10 working days on the VN calendar end Monday 16 March
09:00."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import at
from motcua.errors import Refused, refusal_codes
from motcua.feedback import services
from motcua.feedback.models import AnswerTime, Feedback, FeedbackEvent
from motcua.feedback.tests.factories import submit
from motcua.feedback.workflow import Action, Status
from motcua.notifications.models import Notification
from motcua.testing import Cast

NOW = at("2026-03-02T09:00")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def routed(case: Case) -> Feedback:
    """Feedback about the procedure H56.22 decides: routed there on submission."""
    return submit(procedure_code="2.000720", now=NOW)


def _codes(exc: pytest.ExceptionInfo[BaseException]) -> list[str]:
    return refusal_codes(exc.value)


def _actions(feedback: Feedback) -> list[str]:
    return list(feedback.events.order_by("pk").values_list("action", flat=True))


def test_a_feedback_about_a_procedure_goes_to_its_competent_agency_with_10_working_days(
    cast: Cast, routed: Feedback
) -> None:
    assert routed.code == "PAKN-2026-000001"
    assert len(routed.tracking_pin) == 8
    assert routed.status == Status.ASSIGNED and routed.agency == cast.agency
    assert routed.due_at == at("2026-03-16T09:00")
    assert _actions(routed) == [Action.SUBMIT, Action.ASSIGN]


def test_codes_count_up_per_year(case: Case) -> None:
    first = submit(now=NOW)
    second = submit(now=NOW)
    third = submit(now=at("2027-01-04T09:00"))
    assert [first.code, second.code, third.code] == [
        "PAKN-2026-000001", "PAKN-2026-000002", "PAKN-2027-000001",
    ]  # fmt: skip


def test_the_province_may_set_another_answer_time(cast: Cast, case: Case) -> None:
    from motcua.accounts.models import AdministrativeUnit, UnitLevel

    province = AdministrativeUnit.objects.create(
        code="82", level=UnitLevel.PROVINCE, name="Đồng Tháp", full_name="Tỉnh Đồng Tháp"
    )
    cast.agency.unit = province
    cast.agency.save(update_fields=["unit"])
    AnswerTime.objects.create(province=province, working_days=5)
    feedback = submit(procedure_code="2.000720", now=NOW)
    assert feedback.due_at == at("2026-03-09T09:00")


def test_without_a_procedure_it_waits_for_the_reform_officer(cast: Cast) -> None:
    feedback = submit(subject="conduct", now=NOW)
    assert feedback.status == Status.RECEIVED and feedback.agency is None
    assert feedback.due_at is None


def test_an_anonymous_feedback_is_recorded_and_not_processed(cast: Cast) -> None:
    feedback = submit(name="", phone="", email="", now=NOW)
    assert feedback.status == Status.RECORDED
    assert feedback.consent_to_publish is False  # nobody to consent
    assert _actions(feedback) == [Action.RECORD]
    with pytest.raises(Refused) as exc:
        services.assign_feedback(feedback, agency_code=cast.agency.code, actor=cast.frank)
    assert _codes(exc) == ["feedback_wrong_status"]


def test_a_signed_in_citizen_needs_no_contact_details(cast: Cast) -> None:
    feedback = submit(actor=cast.henry, name="", phone="", email="", now=NOW)
    assert feedback.status == Status.RECEIVED
    assert feedback.owner == cast.henry and feedback.sender_email == "henry@example.vn"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"subject": "weather"}, "feedback_subject"),
        ({"title": "  "}, "feedback_title_required"),
        ({"content": ""}, "feedback_content_required"),
        ({"phone": "", "email": ""}, "feedback_contact_required"),
        ({"procedure_code": "9.999999"}, "no_such_procedure"),
    ],
)
def test_wrong_input_is_refused_with_its_code(
    cast: Cast, fields: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        submit(now=NOW, **fields)
    assert _codes(exc) == [code]
    assert not Feedback.objects.exists()


def test_attachments_are_checked_by_content_and_kept(
    cast: Cast, settings: object, tmp_path: object
) -> None:
    setattr(settings, "MEDIA_ROOT", str(tmp_path))  # noqa: B010
    good = SimpleUploadedFile("Ảnh chụp biên nhận.pdf", PDF)
    feedback = submit(files=[good], now=NOW)
    attachment = feedback.attachments.get()
    assert (
        attachment.content_type == "application/pdf" and attachment.name == "Ảnh chụp biên nhận.pdf"
    )
    assert str(attachment.file.name).endswith(".pdf")
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00not a pdf")
    with pytest.raises(ValidationError) as exc:
        submit(files=[fake], now=NOW)
    assert _codes(exc) == ["file_type"]
    too_many = [SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(6)]
    with pytest.raises(ValidationError) as exc:
        submit(files=too_many, now=NOW)
    assert _codes(exc) == ["too_many_attachments"]
    assert Feedback.objects.count() == 1


# --- routing ------------------------------------------------------------------------------


def test_the_reform_officer_routes_a_received_feedback(cast: Cast) -> None:
    feedback = submit(subject="conduct", now=NOW)
    services.assign_feedback(feedback, agency_code=cast.other_agency.code, actor=cast.frank,
                             now=at("2026-03-03T09:00"))  # fmt: skip
    feedback.refresh_from_db()
    assert feedback.agency == cast.other_agency and feedback.status == Status.ASSIGNED
    assert feedback.due_at == at("2026-03-17T09:00")


@pytest.mark.parametrize(
    "who", ["alice", "bob", "carol", "dave", "erin", "grace", "henry", "oscar"]
)
def test_only_a_reform_officer_routes(cast: Cast, who: str) -> None:
    feedback = submit(subject="conduct", now=NOW)
    with pytest.raises(Refused) as exc:
        services.assign_feedback(feedback, agency_code=cast.agency.code, actor=getattr(cast, who))
    assert _codes(exc) == ["feedback_action_not_allowed"]


def test_routing_twice_is_refused(cast: Cast) -> None:
    feedback = submit(subject="conduct", now=NOW)
    services.assign_feedback(feedback, agency_code=cast.agency.code, actor=cast.frank)
    with pytest.raises(Refused) as exc:
        services.assign_feedback(feedback, agency_code=cast.agency.code, actor=cast.frank)
    assert _codes(exc) == ["feedback_wrong_status"]


def test_a_leader_of_the_holding_agency_transfers_and_the_new_agency_gets_its_own_time(
    cast: Cast, routed: Feedback
) -> None:
    services.draft_answer(routed, answer="Nháp", actor=cast.bob)
    services.transfer_feedback(
        routed,
        agency_code=cast.other_agency.code,
        reason="Không thuộc thẩm quyền",
        actor=cast.dave,
        now=at("2026-03-04T14:00"),
    )
    routed.refresh_from_db()
    assert routed.agency == cast.other_agency and routed.status == Status.ASSIGNED
    assert routed.answer == "" and routed.drafted_by is None
    assert routed.due_at == at("2026-03-18T14:00")
    event = routed.events.get(action=Action.TRANSFER)
    assert event.data["from"] == cast.agency.code and event.reason == "Không thuộc thẩm quyền"


@pytest.mark.parametrize("who", ["alice", "bob", "henry", "oscar"])
def test_others_may_not_transfer(cast: Cast, routed: Feedback, who: str) -> None:
    with pytest.raises(Refused) as exc:
        services.transfer_feedback(routed, agency_code=cast.other_agency.code, reason="x",
                                   actor=getattr(cast, who))  # fmt: skip
    assert _codes(exc) == ["feedback_action_not_allowed"]


def test_a_transfer_to_the_same_agency_or_without_reason_is_refused(
    cast: Cast, routed: Feedback
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.transfer_feedback(
            routed, agency_code=cast.agency.code, reason="x", actor=cast.frank
        )
    assert _codes(exc) == ["transfer_same_agency"]
    with pytest.raises(ValidationError) as exc:
        services.transfer_feedback(
            routed, agency_code=cast.other_agency.code, reason=" ", actor=cast.frank
        )
    assert _codes(exc) == ["reason_required"]
    with pytest.raises(ValidationError) as exc:
        services.transfer_feedback(routed, agency_code="X00", reason="x", actor=cast.frank)
    assert _codes(exc) == ["no_such_agency"]


# --- answering ----------------------------------------------------------------------------


def test_the_specialist_drafts_and_a_leader_approves_once(cast: Cast, routed: Feedback) -> None:
    services.draft_answer(routed, answer="Sở đã rút ngắn thời gian.", actor=cast.bob)
    services.approve_answer(routed, actor=cast.dave, now=at("2026-03-10T09:00"))
    routed.refresh_from_db()
    assert routed.status == Status.ANSWERED and routed.answered_at == at("2026-03-10T09:00")
    assert routed.events.get(action=Action.APPROVE).data == {"on_time": True}
    told = Notification.objects.get(dedupe_key=f"feedback-answered:{routed.code}")
    assert told.address == "an@example.vn"
    with pytest.raises(Refused) as exc:
        services.approve_answer(routed, actor=cast.dave)
    assert _codes(exc) == ["feedback_wrong_status"]
    with pytest.raises(Refused) as exc:
        services.draft_answer(routed, answer="Sửa", actor=cast.bob)
    assert _codes(exc) == ["feedback_wrong_status"]


@pytest.mark.parametrize("who", ["alice", "dave", "erin", "frank", "henry", "oscar"])
def test_only_the_holding_agencys_specialists_and_heads_draft(
    cast: Cast, routed: Feedback, who: str
) -> None:
    with pytest.raises(Refused) as exc:
        services.draft_answer(routed, answer="Trả lời", actor=getattr(cast, who))
    assert _codes(exc) == ["feedback_action_not_allowed"]


def test_a_specialist_of_another_agency_may_not_draft(cast: Cast, routed: Feedback) -> None:
    from motcua.accounts.models import Role
    from motcua.testing import make_user

    outsider = make_user("olga", (Role.SPECIALIST, cast.other_agency))
    with pytest.raises(Refused):
        services.draft_answer(routed, answer="Trả lời", actor=outsider)


@pytest.mark.parametrize("who", ["alice", "bob", "erin", "frank", "henry", "oscar"])
def test_only_leaders_of_the_holding_agency_approve(cast: Cast, routed: Feedback, who: str) -> None:
    services.draft_answer(routed, answer="Trả lời", actor=cast.ivan)
    with pytest.raises(Refused) as exc:
        services.approve_answer(routed, actor=getattr(cast, who))
    assert _codes(exc) == ["feedback_action_not_allowed"]


def test_a_head_who_drafted_may_not_approve_their_own_draft(cast: Cast, routed: Feedback) -> None:
    services.draft_answer(routed, answer="Trả lời", actor=cast.carol)
    with pytest.raises(Refused) as exc:
        services.approve_answer(routed, actor=cast.carol)
    assert _codes(exc) == ["feedback_own_draft"]
    services.approve_answer(routed, actor=cast.dave)


def test_a_leader_sends_a_draft_back_with_a_reason(cast: Cast, routed: Feedback) -> None:
    services.draft_answer(routed, answer="Trả lời", actor=cast.bob)
    with pytest.raises(ValidationError):
        services.return_draft(routed, reason="", actor=cast.dave)
    with pytest.raises(Refused):
        services.return_draft(routed, reason="Bổ sung căn cứ", actor=cast.bob)
    services.return_draft(routed, reason="Bổ sung căn cứ", actor=cast.dave)
    routed.refresh_from_db()
    assert routed.status == Status.ASSIGNED and routed.answer == "Trả lời"


def test_an_answer_after_the_deadline_counts_late(cast: Cast, routed: Feedback) -> None:
    services.draft_answer(routed, answer="Trả lời", actor=cast.bob)
    services.approve_answer(routed, actor=cast.dave, now=at("2026-03-16T09:01"))
    assert routed.events.get(action=Action.APPROVE).data == {"on_time": False}


# --- publishing ---------------------------------------------------------------------------


def _answered(cast: Cast, feedback: Feedback) -> Feedback:
    services.draft_answer(feedback, answer="Thời gian đã rút ngắn còn 3 ngày.", actor=cast.bob)
    return services.approve_answer(feedback, actor=cast.dave)


def test_an_answer_is_published_once_with_consent(cast: Cast, routed: Feedback) -> None:
    _answered(cast, routed)
    services.publish_answer(routed, actor=cast.frank)
    routed.refresh_from_db()
    assert routed.status == Status.PUBLISHED and routed.published_at is not None
    assert "thoi gian cap giay chung nhan" in routed.search_text
    with pytest.raises(Refused) as exc:
        services.publish_answer(routed, actor=cast.dave)
    assert _codes(exc) == ["feedback_wrong_status"]
    assert _actions(routed)[-1] == Action.PUBLISH


def test_without_consent_nothing_is_published(cast: Cast, case: Case) -> None:
    feedback = _answered(cast, submit(procedure_code="2.000720", consent_to_publish=False))
    with pytest.raises(Refused) as exc:
        services.publish_answer(feedback, actor=cast.dave)
    assert _codes(exc) == ["feedback_no_consent"]


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "erin", "henry", "oscar"])
def test_only_a_signing_leader_or_the_reform_officer_publishes(
    cast: Cast, routed: Feedback, who: str
) -> None:
    _answered(cast, routed)
    with pytest.raises(Refused) as exc:
        services.publish_answer(routed, actor=getattr(cast, who))
    assert _codes(exc) == ["feedback_action_not_allowed"]


def test_events_are_one_per_change_and_never_edited(cast: Cast, routed: Feedback) -> None:
    _answered(cast, routed)
    services.publish_answer(routed, actor=cast.dave)
    assert _actions(routed) == [Action.SUBMIT, Action.ASSIGN, Action.DRAFT, Action.APPROVE,
                                Action.PUBLISH]  # fmt: skip
    from motcua.events import ImmutableEvent

    with pytest.raises(ImmutableEvent):
        FeedbackEvent.objects.filter(feedback=routed).update(reason="x")
    assert isinstance(cast.frank, User)
