"""The statutory limits: the return date moves once, by an apology sent no later than one
working day before the due date (a dossier already late still gets its apology, marked late);
the applicant is told once, completely, what to supplement, and a further request needs the
head of the agency's permission, printed on Form 02."""

import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from pypdf import PdfReader

from motcua.catalogue.models import Case
from motcua.dossiers import intake, printing, services
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.models import Dossier
from motcua.dossiers.printing_forms import apology_pdf, supplement_pdf
from motcua.dossiers.tests.factories import assign, at, complete_intake, household_business_case
from motcua.dossiers.workflow import Status
from motcua.testing import Cast


@pytest.fixture
def case(cast: Cast) -> Case:
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency)
    return case


@pytest.fixture
def processing(cast: Cast, case: Case) -> Dossier:
    """Received Monday 2 March 2026 09:00, 5 working days → due Monday 9 March 09:00; with
    bob (specialist) from 10:00. The last day to extend is Friday 6 March."""
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    services.forward(d, actor=cast.alice, to=cast.bob, now=at("2026-03-02T10:00"))
    assert d.due_at == at("2026-03-09T09:00")
    return d


def _code(error: ValidationError) -> str | None:
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.error_list[0].code


def _extend(d: Dossier, cast: Cast, now: str, new: str = "2026-03-13T16:00") -> Dossier:
    return services.extend(
        d, actor=cast.carol, reason="Chờ xác minh", new_return_at=at(new), now=at(now)
    )


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


# --- one extension, in time ----------------------------------------------------------------


def test_the_return_date_moves_once(cast: Cast, processing: Dossier) -> None:
    """A second apology is refused, even days before the due date; the first date stays."""
    _extend(processing, cast, "2026-03-04T10:00")
    event = processing.events.get(action="extend")
    assert event.data["late"] is False
    assert event.data["extension_deadline"] == "2026-03-06"
    with pytest.raises(ValidationError) as refused:
        services.extend(
            processing,
            actor=cast.dave,
            reason="Lần nữa",
            new_return_at=at("2026-03-20T16:00"),
            now=at("2026-03-05T10:00"),
        )
    assert _code(refused.value) == "extension_already_given"
    processing.refresh_from_db()
    assert processing.promised_at == at("2026-03-13T16:00")
    assert processing.events.filter(action="extend").count() == 1


def test_the_apology_may_be_sent_until_the_working_day_before_the_due_date(
    cast: Cast, processing: Dossier
) -> None:
    """Due Monday 9 March: Friday 6 March (the working day before, the weekend skipped) is the
    last day."""
    _extend(processing, cast, "2026-03-06T16:30")
    assert processing.promised_at == at("2026-03-13T16:00")
    assert processing.events.get(action="extend").data["late"] is False


@pytest.mark.parametrize("now", ["2026-03-07T09:00", "2026-03-08T20:00", "2026-03-09T08:00"])
def test_an_extension_after_the_last_day_is_too_late(
    cast: Cast, processing: Dossier, now: str
) -> None:
    """The weekend before the due date and the due date itself: refused with the reason."""
    with pytest.raises(ValidationError) as refused:
        _extend(processing, cast, now)
    assert _code(refused.value) == "extension_too_late"
    assert "06/03/2026" in refused.value.messages[0]
    processing.refresh_from_db()
    assert processing.promised_at is None
    assert not processing.events.filter(action="extend").exists()


def test_a_dossier_already_late_still_gets_its_one_apology_marked_late(
    cast: Cast, processing: Dossier
) -> None:
    """Tuesday 10 March, past the due date: the apology is recorded late, Form 04 says so, and
    the date still moves only once; the due date stays the original one."""
    _extend(processing, cast, "2026-03-10T08:00")
    event = processing.events.get(action="extend")
    assert event.data["late"] is True
    assert processing.promised_at == at("2026-03-13T16:00")
    assert processing.due_at == at("2026-03-09T09:00")
    assert "gửi muộn" in _text(apology_pdf(printing.apology_for(processing)))
    with pytest.raises(ValidationError) as refused:
        _extend(processing, cast, "2026-03-11T08:00", new="2026-03-20T16:00")
    assert _code(refused.value) == "extension_already_given"


def test_an_apology_in_time_does_not_say_late(cast: Cast, processing: Dossier) -> None:
    _extend(processing, cast, "2026-03-05T10:00")
    assert "gửi muộn" not in _text(apology_pdf(printing.apology_for(processing)))


def test_only_leaders_of_the_holding_agency_extend(cast: Cast, processing: Dossier) -> None:
    """The specialist and the desk may not; the head of department and the signing leader may
    (the workflow table); the statutory limits apply to whoever does."""
    for user in (cast.bob, cast.alice, cast.ivan):
        with pytest.raises(ActionRefused):
            services.extend(
                processing,
                actor=user,
                reason="x",
                new_return_at=at("2026-03-13T16:00"),
                now=at("2026-03-04T10:00"),
            )
    services.extend(
        processing,
        actor=cast.dave,
        reason="x",
        new_return_at=at("2026-03-13T16:00"),
        now=at("2026-03-04T10:00"),
    )
    with pytest.raises(ValidationError) as again:
        _extend(processing, cast, "2026-03-04T11:00", new="2026-03-20T16:00")
    assert _code(again.value) == "extension_already_given"


def test_the_api_answers_a_second_extension_with_its_code(
    client: Client, cast: Cast, processing: Dossier
) -> None:
    _extend(processing, cast, "2026-03-04T10:00")
    client.force_login(cast.carol)
    response = client.post(
        f"/api/v1/dossiers/{processing.code}/actions/extend/",
        {"reason": "Lần nữa", "new_return_at": "2030-01-10T16:00:00+07:00"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "extension_already_given"


# --- one complete supplement request ---------------------------------------------------------


def _ask(d: Dossier, cast: Cast, now: str, item: str = "Bản sao CCCD") -> Dossier:
    return services.request_supplement(d, actor=cast.bob, items=[item], now=at(now))


def _allow(d: Dossier, cast: Cast, now: str, reason: str = "Giấy tờ mới phát sinh") -> Dossier:
    return services.allow_further_supplement(d, actor=cast.dave, reason=reason, now=at(now))


def test_a_second_supplement_request_while_processing_is_refused(
    cast: Cast, processing: Dossier
) -> None:
    _ask(processing, cast, "2026-03-03T09:00")
    assert processing.events.get(action="request_supplement").data["request_number"] == 1
    services.resubmit(processing, actor=cast.alice, now=at("2026-03-04T09:00"))
    with pytest.raises(ValidationError) as refused:
        _ask(processing, cast, "2026-03-04T10:00", "Sơ đồ địa điểm")
    assert _code(refused.value) == "supplement_already_requested"
    processing.refresh_from_db()
    assert processing.status == Status.PROCESSING
    assert processing.events.filter(action="request_supplement").count() == 1


def test_the_head_of_the_agency_allows_one_further_request_each_time(
    cast: Cast, processing: Dossier
) -> None:
    """In order: not before the allowed requests are used; then one permission, one request;
    the next request needs another permission."""
    with pytest.raises(ValidationError) as early:
        _allow(processing, cast, "2026-03-02T11:00")
    assert _code(early.value) == "further_supplement_not_needed"
    _ask(processing, cast, "2026-03-03T09:00")
    services.resubmit(processing, actor=cast.alice, now=at("2026-03-04T09:00"))
    _allow(processing, cast, "2026-03-04T10:00")
    with pytest.raises(ValidationError) as twice:  # one permission at a time
        _allow(processing, cast, "2026-03-04T10:30")
    assert _code(twice.value) == "further_supplement_not_needed"
    _ask(processing, cast, "2026-03-04T11:00", "Sơ đồ địa điểm")
    second = processing.events.filter(action="request_supplement").latest("pk")
    assert second.data["request_number"] == 2
    assert second.data["allowed_by"]["reason"] == "Giấy tờ mới phát sinh"
    services.resubmit(processing, actor=cast.alice, now=at("2026-03-05T09:00"))
    with pytest.raises(ValidationError) as third:
        _ask(processing, cast, "2026-03-05T10:00")
    assert _code(third.value) == "supplement_already_requested"
    _allow(processing, cast, "2026-03-05T11:00", "Thay đổi quy định")
    _ask(processing, cast, "2026-03-05T14:00")
    latest = processing.events.filter(action="request_supplement").latest("pk")
    assert latest.data["allowed_by"]["reason"] == "Thay đổi quy định"
    assert latest.data["request_number"] == 3


def test_only_the_head_of_the_agency_gives_the_permission(cast: Cast, processing: Dossier) -> None:
    """Not the specialist, the desk, the head of department, another agency's officer or a
    citizen; nor while the dossier waits for the applicant; and never without a reason."""
    _ask(processing, cast, "2026-03-03T09:00")
    with pytest.raises(ActionRefused):  # paused: the permission comes before the next request
        _allow(processing, cast, "2026-03-03T10:00")
    services.resubmit(processing, actor=cast.alice, now=at("2026-03-04T09:00"))
    for user in (cast.bob, cast.alice, cast.carol, cast.ivan, cast.henry, cast.oscar):
        with pytest.raises(ActionRefused):
            services.allow_further_supplement(
                processing, actor=user, reason="x", now=at("2026-03-04T10:00")
            )
    with pytest.raises(ValidationError) as blank:
        _allow(processing, cast, "2026-03-04T10:00", reason="  ")
    assert _code(blank.value) == "further_supplement_reason"
    _allow(processing, cast, "2026-03-04T10:00")
    event = processing.events.get(action="allow_further_supplement")
    assert event.actor == cast.dave
    assert event.data["requests_made"] == 1


@override_settings(MOTCUA_SUPPLEMENT_REQUESTS=2)
def test_the_limit_is_a_setting(cast: Cast, processing: Dossier) -> None:
    _ask(processing, cast, "2026-03-03T09:00")
    services.resubmit(processing, actor=cast.alice, now=at("2026-03-03T10:00"))
    _ask(processing, cast, "2026-03-03T11:00")
    services.resubmit(processing, actor=cast.alice, now=at("2026-03-03T14:00"))
    with pytest.raises(ValidationError) as refused:
        _ask(processing, cast, "2026-03-03T15:00")
    assert _code(refused.value) == "supplement_already_requested"


def test_form_02_prints_the_head_of_the_agencys_permission(cast: Cast, processing: Dossier) -> None:
    _ask(processing, cast, "2026-03-03T09:00")
    first = _text(supplement_pdf(printing.supplement_for(processing)))
    assert "cho phép" not in first
    services.resubmit(processing, actor=cast.alice, now=at("2026-03-04T09:00"))
    _allow(processing, cast, "2026-03-04T10:00")
    _ask(processing, cast, "2026-03-04T11:00", "Sơ đồ địa điểm")
    second = _text(supplement_pdf(printing.supplement_for(processing)))
    assert "Yêu cầu bổ sung lần thứ 2" in second
    assert "cho phép ngày 04/03/2026" in second
    assert "Giấy tờ mới phát sinh" in second
    assert "Sơ đồ địa điểm" in second
