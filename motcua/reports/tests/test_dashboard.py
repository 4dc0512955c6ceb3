"""The reports dashboard (/workspace/reports/) and the dossiers behind its numbers
(/workspace/reports/dossiers/): who may read them, over which agencies, what they cost, and that
every number links to a list of exactly that many dossiers."""

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from motcua.accounts.models import Role
from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers import services
from motcua.dossiers.tests.factories import at
from motcua.reports.behind import Period
from motcua.reports.dashboard_data import dashboard, months
from motcua.reports.tests.factories import cases, receive, sign
from motcua.reports.tests.test_behind import history, import_other_agency
from motcua.testing import Cast, make_user

URL = "/workspace/reports/"
BEHIND = "/workspace/reports/dossiers/"
PERIOD = {"from": "2026-02-15", "to": "2026-05-14"}
LINK = re.compile(r'<a href="([^"]+)" data-metric="([a-z_]+)">(\d+)</a>')
COUNT = re.compile(r'data-count="(\d+)"')


def page(client: Client, user: Any, url: str = URL, **params: str) -> Any:
    client.force_login(user)
    return client.get(url, params)


def links(body: str) -> list[tuple[str, str, int]]:
    return [(html.unescape(url), metric, int(n)) for url, metric, n in LINK.findall(body)]


def listed(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = COUNT.search(response.content.decode())
    assert found is not None, url
    return int(found.group(1))


@pytest.mark.parametrize("who", ["frank", "grace", "carol", "dave"])
def test_report_readers_open_the_dashboard(client: Client, cast: Cast, who: str) -> None:
    response = page(client, getattr(cast, who), **PERIOD)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="chart-months"' in body and "chart.umd.min.js" in body


@pytest.mark.parametrize("who", ["alice", "bob", "erin", "henry", "oscar"])
def test_others_are_refused_the_dashboard_and_the_lists(
    client: Client, cast: Cast, who: str
) -> None:
    user = getattr(cast, who)
    assert page(client, user, **PERIOD).status_code == 403
    assert page(client, user, BEHIND, metric="received", **PERIOD).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, cast: Cast) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/workspace/login/?next=/workspace/reports/")


def test_the_top_bar_links_to_the_dashboard_for_report_readers_only(
    client: Client, cast: Cast
) -> None:
    assert f'href="{URL}"' in page(client, cast.frank, **PERIOD).content.decode()
    assert f'href="{URL}"' in page(client, cast.dave, "/workspace/").content.decode()
    assert f'href="{URL}"' not in page(client, cast.alice, "/workspace/").content.decode()


def test_a_leader_sees_only_their_agencies_numbers(
    client: Client, cast: Cast, tmp_path: Path
) -> None:
    """dave leads H56.22: H56.23's overdue dossier is not on his dashboard, and its list is a
    404 even with the address typed; frank (no agency) sees both."""
    case = cases(cast)[0]
    receive(cast, case, at("2026-03-02T09:00"))
    import_other_agency(tmp_path)
    mine = page(client, cast.dave, **PERIOD).content.decode()
    assert "H56.23" not in mine
    everyone = page(client, cast.frank, **PERIOD).content.decode()
    assert "H56.23" in everyone
    other = {"metric": "pending_overdue", "key": "agency:H56.23", **PERIOD}
    assert page(client, cast.dave, BEHIND, **other).status_code == 404
    assert page(client, cast.frank, BEHIND, **other).status_code == 200
    assert page(client, cast.dave, BEHIND, **{**other, "key": "agency:NOPE"}).status_code == 404
    # Without a key, dave's list holds only H56.22's dossiers.
    assert listed(client, f"{BEHIND}?metric=received&from=2026-02-15&to=2026-05-14") == 1
    client.force_login(cast.frank)
    assert listed(client, f"{BEHIND}?metric=received&from=2026-02-15&to=2026-05-14") == 4


def test_a_reform_officer_of_an_agency_reads_it_and_below_without_an_officer_role(
    client: Client, cast: Cast, tmp_path: Path
) -> None:
    receive(cast, cases(cast)[0], at("2026-03-02T09:00"))
    import_other_agency(tmp_path)
    rita = make_user("rita", (Role.REFORM_OFFICER, cast.other_agency))
    body = page(client, rita, **PERIOD).content.decode()
    assert "H56.23" in body and "H56.22" not in body


@pytest.mark.parametrize("seed", [3, 8])
def test_every_number_links_to_a_list_of_that_many_dossiers(
    client: Client, cast: Cast, seed: int, tmp_path: Path
) -> None:
    history(cast, seed)
    import_other_agency(tmp_path)
    body = page(client, cast.frank, **PERIOD).content.decode()
    found = links(body)
    metrics = {metric for _url, metric, n in found if n}
    assert metrics >= {
        "resolved",
        "resolved_in_time",
        "resolved_late",
        "pending_overdue",
        "received",
        "steps_handed_over",
        "steps_late",
        "apologies",
    }
    for url, _metric, number in found:
        assert listed(client, url) == number, url


def test_the_dashboards_numbers_are_those_of_the_processing_report(cast: Cast) -> None:
    """Three dossiers in March: one signed on time, one signed late (with an apology), one
    still open and overdue at the end of the month; one of them online."""
    case = cases(cast)[0]
    on_time = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, on_time, at("2026-03-04T15:00"))
    late = receive(cast, case, at("2026-03-03T09:00"), channel="online")
    services.extend(late, actor=cast.dave, reason="Chờ xác minh", now=at("2026-03-09T10:00"),
                    new_return_at=at("2026-03-20T10:00"))  # fmt: skip
    sign(cast, late, at("2026-03-16T15:00"))
    receive(cast, case, at("2026-03-04T09:00"))
    board = dashboard(Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)), None)
    assert [(m.month.label, m.resolved, m.in_time, m.late) for m in board.months] == [
        ("03/2026", 1, 1, 0),
        ("04/2026", 1, 0, 1),
    ]
    assert board.rate is not None and float(board.rate) == 50.0
    assert [(r.code, r.overdue) for r in board.overdue] == [("H56.22", 1)]
    assert [(r.code, r.resolved, r.late) for r in board.procedures] == [("2.000720", 2, 1)]
    assert [(c.channel, c.received) for c in board.channels] == [
        ("online", 1),
        ("in_person", 2),
        ("post", 0),
    ]
    assert [(a.month.label, a.code, a.dossiers) for a in board.apologies] == [
        ("03/2026", "H56.22", 1)
    ]
    assert board.steps and all(s.agency_code == "H56.22" for s in board.steps)


def test_the_reporting_months_follow_the_windows_cut_off() -> None:
    period = Period(dt.date(2026, 2, 20), dt.date(2026, 4, 20))
    assert [(m.label, m.period.start.isoformat(), m.period.end.isoformat())
            for m in months(period)] == [
        ("03/2026", "2026-02-20", "2026-03-14"),
        ("04/2026", "2026-03-15", "2026-04-14"),
        ("05/2026", "2026-04-15", "2026-04-20"),
    ]  # fmt: skip
    december = Period(dt.date(2025, 12, 10), dt.date(2025, 12, 20))
    assert [m.label for m in months(december)] == ["12/2025", "01/2026"]
    with override_settings(REPORT_WINDOWS={"cutoff_day": 1}):
        assert [(m.label, m.period.end.day) for m in months(period)] == [
            ("02/2026", 28),
            ("03/2026", 31),
            ("04/2026", 20),
        ]


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_number_of_queries_does_not_depend_on_the_number_of_dossiers(
    client: Client, cast: Cast
) -> None:
    case = cases(cast)[0]
    client.force_login(cast.frank)
    url = f"{URL}?from=2026-02-15&to=2026-05-14"
    behind = f"{BEHIND}?metric=received&from=2026-02-15&to=2026-05-14"

    def add(count: int, day: int) -> None:
        for i in range(count):
            d = receive(cast, case, at(f"2026-03-{day:02d}T09:{i:02d}"))
            services.forward(d, actor=cast.alice, now=at(f"2026-03-{day + 3:02d}T09:00"))
            late = at(f"2026-03-{day + 9:02d}T09:00")
            services.extend(
                d, actor=cast.dave, reason="Chậm", now=late, new_return_at=at("2026-04-20T09:00")
            )

    add(2, 2)
    few, few_list = _queries(client, url), _queries(client, behind)
    add(10, 5)
    assert _queries(client, url) == few
    assert _queries(client, behind) == few_list
    assert few <= 20


def test_a_reporting_window_stands_for_its_dates(client: Client, cast: Cast) -> None:
    body = page(client, cast.frank, window="monthly", year="2026", number="3").content.decode()
    assert "15/02/2026 – 14/03/2026" in body


def test_a_bad_period_is_shown_next_to_the_field_with_what_was_typed(
    client: Client, cast: Cast
) -> None:
    response = page(client, cast.frank, **{"from": "2026-03-10", "to": "2026-03-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="2026-03-10"' in body and 'value="2026-03-01"' in body
    assert 'class="field has-error"' in body and "field-error" in body
    assert page(client, cast.frank, window="monthly").status_code == 400
    assert page(client, cast.frank, BEHIND, metric="received", to="x").status_code == 400
    assert page(client, cast.frank, BEHIND, metric="nothing", **PERIOD).status_code == 404


def test_without_parameters_the_dashboard_shows_the_annual_window_so_far(
    client: Client, cast: Cast
) -> None:
    response = page(client, cast.frank)
    assert response.status_code == 200
    period = response.context["period"]
    assert period.end - period.start < dt.timedelta(days=366)


def test_the_list_is_paginated(client: Client, cast: Cast) -> None:
    case = cases(cast)[0]
    for i in range(53):
        receive(cast, case, at(f"2026-03-{2 + i % 20:02d}T{8 + i // 20:02d}:{i % 60:02d}"))
    client.force_login(cast.frank)
    url = f"{BEHIND}?metric=received&from=2026-03-01&to=2026-03-31"
    first = client.get(url).content.decode()
    assert 'data-count="53"' in first and first.count("data-dossier=") == 50
    second = client.get(url + "&page=2").content.decode()
    assert second.count("data-dossier=") == 3


def test_the_top_bar_asks_exactly_the_report_permission_in_one_query(
    cast: Cast, django_assert_num_queries: Any
) -> None:
    """``may_read_reports`` answers as ``can_read_reports`` for every role, with one query."""
    from django.test import RequestFactory

    from motcua.accounts.permissions import can_read_reports
    from motcua.reports.templatetags.report_links import may_read_reports

    names = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "henry", "ivan", "oscar")
    users = [getattr(cast, name) for name in names]
    users.append(make_user("rita", (Role.REFORM_OFFICER, cast.other_agency)))
    users.append(make_user("root", is_superuser=True))
    users.append(make_user("gone", (Role.REFORM_OFFICER, None), is_active=False))
    for user in users:
        request = RequestFactory().get("/")
        request.user = user
        with django_assert_num_queries(0 if user.is_superuser or not user.is_active else 1):
            shown = may_read_reports({"request": request})
        assert shown == can_read_reports(user), user.username
    assert [u.username for u in users if can_read_reports(u)] == [
        "carol", "dave", "frank", "grace", "rita", "root"
    ]  # fmt: skip


def test_withdrawals_have_their_column_and_inter_agency_dossiers_their_own_dashboard(
    client: Client, cast: Cast
) -> None:
    """Issue 11: the months table shows withdrawals apart (linked to exactly them); with
    ``interagency`` every number, and every list behind it, keeps those dossiers only."""
    household, births = cases(cast)
    ProcedureVersion.objects.filter(pk=births.version_id).update(inter_agency=True)
    for case, day in ((household, "2026-03-02"), (births, "2026-03-03"), (births, "2026-03-04")):
        d = receive(cast, case, at(f"{day}T09:00"))
        services.withdraw(d, actor=cast.alice, reason="Rút", now=at(f"{day}T10:00"))
    receive(cast, births, at("2026-03-05T09:00"))
    body = page(client, cast.frank, **PERIOD).content.decode()
    assert "Rút hồ sơ" in body  # the months table's column heading
    every = links(body)
    assert sum(n for _url, metric, n in every if metric == "withdrawn") == 3
    assert sum(n for _url, metric, n in every if metric == "resolved") == 0
    linked = page(client, cast.frank, **PERIOD, interagency="true").content.decode()
    assert 'name="interagency"' in linked
    found = links(linked)
    assert sum(n for _url, metric, n in found if metric == "withdrawn") == 2
    assert sum(n for _url, metric, n in found if metric == "received") == 3
    for url, _metric, n in found:
        assert "interagency=true" in url
        assert listed(client, url) == n, url
    others = links(page(client, cast.frank, **PERIOD, interagency="false").content.decode())
    assert sum(n for _url, metric, n in others if metric == "received") == 1
