"""Issue 11 item 4: the report's edge rules, each on a scenario counted by hand.

A period ending after today is judged today; a dossier whose clock is stopped for a supplement
or a payment is pending in time; a withdrawn dossier has its own column and is not graded;
inter-agency dossiers can be reported apart; the dossier's ``timeliness`` follows the same
rule as the rollups."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from motcua.catalogue.models import Case, ProcedureVersion
from motcua.dossiers import services
from motcua.dossiers.deadlines import local_date
from motcua.dossiers.queries import timeliness
from motcua.dossiers.tests.factories import at
from motcua.reports.index766 import service_index
from motcua.reports.processing import processing_report
from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def case(cast: Cast) -> Case:
    return cases(cast)[0]  # 5 working days: received Monday 2 March 09:00 → due 9 March


def test_a_period_ending_after_today_is_judged_today(cast: Cast, case: Case) -> None:
    """The yearly report run on 4 March: a dossier due 9 March is in time, not overdue."""
    receive(cast, case, at("2026-03-02T09:00"))
    early = processing_report(*YEAR, today=dt.date(2026, 3, 4)).totals
    assert (early.pending_in_time, early.pending_overdue) == (1, 0)
    late = processing_report(*YEAR, today=dt.date(2026, 3, 20)).totals
    assert (late.pending_in_time, late.pending_overdue) == (0, 1)
    # A period wholly ahead carries over what stands today, none of it overdue yet.
    ahead = processing_report(dt.date(2026, 6, 1), dt.date(2026, 6, 30), today=dt.date(2026, 3, 4))
    assert (ahead.totals.carried_over, ahead.totals.pending_in_time) == (1, 1)
    assert (ahead.start, ahead.end) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))


def test_by_default_the_report_is_judged_on_the_local_date_now(cast: Cast, case: Case) -> None:
    """Received now, due in five working days: a report to the end of next month, run now,
    does not count it as overdue (the old rule judged it at the end of the period)."""
    now = timezone.now()
    receive(cast, case, now)
    today = local_date(now)
    end = (today.replace(day=1) + dt.timedelta(days=62)).replace(day=1) - dt.timedelta(days=1)
    totals = processing_report(today.replace(day=1), end).totals
    assert (totals.pending_total, totals.pending_in_time, totals.pending_overdue) == (1, 1, 0)


def test_a_dossier_waiting_for_a_supplement_or_a_payment_is_never_overdue(
    cast: Cast, case: Case
) -> None:
    """Both due 9 March, paused on 4 March and still waiting at the end of March: pending in
    time and paused; a dossier stopped (8) the same day still falls overdue."""
    supplement = receive(cast, case, at("2026-03-02T09:00"))
    services.forward(supplement, actor=cast.alice, now=at("2026-03-03T09:00"))
    services.request_supplement(
        supplement, actor=cast.bob, items=["CCCD"], now=at("2026-03-04T09:00")
    )
    payment = receive(cast, case, at("2026-03-02T09:00"))
    services.forward(payment, actor=cast.alice, now=at("2026-03-03T09:00"))
    services.request_payment(
        payment, actor=cast.bob, amount=Decimal(2000000), reason="Tiền sử dụng đất",
        now=at("2026-03-04T09:00"),
    )  # fmt: skip
    report = processing_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    totals = report.totals
    assert (totals.pending_in_time, totals.pending_overdue, totals.pending_paused) == (2, 0, 2)
    stopped = receive(cast, case, at("2026-03-02T09:00"))
    services.stop(stopped, actor=cast.dave, reason="Có tranh chấp", now=at("2026-03-04T09:00"))
    totals = processing_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31)).totals
    assert (totals.pending_in_time, totals.pending_overdue, totals.pending_paused) == (2, 1, 3)
    for group_by in ("agency", "field", "level", "channel", "procedure"):
        assert processing_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31), group_by).totals == (
            totals
        )


def test_a_withdrawn_dossier_is_counted_apart_and_never_graded(cast: Cast, case: Case) -> None:
    """Withdrawn after its due date: not late, in ``withdrawn``; the totals add up."""
    kept = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, kept, at("2026-03-05T10:00"))
    gone = receive(cast, case, at("2026-03-02T09:00"))
    services.withdraw(gone, actor=cast.alice, reason="Đơn xin rút", now=at("2026-03-12T09:00"))
    receive(cast, case, at("2026-03-20T09:00"))
    for group_by in ("agency", "field", "channel"):
        c = processing_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31), group_by).totals
        assert (c.resolved_early, c.resolved_late, c.resolved_total) == (1, 0, 1)
        assert (c.withdrawn, c.pending_total, c.received_total) == (1, 1, 3)
        assert c.received_total == c.resolved_total + c.withdrawn + c.pending_total
        assert c.on_time_rate == Decimal("100.00")
        assert c.as_dict()["withdrawn"] == 1
    # Withdrawn before the period: not carried over.
    april = processing_report(dt.date(2026, 4, 1), dt.date(2026, 4, 30)).totals
    assert (april.carried_over, april.withdrawn) == (1, 0)


def test_inter_agency_dossiers_are_reported_on_their_own(cast: Cast) -> None:
    household, births = cases(cast)
    ProcedureVersion.objects.filter(pk=births.version_id).update(inter_agency=True)
    receive(cast, household, at("2026-03-02T09:00"))
    receive(cast, births, at("2026-03-02T09:00"))
    receive(cast, births, at("2026-03-03T09:00"), channel="online")
    period = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    for group_by in ("agency", "level", "field", "procedure", "channel"):
        every = processing_report(*period, group_by).totals.received_total
        linked = processing_report(*period, group_by, interagency=True)
        others = processing_report(*period, group_by, interagency=False)
        assert (every, linked.totals.received_total, others.totals.received_total) == (3, 2, 1)
        assert linked.as_dict()["interagency"] is True
    fields = processing_report(*period, "field", interagency=True).rows
    assert [r.key for r in fields] == ["HT"]


def test_the_dossiers_timeliness_follows_the_reports_rule(cast: Cast, case: Case) -> None:
    """A stopped dossier is pending for the report, so in time or overdue (it used to show
    "early"); withdrawn is apart; waiting for a supplement is paused."""
    stopped = receive(cast, case, timezone.now() - dt.timedelta(days=1))
    services.stop(stopped, actor=cast.dave, reason="Có tranh chấp")
    assert timeliness(stopped) == "in_time"
    old = receive(cast, case, at("2026-03-02T09:00"))
    services.stop(old, actor=cast.dave, reason="Có tranh chấp", now=at("2026-03-04T09:00"))
    assert timeliness(old) == "overdue"
    gone = receive(cast, case, at("2026-03-02T09:00"))
    services.withdraw(gone, actor=cast.alice, reason="Đơn xin rút", now=at("2026-03-03T09:00"))
    assert timeliness(gone) == "withdrawn"
    waiting = receive(cast, case, at("2026-03-02T09:00"))
    services.forward(waiting, actor=cast.alice, now=at("2026-03-03T09:00"))
    services.request_supplement(waiting, actor=cast.bob, items=["CCCD"], now=at("2026-03-04T09:00"))
    assert timeliness(waiting) == "paused"
    done = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, done, at("2026-03-05T10:00"))
    assert timeliness(done) == "early"


def test_the_api_and_the_command_give_withdrawn_and_filter_inter_agency(
    client: Client, cast: Cast
) -> None:
    household, births = cases(cast)
    ProcedureVersion.objects.filter(pk=births.version_id).update(inter_agency=True)
    receive(cast, household, at("2026-03-02T09:00"))
    gone = receive(cast, births, at("2026-03-02T09:00"))
    services.withdraw(gone, actor=cast.alice, reason="Đơn xin rút", now=at("2026-03-03T09:00"))
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    client.force_login(cast.frank)
    every = client.get("/api/v1/reports/processing", period).json()
    assert (every["totals"]["withdrawn"], every["totals"]["received_total"]) == (1, 2)
    assert every["rows"][0]["withdrawn"] == 1 and every["interagency"] is None
    linked = client.get("/api/v1/reports/processing", {**period, "interagency": "true"}).json()
    assert (linked["totals"]["received_total"], linked["interagency"]) == (1, True)
    others = client.get("/api/v1/reports/processing", {**period, "interagency": "false"}).json()
    assert (others["totals"]["received_total"], others["totals"]["withdrawn"]) == (1, 0)
    out = StringIO()
    call_command("report", "processing", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--interagency", stdout=out)  # fmt: skip
    body = json.loads(out.getvalue())
    assert (body["totals"]["received_total"], body["totals"]["withdrawn"]) == (1, 1)


def test_the_api_and_the_dossier_page_show_a_stopped_dossier_as_the_report_counts_it(
    client: Client, cast: Cast, case: Case
) -> None:
    """Stopped on 4 March, due 9 March: pending and overdue for the report, so neither the
    API nor the page calls it "early" any more."""
    stopped = receive(cast, case, at("2026-03-02T09:00"))
    services.stop(stopped, actor=cast.dave, reason="Có tranh chấp", now=at("2026-03-04T09:00"))
    client.force_login(cast.carol)
    assert client.get(f"/api/v1/dossiers/{stopped.code}/").json()["timeliness"] == "overdue"
    totals = processing_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31)).totals
    assert (totals.pending_overdue, totals.resolved_total) == (1, 0)
    page = client.get(f"/workspace/dossiers/{stopped.code}/").content.decode()
    assert "data-timeliness" not in page


def test_the_766_progress_measure_leaves_withdrawals_out(cast: Cast, case: Case) -> None:
    """One dossier resolved early, one withdrawn after its due date: 1 of 1 graded in time."""
    done = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, done, at("2026-03-05T10:00"))
    gone = receive(cast, case, at("2026-03-02T09:00"))
    services.withdraw(gone, actor=cast.alice, reason="Đơn xin rút", now=at("2026-03-12T09:00"))
    (card,) = service_index(dt.date(2026, 3, 1), dt.date(2026, 3, 31)).agencies
    measure = card.component("in_time").measure
    assert (measure.numerator, measure.denominator) == (1, 1)
