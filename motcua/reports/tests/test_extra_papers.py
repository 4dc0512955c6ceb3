"""Giấy tờ ngoài danh mục / Papers beyond the published list: counted per agency and officer for
a period from the stored demands, read by the report readers (the reform office first) through
``GET /api/v1/reports/extra-papers`` and on the reports dashboard; refused to everyone else."""

import html
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.catalogue.models import AssignmentRole, Case
from motcua.dossiers import intake, services
from motcua.dossiers.extra_papers import ExtraPaper
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import assign, at, complete_intake, household_business_case
from motcua.reports.extra_papers import extra_papers_report
from motcua.testing import Cast

API = "/api/v1/reports/extra-papers/"
DASHBOARD = "/workspace/reports/"
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}
BASIS = "Điều 87 Nghị định 01/2021/NĐ-CP"
LINK = re.compile(r'<a href="([^"]+)" data-metric="extra_papers">(\d+)</a>')
COUNT = re.compile(r'data-count="(\d+)"')


def _with_extra(case: Case, *names: str) -> intake.Intake:
    entered = complete_intake(case)
    for name in names:
        entered.checklist.append(intake.ChecklistItem(None, name=name, legal_basis=BASIS))
    return entered


@pytest.fixture
def demanded(cast: Cast) -> Dossier:
    """In March: alice asks for two extra papers at H56.22's desk and bob for one more in a
    supplement request of the same dossier; ivan asks for one at H56.23's desk. In April,
    alice asks for one more (outside the period)."""
    case = household_business_case(cast.agency)
    assign(case, cast.other_agency, AssignmentRole.RECEIVING)
    first = intake.receive_new_dossier(
        _with_extra(case, "Giấy xác nhận cư trú", "Sơ yếu lý lịch"),
        agency=cast.agency, actor=cast.alice, now=at("2026-03-10T09:00"),
    )  # fmt: skip
    services.forward(first, actor=cast.alice, to=cast.bob, now=at("2026-03-10T10:00"))
    services.request_supplement(
        first, actor=cast.bob, items=[], extra_papers=[ExtraPaper("Hợp đồng thuê nhà", BASIS)],
        now=at("2026-03-11T09:00"),
    )  # fmt: skip
    intake.receive_new_dossier(
        _with_extra(case, "Giấy khám sức khỏe"),
        agency=cast.other_agency, actor=cast.ivan, now=at("2026-03-12T09:00"),
    )  # fmt: skip
    intake.receive_new_dossier(
        _with_extra(case, "Ảnh 4x6"),
        agency=cast.agency, actor=cast.alice, now=at("2026-04-02T09:00"),
    )  # fmt: skip
    return first


def _get(client: Client, user: Any, url: str = API, **params: str) -> Any:
    client.force_login(user)
    return client.get(url, params or PERIOD)


def _rows(body: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    return [(r["agency"], r["officer"], r["papers"], r["dossiers"]) for r in body["rows"]]


def test_the_report_counts_papers_per_agency_and_officer_in_the_period(
    cast: Cast, demanded: Dossier
) -> None:
    demanded.refresh_from_db()
    assert demanded.extra_papers == 3  # two at the desk, one in the supplement request
    report = extra_papers_report(at("2026-03-01T00:00").date(), at("2026-03-31T00:00").date(),
                                 agency_ids=None)  # fmt: skip
    rows = [(r.agency_code, r.officer, r.papers, r.dossiers) for r in report.rows]
    assert rows == [("H56.22", "alice", 2, 1), ("H56.22", "bob", 1, 1), ("H56.23", "ivan", 1, 1)]
    assert report.papers == 4


def test_the_reform_officer_reads_every_agency_through_the_api(
    client: Client, cast: Cast, demanded: Dossier
) -> None:
    response = _get(client, cast.frank)
    assert response.status_code == 200
    body = response.json()
    assert _rows(body) == [("H56.22", "alice", 2, 1), ("H56.22", "bob", 1, 1),
                           ("H56.23", "ivan", 1, 1)]  # fmt: skip
    assert body["papers"] == 4 and body["from"] == "2026-03-01"
    april = _get(client, cast.frank, **{"from": "2026-04-01", "to": "2026-04-30"}).json()
    assert _rows(april) == [("H56.22", "alice", 1, 1)]


def test_a_leader_reads_only_their_agency(client: Client, cast: Cast, demanded: Dossier) -> None:
    body = _get(client, cast.dave).json()
    assert {r["agency"] for r in body["rows"]} == {"H56.22"}


@pytest.mark.parametrize("who", ["alice", "bob", "erin", "henry", "oscar"])
def test_others_may_not_read_the_report(client: Client, cast: Cast, who: str) -> None:
    user = getattr(cast, who)
    assert _get(client, user).status_code == 403
    assert _get(client, user, DASHBOARD).status_code == 403


def test_an_anonymous_caller_is_refused(client: Client, cast: Cast) -> None:
    assert client.get(API, PERIOD).status_code in (401, 403)


def test_bad_periods_are_refused(client: Client, cast: Cast) -> None:
    assert _get(client, cast.frank, **{"from": "2026-03-31", "to": "2026-03-01"}).status_code == 400
    assert _get(client, cast.frank, **{"from": "2026-03-01"}).status_code == 400


def test_the_report_reads_one_query_however_many_demands(cast: Cast, demanded: Dossier) -> None:
    start, end = at("2026-01-01T00:00").date(), at("2026-12-31T00:00").date()
    with CaptureQueriesContext(connection) as queries:
        extra_papers_report(start, end, agency_ids={cast.agency.pk})
    assert len(queries) == 1


def test_the_dashboard_shows_the_table_to_the_reform_officer(
    client: Client, cast: Cast, demanded: Dossier
) -> None:
    response = _get(client, cast.frank, DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-table="extra-papers"' in body
    assert "Ivan" in body and "Alice" in body


def test_each_dossier_count_links_to_that_many_dossiers(
    client: Client, cast: Cast, demanded: Dossier
) -> None:
    """The dashboard's dossier counts link to the list of the dossiers behind them (per
    agency and officer), within the reader's scope."""
    body = _get(client, cast.frank, DASHBOARD).content.decode()
    found = [(html.unescape(url), int(n)) for url, n in LINK.findall(body)]
    assert sorted(n for _, n in found) == [1, 1, 1]
    for url, n in found:
        page = client.get(url)
        assert page.status_code == 200, url
        listed = COUNT.search(page.content.decode())
        assert listed is not None and int(listed.group(1)) == n, url
    bob = next(url for url, _ in found if "bob" in url)
    assert demanded.code in client.get(bob).content.decode()
    other = "/workspace/reports/dossiers/?metric=extra_papers&key=officer%3AH56.23%7Civan"
    assert _get(client, cast.dave, other, **PERIOD).status_code == 404  # outside dave's scope
