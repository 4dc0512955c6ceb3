"""The workspace's feedback pages: the queue shows the user's agencies' feedback (and to the
reform officer what waits for routing), each action is taken by its roles in the holding
agency and refused (403) for anyone else, another agency's feedback is a 404, and the report
counts per agency."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalogue.models import Case
from motcua.feedback import services
from motcua.feedback.models import Feedback
from motcua.feedback.tests.factories import submit
from motcua.feedback.workflow import Status
from motcua.testing import Cast

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def routed(cast: Cast, case: Case) -> Feedback:
    return submit(procedure_code="2.000720")


def _as(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def _act(client: Client, feedback: Feedback, name: str, **data: str) -> Any:
    return client.post(f"/workspace/feedback/{feedback.code}/act/{name}/", data)


def test_the_queue_shows_the_agencys_feedback_and_the_reform_officer_the_unrouted(
    client: Client, cast: Cast, routed: Feedback
) -> None:
    unrouted = submit(subject="conduct", title="Cán bộ chậm trễ")
    anonymous = submit(name="", phone="", email="", title="Ẩn danh")
    bobs = _as(client, cast.bob).get("/workspace/feedback/").content.decode()
    assert routed.code in bobs and unrouted.code not in bobs and anonymous.code not in bobs
    franks = _as(client, cast.frank).get("/workspace/feedback/").content.decode()
    assert routed.code in franks and unrouted.code in franks and anonymous.code not in franks


def test_another_agencys_officer_and_citizens_get_a_404(
    client: Client, cast: Cast, routed: Feedback
) -> None:
    from motcua.accounts.models import Role
    from motcua.testing import make_user

    olga = make_user("olga", (Role.SPECIALIST, cast.other_agency))
    for user in (olga, cast.henry, cast.oscar):
        assert _as(client, user).get(f"/workspace/feedback/{routed.code}/").status_code == 404
        assert _act(client, routed, "draft", answer="x").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, routed: Feedback) -> None:
    response = client.get(f"/workspace/feedback/{routed.code}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_offers_only_the_actions_the_user_may_take(
    client: Client, cast: Cast, routed: Feedback
) -> None:
    bobs = _as(client, cast.bob).get(f"/workspace/feedback/{routed.code}/").content.decode()
    assert "/act/draft/" in bobs and "/act/approve/" not in bobs and "/act/transfer/" not in bobs
    alices = _as(client, cast.alice).get(f"/workspace/feedback/{routed.code}/").content.decode()
    assert "/act/" not in alices


def test_draft_approve_publish_through_the_pages(
    client: Client, cast: Cast, routed: Feedback
) -> None:
    assert _act(_as(client, cast.alice), routed, "draft", answer="x").status_code == 403
    assert _act(_as(client, cast.bob), routed, "draft", answer="").status_code == 400
    assert _act(client, routed, "draft", answer="Đã rút ngắn.").status_code == 302
    assert _act(client, routed, "approve").status_code == 403  # a specialist
    assert _act(_as(client, cast.dave), routed, "approve").status_code == 302
    assert _act(client, routed, "approve").status_code == 403  # once only
    assert _act(_as(client, cast.carol), routed, "publish").status_code == 403
    assert _act(_as(client, cast.dave), routed, "publish").status_code == 302
    routed.refresh_from_db()
    assert routed.status == Status.PUBLISHED


def test_the_reform_officer_routes_and_a_leader_transfers(client: Client, cast: Cast) -> None:
    feedback = submit(subject="conduct")
    assert (
        _act(_as(client, cast.bob), feedback, "assign", agency=cast.agency.code).status_code == 404
    )
    assert (
        _act(_as(client, cast.frank), feedback, "assign", agency=cast.agency.code).status_code
        == 302
    )
    response = _act(_as(client, cast.dave), feedback, "transfer", agency=cast.other_agency.code,
                    reason="Thuộc thẩm quyền Sở Tư pháp")  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/workspace/feedback/"
    feedback.refresh_from_db()
    assert feedback.agency == cast.other_agency


def test_attachments_are_downloaded_only_by_those_who_read_the_feedback(
    client: Client, cast: Cast, case: Case, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    feedback = submit(procedure_code="2.000720", files=[SimpleUploadedFile("a.pdf", PDF)])
    url = f"/workspace/feedback/{feedback.code}/files/{feedback.attachments.get().pk}/"
    response = _as(client, cast.bob).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert _as(client, cast.henry).get(url).status_code == 404


def test_the_report_counts_per_agency(client: Client, cast: Cast, routed: Feedback) -> None:
    services.draft_answer(routed, answer="Trả lời", actor=cast.bob)
    services.approve_answer(routed, actor=cast.dave)
    submit(procedure_code="2.000720")
    page = _as(client, cast.frank).get("/workspace/feedback/report/")
    rows = [(r.agency.code, r.received, r.on_time, r.late, r.pending) for r in page.context["rows"]]
    assert rows == [("H56.22", 2, 1, 0, 1)]
    from motcua.accounts.models import Role
    from motcua.testing import make_user

    olga = make_user("olga", (Role.SPECIALIST, cast.other_agency))
    assert _as(client, olga).get("/workspace/feedback/report/").context["rows"] == []


def test_an_anonymous_visitor_may_take_no_action(client: Client, routed: Feedback) -> None:
    for name in ("assign", "transfer", "draft", "return", "approve", "publish"):
        response = _act(client, routed, name, answer="x", reason="x", agency="H56.23")
        assert response.status_code == 302 and "/login/" in response["Location"]
    routed.refresh_from_db()
    assert routed.status == Status.ASSIGNED


def test_an_unknown_action_is_a_404(client: Client, cast: Cast, routed: Feedback) -> None:
    assert _act(_as(client, cast.dave), routed, "remind").status_code == 404
    assert _act(client, routed, "delete").status_code == 404


def test_the_queue_reads_the_same_number_of_queries_for_5_or_10_rows(
    client: Client, cast: Cast, case: Case
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _as(client, cast.bob)
    counts = []
    for _ in range(2):
        for _ in range(5):
            submit(procedure_code="2.000720")
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/workspace/feedback/")
        counts.append(len(queries.captured_queries))
    assert len(page.context["rows"]) == 10
    assert counts[0] == counts[1]
