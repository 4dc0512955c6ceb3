"""The dossier API end to end: desk reception and online submission through a transfer, a
supplement request and an apology to the return, using only HTTP; and the permissions of each
endpoint (allowed role, wrong role, other agency, anonymous)."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import Role, User
from motcua.catalogue.models import Case
from motcua.dossiers.tests.factories import assign, household_business_case
from motcua.testing import Cast, field_problems, make_user, problems


@pytest.fixture
def case(cast: Cast) -> Case:
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency)  # coordinates: dossiers may be transferred there
    return case


def _as(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def _post(client: Client, user: User, url: str, data: dict[str, Any]) -> Any:
    client.force_login(user)
    return client.post(url, data, content_type="application/json")


def _intake(case: Case, channel: str = "in_person") -> dict[str, Any]:
    return {
        "agency": "H56.22",
        "procedure": "2.000720",
        "channel": channel,
        "applicant": {"name": "Nguyễn Văn Bình", "id_number": "087090001234"},
        "checklist": [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)],
    }


def _act(client: Client, user: User, code: str, name: str, data: dict[str, Any]) -> Any:
    response = _post(client, user, f"/api/v1/dossiers/{code}/actions/{name}/", data)
    assert response.status_code == 200, (name, response.json())
    return response.json()


def test_a_dossier_travels_from_the_desk_to_its_return_through_the_api(
    client: Client, cast: Cast, case: Case
) -> None:
    judy = make_user("judy", (Role.SPECIALIST, cast.other_agency))
    created = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case))
    assert created.status_code == 201, created.json()
    body = created.json()
    code = body["code"]
    assert body["status"] == "2" and body["due_at"]
    assert body["allowed_actions"] == ["forward", "collect_fee", "withdraw", "attach", "sign"]

    _act(client, cast.alice, code, "forward", {"note": "Đủ hồ sơ"})
    _act(client, cast.bob, code, "request_supplement", {"items": ["Bản sao CCCD"]})
    body = _act(client, cast.alice, code, "resubmit", {"note": "Đã bổ sung"})
    assert body["status"] == "4"
    body = _act(
        client,
        cast.bob,
        code,
        "transfer",
        {"to_agency": "H56.23", "allowance": "1", "reason": "Xác minh"},
    )
    assert body["current_agency"] == "H56.23"
    body = _act(client, judy, code, "forward", {})
    assert body["current_agency"] == "H56.22"  # back to the specialist who asked
    _act(client, cast.bob, code, "forward", {})
    due = dt.datetime.fromisoformat(body["due_at"])
    body = _act(
        client,
        cast.carol,
        code,
        "extend",
        {"reason": "Chờ xác minh", "new_return_at": (due + dt.timedelta(days=7)).isoformat()},
    )
    assert (
        body["promised_at"]
        and body["due_at"]
        == _as(client, cast.carol).get(f"/api/v1/dossiers/{code}/").json()["due_at"]
    )
    _act(client, cast.carol, code, "forward", {})
    _act(client, cast.dave, code, "approve", {"result": "Giấy chứng nhận số 1/HKD"})
    fee = {"amount": "100000", "receipt": "BL-0001", "method": "cash"}
    assert _act(client, cast.alice, code, "collect_fee", fee)["fees_paid"] == "100000"
    body = _act(client, cast.alice, code, "return_result", {"method": "in_person"})
    assert body["status"] == "10"
    assert body["timeliness"] in {"early", "on_time", "late"}
    actions = [e["action"] for e in body["events"]]
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
        "collect_fee",
        "return_result",
    ]
    # The control sheet (Form 06): every step handed over, each with a result.
    assert all(s["status"] == "done" and s["timeliness"] for s in body["steps"])
    assert [s["agency"] for s in body["steps"]][2] == "H56.23"


def test_an_online_submission_is_received_through_the_api(
    client: Client, cast: Cast, case: Case
) -> None:
    response = _post(client, cast.henry, "/api/v1/dossiers/submit/", _intake(case, "online"))
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    assert response.json()["status"] == "1"
    assert _as(client, cast.henry).get(f"/api/v1/dossiers/{code}/").status_code == 200
    body = _act(client, cast.alice, code, "receive", {})
    assert body["status"] == "2" and body["received_at"]


def test_actions_are_refused_to_the_wrong_role_with_the_reason(
    client: Client, cast: Cast, case: Case
) -> None:
    code = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case)).json()["code"]
    response = _post(client, cast.bob, f"/api/v1/dossiers/{code}/actions/approve/", {"result": "x"})
    assert response.status_code == 403
    assert problems(response) == ["action_not_allowed"]
    assert code in response.json()["message"]  # the reason names the dossier


def test_other_agencies_and_strangers_cannot_see_a_dossier(
    client: Client, cast: Cast, case: Case
) -> None:
    code = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case)).json()["code"]
    outsider = make_user("zoe", (Role.SPECIALIST, cast.other_agency))
    for user in [outsider, cast.henry, cast.oscar]:
        client.force_login(user)
        assert client.get(f"/api/v1/dossiers/{code}/").status_code == 404, user.username
        assert client.get("/api/v1/dossiers/").json()["results"] == [], user.username
        response = _post(client, user, f"/api/v1/dossiers/{code}/actions/forward/", {})
        assert response.status_code == 404, user.username
    client.logout()
    assert client.get("/api/v1/dossiers/").status_code in {401, 403}
    response = client.post(f"/api/v1/dossiers/{code}/actions/forward/", {})
    assert response.status_code in {401, 403}
    # The reform officer reads everything, acts on nothing.
    client.force_login(cast.frank)
    assert client.get(f"/api/v1/dossiers/{code}/").status_code == 200
    assert (
        _post(client, cast.frank, f"/api/v1/dossiers/{code}/actions/forward/", {}).status_code
        == 403
    )


def test_a_stale_revision_answers_409(client: Client, cast: Cast, case: Case) -> None:
    body = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case)).json()
    code, seen = body["code"], body["revision"]
    _act(client, cast.alice, code, "forward", {"revision": seen})
    response = _post(
        client, cast.bob, f"/api/v1/dossiers/{code}/actions/request_supplement/",
        {"items": ["x"], "revision": seen},
    )  # fmt: skip
    assert response.status_code == 409


def test_bad_payloads_answer_400_field_by_field(client: Client, cast: Cast, case: Case) -> None:
    data = _intake(case)
    data["checklist"] = []
    response = _post(client, cast.alice, "/api/v1/dossiers/receive/", data)
    assert response.status_code == 400
    assert "Mẫu số 02" in str(response.json())  # the API answers in Vietnamese by default
    code = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case)).json()["code"]
    _act(client, cast.alice, code, "forward", {})
    response = _post(client, cast.bob, f"/api/v1/dossiers/{code}/actions/transfer/", {})
    assert response.status_code == 400
    assert field_problems(response)["to_agency"] == ["required"]
    assert {"to_agency", "allowance", "reason"} <= set(field_problems(response))

    assert _post(client, cast.bob, f"/api/v1/dossiers/{code}/actions/fly/", {}).status_code == 404


def test_lists_filter_and_stay_within_a_fixed_number_of_queries(
    client: Client, cast: Cast, case: Case
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case))
    client.force_login(cast.alice)
    assert len(client.get("/api/v1/dossiers/", {"status": "2"}).json()["results"]) == 3
    assert len(client.get("/api/v1/dossiers/", {"status": "4"}).json()["results"]) == 0
    assert len(client.get("/api/v1/dossiers/", {"q": "087090001234"}).json()["results"]) == 3
    assert len(client.get("/api/v1/dossiers/", {"overdue": "true"}).json()["results"]) == 0
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/dossiers/").status_code == 200
    few = len(ctx.captured_queries)
    for _ in range(5):
        _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case))
    client.force_login(cast.alice)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/dossiers/").status_code == 200
    assert len(ctx.captured_queries) == few


def test_forms_and_the_ledger_are_served_under_the_api(
    client: Client, cast: Cast, case: Case
) -> None:
    code = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case)).json()["code"]
    client.force_login(cast.alice)
    response = client.get(f"/api/v1/dossiers/{code}/forms/1.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/dossiers/{code}/forms/4.pdf").status_code == 404
    client.force_login(cast.oscar)
    assert client.get(f"/api/v1/dossiers/{code}/forms/1.pdf").status_code == 404
    client.force_login(cast.frank)
    ledger = client.get(
        "/api/v1/ledger.xlsx", {"field": "HKD", "start": "2025-01-01", "end": "2027-12-31"}
    )
    assert ledger.status_code == 200, ledger.content
    assert ledger.content.startswith(b"PK")


def test_intake_endpoints_check_who_may_create(client: Client, cast: Cast, case: Case) -> None:
    """Only the desk of the agency receives or refuses; only citizens submit; anonymous
    users get nothing."""
    for user in [cast.bob, cast.carol, cast.frank, cast.henry, cast.oscar, cast.ivan]:
        response = _post(client, user, "/api/v1/dossiers/receive/", _intake(case))
        assert response.status_code == 403, user.username
    refusal = {**_intake(case), "reasons": ["Không thuộc thẩm quyền"]}
    assert _post(client, cast.bob, "/api/v1/dossiers/refuse/", refusal).status_code == 403
    assert _post(client, cast.alice, "/api/v1/dossiers/refuse/", refusal).status_code == 201
    for user in [cast.alice, cast.oscar]:
        response = _post(client, user, "/api/v1/dossiers/submit/", _intake(case, "online"))
        assert response.status_code == 403, user.username
    client.logout()
    assert client.post("/api/v1/dossiers/receive/", _intake(case)).status_code in {401, 403}


def test_forms_accept_the_apis_basic_authentication(client: Client, cast: Cast, case: Case) -> None:
    import base64

    code = _post(client, cast.alice, "/api/v1/dossiers/receive/", _intake(case)).json()["code"]
    client.logout()
    token = base64.b64encode(b"alice:correct horse battery staple").decode()
    response = client.get(
        f"/api/v1/dossiers/{code}/forms/1.pdf", HTTP_AUTHORIZATION=f"Basic {token}"
    )
    assert response.status_code == 200
    assert client.get(f"/api/v1/dossiers/{code}/forms/1.pdf").status_code == 404
