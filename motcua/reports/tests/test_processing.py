"""The processing report's definitions on a small scenario with counts known by hand."""

import pytest

from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.tests.factories import at, complete_intake
from motcua.reports.processing import processing_report
from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast


@pytest.fixture
def case(cast: Cast) -> Case:
    return cases(cast)[0]  # 5 working days: received Monday 2 March 09:00 → due 9 March


def build(cast: Cast, case: Case) -> None:
    """Period 9–13 March 2026. Comments give each dossier's place in the report."""
    # Received and finished before the period: not in it.
    d1 = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, d1, at("2026-03-05T10:00"))
    # Carried over, resolved late (due 9 March, signed 10 March).
    d2 = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, d2, at("2026-03-10T10:00"))
    # Carried over, pending, overdue (due 10 March < 13 March).
    receive(cast, case, at("2026-03-03T09:00"))
    # Received in person in the period, resolved early.
    d4 = receive(cast, case, at("2026-03-09T08:00"))
    sign(cast, d4, at("2026-03-09T15:00"))
    services.return_result(
        d4,
        actor=cast.alice,
        method="in_person",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-09T16:00"),
    )
    # Received by post, pending in time.
    receive(cast, case, at("2026-03-10T09:00"), channel="post")
    # Received online, a supplement requested: pending, in time, paused.
    d6 = receive(cast, case, at("2026-03-10T09:00"), channel="online")
    services.forward(d6, actor=cast.alice, now=at("2026-03-10T10:00"))
    services.request_supplement(d6, actor=cast.bob, items=["CCCD"], now=at("2026-03-10T11:00"))
    # Withdrawn in the period: its own column, not graded (issue 11).
    d7 = receive(cast, case, at("2026-03-11T09:00"))
    services.withdraw(d7, actor=cast.alice, reason="Đơn xin rút", now=at("2026-03-12T09:00"))
    # Stopped: not finished for the report; pending, in time, paused.
    d8 = receive(cast, case, at("2026-03-11T09:00"))
    services.stop(d8, actor=cast.dave, reason="Có tranh chấp", now=at("2026-03-12T09:00"))
    # Received after the period, refused at the desk, and only submitted online: not counted.
    receive(cast, case, at("2026-03-16T09:00"))
    intake.refuse_at_desk(complete_intake(case), agency=cast.agency, actor=cast.alice,
                          reasons=["Sai thẩm quyền"], now=at("2026-03-10T09:00"))  # fmt: skip
    intake.submit_online(complete_intake(case, "online"), agency=cast.agency, actor=cast.henry,
                         now=at("2026-03-12T09:00"))  # fmt: skip


def test_the_report_counts_each_dossier_where_the_definitions_put_it(
    cast: Cast, case: Case
) -> None:
    build(cast, case)
    report = processing_report(at("2026-03-09T00:00").date(), at("2026-03-13T00:00").date())
    assert [r.key for r in report.rows] == ["H56.22"]
    assert report.rows[0].label == cast.agency.name
    assert report.totals.as_dict() == {
        "carried_over": 2,
        "received_online": 1,
        "received_direct_or_postal": 4,
        "received_total": 7,
        "resolved_early": 1,
        "resolved_on_time": 0,
        "resolved_late": 1,
        "resolved_total": 2,
        "withdrawn": 1,
        "pending_in_time": 3,
        "pending_overdue": 1,
        "pending_paused": 2,
        "pending_total": 4,
        "on_time_rate": 50.0,
    }
    assert report.rows[0].counts == report.totals


def test_the_report_groups_by_channel_level_field_and_procedure(cast: Cast, case: Case) -> None:
    build(cast, case)
    start, end = at("2026-03-09T00:00").date(), at("2026-03-13T00:00").date()
    by_channel = processing_report(start, end, "channel")
    assert {r.key: r.counts.received_total for r in by_channel.rows} == {
        "in_person": 5,
        "online": 1,
        "post": 1,
    }
    assert by_channel.totals == processing_report(start, end).totals
    level = processing_report(start, end, "level").rows
    assert [(r.key, r.label) for r in level] == [("province", "province")]
    assert [r.key for r in processing_report(start, end, "field").rows] == ["HKD"]
    procedure = processing_report(start, end, "procedure").rows
    assert [(r.key, r.label) for r in procedure] == [
        ("2.000720", "Đăng ký thành lập hộ kinh doanh")
    ]


def test_a_period_with_no_dossiers_has_no_rows_and_no_rate(cast: Cast, case: Case) -> None:
    build(cast, case)
    report = processing_report(at("2025-01-01T00:00").date(), at("2025-01-31T00:00").date())
    assert report.rows == []
    assert report.totals.on_time_rate is None


def test_an_unknown_grouping_or_a_reversed_period_is_refused(cast: Cast) -> None:
    day = at("2026-03-09T00:00").date()
    with pytest.raises(ValueError, match="group_by"):
        processing_report(day, day, "province")
    with pytest.raises(ValueError, match="before"):
        processing_report(day, day.replace(day=1))
