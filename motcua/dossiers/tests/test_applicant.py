"""What the applicant sees of the dossier (``dossiers.applicant``): the public events without
the officers' notes, and how the due date was reached, moves included."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers import applicant, documents, intake, services
from motcua.dossiers.tests.factories import at, birth_registration_case, complete_intake
from motcua.dossiers.workflow import Action
from motcua.testing import Cast


def test_the_due_story_tells_the_start_the_skipped_days_and_the_pause(cast: Cast) -> None:
    """Received on Friday 6 March 2026 at 16:00, after the 15:00 cut-off: the clock starts
    on Monday at 07:00 (Saturday and Sunday skipped) and runs five working days; a supplement
    asked on Tuesday at 09:00 and sent on Wednesday at 09:00 stops it for 8 working hours,
    and the due date moves by as much."""
    birth = birth_registration_case(cast.agency)
    d = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry,
        now=at("2026-03-06T15:50"),
    )  # fmt: skip
    services.receive(d, actor=cast.alice, now=at("2026-03-06T16:00"))
    first_due = d.due_at
    services.forward(d, actor=cast.alice, note="nội bộ", now=at("2026-03-09T08:00"))
    services.request_supplement(d, actor=cast.bob, items=["Giấy chứng sinh"],
                                now=at("2026-03-10T09:00"))  # fmt: skip
    services.resubmit(d, actor=cast.henry, now=at("2026-03-11T09:00"))
    story = applicant.due_story(d, now=at("2026-03-11T09:00"), vietnamese=False)
    assert story.amount == "5" and story.clock_started_at == at("2026-03-09T07:00")
    assert [w.date.isoformat() for w in story.why][:1] == ["2026-03-06"]
    assert {"2026-03-07", "2026-03-08"} <= {w.date.isoformat() for w in story.why}
    assert story.counted_days >= 5
    [moved] = story.moves
    assert moved.action == Action.RESUBMIT and moved.detail == "8.0"
    assert moved.before == first_due and moved.after == d.due_at != first_due
    assert story.working_days_left is not None and story.working_days_left > Decimal(0)


def test_public_events_leave_out_internal_hand_overs(cast: Cast) -> None:
    birth = birth_registration_case(cast.agency)
    d = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry
    )
    services.receive(d, actor=cast.alice)
    services.forward(d, actor=cast.alice, note="nội bộ")
    actions = [e.action for e in applicant.public_events(d)]
    assert actions == [Action.SUBMIT, Action.RECEIVE]
    assert Action.FORWARD in set(d.events.values_list("action", flat=True))


def test_only_the_officer_processing_marks_a_file_as_the_result(
    cast: Cast, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    birth = birth_registration_case(cast.agency)
    d = intake.submit_online(
        complete_intake(birth, channel="online"), agency=cast.agency, actor=cast.henry
    )
    services.receive(d, actor=cast.alice)
    with pytest.raises(ValidationError) as refused:
        documents.attach(d, actor=cast.alice, upload=pdf(), result=True)
    assert refused.value.error_dict["result"][0].code == "result_file_not_now"
    services.forward(d, actor=cast.alice)
    document = documents.attach(d, actor=cast.bob, upload=pdf(), result=True)
    assert document.result
    assert d.events.filter(action=Action.ATTACH).last().data["result"] is True  # type: ignore[union-attr]
    assert applicant.electronic_results(d) == []  # not returned yet


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
