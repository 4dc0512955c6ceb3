"""GET /api/v1/reports/processing: who may read it, over which agencies, and its errors."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Role
from motcua.catalogue.models import Case
from motcua.dossiers.legacy import DossierImport
from motcua.dossiers.tests.factories import at
from motcua.reports.processing import processing_report
from motcua.reports.tests.factories import cases, receive
from motcua.testing import Cast, field_problems, make_user

URL = "/api/v1/reports/processing"
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def case(cast: Cast, tmp_path: Any) -> Case:
    """Two dossiers at H56.22 (received live) and one at H56.23 (imported)."""
    case = cases(cast)[0]
    receive(cast, case, at("2026-03-02T09:00"))
    receive(cast, case, at("2026-03-03T09:00"), channel="online")
    path = tmp_path / "h5623.csv"
    path.write_text(
        "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status\n"
        "IMP-1,2.000720,H56.23,bcci,2026-03-04T09:00:00+07:00,2026-03-11T09:00:00+07:00,,4\n",
        encoding="utf-8",
    )
    assert DossierImport(path).run().imported == 1
    return case


def get(client: Client, user: Any | None, **params: str) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(URL, params)


def test_a_reform_officer_reads_every_agency(client: Client, cast: Cast, case: Case) -> None:
    response = get(client, cast.frank, **PERIOD, group_by="agency")
    assert response.status_code == 200
    body = response.json()
    assert body["from"] == "2026-03-01" and body["to"] == "2026-03-31"
    assert body["group_by"] == "agency"
    assert [(r["key"], r["received_total"]) for r in body["rows"]] == [
        ("H56.22", 2),
        ("H56.23", 1),
    ]
    assert body["totals"]["received_total"] == 3
    assert body["totals"]["received_online"] == 1
    assert body["totals"]["on_time_rate"] is None


def test_a_leader_reads_only_their_agencies(client: Client, cast: Cast, case: Case) -> None:
    body = get(client, cast.dave, **PERIOD).json()
    assert [r["key"] for r in body["rows"]] == ["H56.22"]
    assert body["totals"]["received_total"] == 2


def test_a_reporting_window_stands_for_its_dates(client: Client, cast: Cast, case: Case) -> None:
    body = get(client, cast.frank, window="monthly", year="2026", number="3").json()
    assert (body["from"], body["to"]) == ("2026-02-15", "2026-03-14")
    assert body["totals"]["received_total"] == 3


@pytest.mark.parametrize("who", ["alice", "bob", "henry", "oscar"])
def test_officers_without_a_reporting_role_and_citizens_are_refused(
    client: Client, cast: Cast, who: str
) -> None:
    assert get(client, getattr(cast, who), **PERIOD).status_code == 403


def test_an_anonymous_caller_must_sign_in(client: Client, cast: Cast) -> None:
    assert get(client, None, **PERIOD).status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "from"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "1/3/2026", "to": "2026-03-31"}, "from"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-03-01"}, "to"),
        ({**PERIOD, "group_by": "province"}, "group_by"),
        ({"window": "weekly", "year": "2026"}, "window"),
        ({"window": "monthly"}, "year"),
        ({"window": "quarterly", "year": "2026", "number": "5"}, "number"),
        ({**PERIOD, "window": "monthly", "year": "2026"}, ""),  # about no one field
    ],
)
def test_bad_parameters_get_a_400_naming_the_parameter(
    client: Client, cast: Cast, params: dict[str, str], field: str
) -> None:
    response = get(client, cast.frank, **params)
    assert response.status_code == 400
    assert field in field_problems(response)


def test_the_report_costs_the_same_queries_however_many_dossiers(
    client: Client, cast: Cast, case: Case
) -> None:
    client.force_login(cast.frank)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {**PERIOD, "group_by": "procedure"}).status_code == 200
        return len(captured)

    few = queries()
    for day in range(9, 13):
        receive(cast, case, at(f"2026-03-{day:02d}T09:00"))
        receive(cast, case, at(f"2026-03-{day:02d}T10:00"), channel="post")
    assert queries() == few
    assert few <= 10  # session, user, roles ×2, the report's two
    with CaptureQueriesContext(connection) as captured:
        processing_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "procedure")
    assert len(captured) == 2  # the sums; procedure codes with the versions' names


def test_the_schema_documents_the_endpoint(client: Client, cast: Cast) -> None:
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/reports/processing/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "group_by", "window", "year", "number"} <= names


def test_a_head_of_department_of_another_agency_sees_only_it(
    client: Client, cast: Cast, case: Case
) -> None:
    judy = make_user("judy", (Role.HEAD_OF_DEPARTMENT, cast.other_agency))
    body = get(client, judy, **PERIOD).json()
    assert [r["key"] for r in body["rows"]] == ["H56.23"]
    assert dt.date.fromisoformat(body["to"]) == dt.date(2026, 3, 31)
