"""The calendar API: public reads and the due-date question."""

from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from motcua.testing import Cast, field_problems
from motcua.workdays.services import add_override
from motcua.workdays.tests.factories import day, provincial

pytestmark = pytest.mark.django_db

DUE = "/api/v1/calendars/VN/due/"


def test_anyone_may_ask_when_something_is_due(client: Client) -> None:
    """Anonymous GET returns the same JSON as the command."""
    response = client.get(DUE, {"start": "2026-02-13T09:00", "amount": "5", "unit": "working_days"})
    assert response.status_code == 200
    body = response.json()
    assert body["due_at"] == "2026-02-27T09:00:00+07:00"
    assert body["effective_start"] == "2026-02-13T09:00:00+07:00"
    assert body["calendar"] == "VN"
    skipped = [item for item in body["explanation"] if item["kind"] == "skipped"]
    assert [item["date"] for item in skipped][:3] == ["2026-02-14", "2026-02-15", "2026-02-16"]
    assert skipped[2]["reason_vi"] == "Nghỉ lễ, Tết: Giao thừa Tết Nguyên Đán"


def test_half_days_and_calendar_days_work_through_the_api(client: Client) -> None:
    """0.5 working day and calendar days landing on a Saturday."""
    half = client.get(DUE, {"start": "2026-03-02T07:00", "amount": "0.5", "unit": "working_days"})
    assert half.json()["due_at"] == "2026-03-02T11:00:00+07:00"
    sat = client.get(DUE, {"start": "2026-03-02T09:00", "amount": "5", "unit": "calendar_days"})
    assert sat.json()["due_at"] == "2026-03-09T07:00:00+07:00"
    assert sat.json()["explanation"][0]["kind"] == "moved"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"amount": "5", "unit": "working_days"}, "start"),
        ({"start": "yesterday", "amount": "5", "unit": "working_days"}, "start"),
        ({"start": "2026-02-13T09:00", "amount": "-1", "unit": "working_days"}, "amount"),
        ({"start": "2026-02-13T09:00", "amount": "100000", "unit": "working_days"}, "amount"),
        ({"start": "2026-02-13T09:00", "amount": "5", "unit": "fortnights"}, "unit"),
    ],
)
def test_bad_questions_get_a_400_naming_the_field(
    client: Client, params: dict[str, str], field: str
) -> None:
    """Missing or malformed start, negative or huge amount, unknown unit."""
    response = client.get(DUE, params)
    assert response.status_code == 400
    assert field in field_problems(response)


def test_an_unknown_calendar_is_404(client: Client) -> None:
    """No such calendar code."""
    response = client.get(
        "/api/v1/calendars/NOPE/due/", {"start": "2026-02-13T09:00", "amount": "1"}
    )
    assert response.status_code == 404


def test_calendars_are_listed_with_sessions_cut_off_and_overrides(client: Client) -> None:
    """The list and the detail show what the clock counts with."""
    hni = provincial("HNI")
    add_override(
        hni, actor=None, date=day("2026-03-04"), kind="day_off", reason="Lễ hội", legal_basis="CV 1"
    )
    listing = client.get("/api/v1/calendars/")
    assert listing.status_code == 200
    assert [item["code"] for item in listing.json()["results"]] == ["HNI", "VN"]
    detail = client.get("/api/v1/calendars/HNI/").json()
    assert detail == {
        "code": "HNI",
        "name": "Lịch HNI",
        "parent": "VN",
        "holiday_country": "VN",
        "time_zone": "Asia/Ho_Chi_Minh",
        "morning_start": "07:00:00",
        "morning_end": "11:30:00",
        "afternoon_start": "13:30:00",
        "afternoon_end": "17:00:00",
        "intake_cutoff": "15:00:00",
        "working_day_hours": 8.0,
        "overrides": [
            {"date": "2026-03-04", "kind": "day_off", "reason": "Lễ hội", "legal_basis": "CV 1"}
        ],
    }


def test_calendars_can_be_filtered_by_parent_and_name(client: Client) -> None:
    """The FilterSet: ?parent=VN, ?name=…"""
    provincial("HNI")
    provincial("SGN", name="Lịch Thành phố Hồ Chí Minh")
    children = client.get("/api/v1/calendars/", {"parent": "vn"}).json()["results"]
    assert [item["code"] for item in children] == ["HNI", "SGN"]
    named = client.get("/api/v1/calendars/", {"name": "Hồ Chí"}).json()["results"]
    assert [item["code"] for item in named] == ["SGN"]


def test_the_calendar_list_does_not_query_per_row(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Count, page and overrides: three queries whatever the number of calendars."""
    for code in ("A1", "A2", "A3"):
        calendar = provincial(code)
        add_override(calendar, actor=None, date=day("2026-03-04"), kind="day_off", reason="x")
    with django_assert_num_queries(3):
        assert client.get("/api/v1/calendars/").status_code == 200


def test_signed_in_users_read_the_same(client: Client, cast: Cast) -> None:
    """Reading needs no role: an outsider reads like anyone."""
    client.force_login(cast.oscar)
    assert client.get("/api/v1/calendars/VN/").status_code == 200


def test_the_api_is_read_only(client: Client, cast: Cast) -> None:
    """Even a system administrator changes calendars through the admin, not the API."""
    client.force_login(cast.grace)
    assert client.post("/api/v1/calendars/", {"code": "X", "name": "X"}).status_code == 405
    assert client.delete("/api/v1/calendars/VN/").status_code == 405


def test_the_schema_documents_the_due_query_parameters(client: Client) -> None:
    """drf-spectacular lists start, amount and unit for the due action."""
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    (path,) = [p for p in schema["paths"] if p.startswith("/api/v1/calendars/{code}/due")]
    operation = schema["paths"][path]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"code", "start", "amount", "unit"} <= names
    assert any(p.rstrip("/") == "/api/v1/calendars" for p in schema["paths"])


@pytest.mark.parametrize(
    "start", ["0001-01-01T09:00", "9999-12-31T09:00", "0001-01-01T00:00+14:00", "2101-01-01"]
)
@pytest.mark.parametrize("unit", ["working_days", "calendar_days", "working_hours"])
def test_a_start_outside_the_supported_dates_is_a_400_without_signing_in(
    client: Client, start: str, unit: str
) -> None:
    """Near year 1 or 9999 the arithmetic would overflow: refused before it starts, with the
    range in the message (anonymous, as anyone may ask)."""
    response: Any = client.get(
        DUE, {"start": start, "amount": "5", "unit": unit}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert field_problems(response) == {"start": ["date_out_of_range"]}
    assert "Dates from 2000-01-01 to 2100-12-31 are accepted" in response.json()["message"]
