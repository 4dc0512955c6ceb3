"""Plans and tasks (issue 16, item 1): who may write, the events, numbering, progress with
evidence, the overdue scan and the plan-versus-done table."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.errors import Refusal, Refused
from motcua.reform import queries, services
from motcua.reform.models import Area, ReformAction, ReformEvent, TaskStatus
from motcua.reform.scanner import scan_reform
from motcua.reform.tests.factories import felix, fiona, province_plan, task
from motcua.testing import Cast, aware


def test_the_reform_office_records_the_province_plan_with_an_event(cast: Cast) -> None:
    plan = province_plan(cast)
    assert (plan.year, plan.agency, plan.decision_number) == (2026, None, "12/QĐ-UBND-2026")
    event = ReformEvent.objects.get(subject=f"plan:{plan.pk}")
    assert (event.action, event.actor) == (ReformAction.PLAN_CREATED, cast.frank)


@pytest.mark.parametrize("who", ["fiona", "alice", "oscar"])
def test_only_the_reform_office_writes_the_province_plan(cast: Cast, who: str) -> None:
    user = fiona(cast) if who == "fiona" else getattr(cast, who)
    with pytest.raises(Refused) as caught:
        services.create_plan(
            actor=user,
            year=2026,
            agency=None,
            title="KH",
            decision_number="1/QĐ",
            decision_date=dt.date(2026, 1, 5),
            signer="Chủ tịch",
        )
    assert caught.value.code == "not_reform_office"
    assert not ReformEvent.objects.exists()


def test_a_focal_point_writes_its_own_agency_plan_not_another(cast: Cast) -> None:
    values = {
        "year": 2026,
        "title": "KH CCHC",
        "decision_number": "5/QĐ-STP",
        "decision_date": dt.date(2026, 1, 10),
        "signer": "Giám đốc",
    }
    own = services.create_plan(actor=fiona(cast), agency=cast.agency, **values)  # type: ignore[arg-type]
    assert own.agency == cast.agency
    with pytest.raises(Refused) as caught:
        services.create_plan(actor=fiona(cast), agency=cast.other_agency, **values)  # type: ignore[arg-type]
    assert caught.value.code == "not_agency_focal_point"


def test_a_second_plan_for_the_same_year_is_refused(cast: Cast) -> None:
    province_plan(cast)
    with pytest.raises(Refusal) as caught:
        province_plan(cast)
    assert caught.value.code == "plan_exists"


def test_tasks_are_numbered_in_order_with_their_coordinating_agencies(cast: Cast) -> None:
    plan = province_plan(cast)
    first, second = task(cast, plan), task(cast, plan, area=Area.DIGITAL)
    assert (first.number, second.number) == (1, 2)
    assert list(first.coordinating_agencies.all()) == [cast.other_agency]
    assert ReformEvent.objects.filter(action=ReformAction.TASK_ADDED).count() == 2


def test_the_lead_agency_reports_progress_with_evidence_and_100_percent_is_done(
    cast: Cast,
) -> None:
    plan = province_plan(cast)
    t = task(cast, plan)
    evidence = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 evidence", "application/pdf")
    report = services.report_progress(
        t, actor=fiona(cast), progress=50, note="Đã rà soát 20 thủ tục", evidence=evidence
    )
    assert str(report.evidence.name).endswith(".pdf") and report.evidence.read().startswith(b"%PDF")
    t.refresh_from_db()
    assert (t.status, t.progress) == (TaskStatus.IN_PROGRESS, 50)
    services.report_progress(
        t, actor=fiona(cast), progress=100, note="Hoàn thành", now=aware("2026-05-04T09:00")
    )
    t.refresh_from_db()
    assert (t.status, t.done_on) == (TaskStatus.DONE, dt.date(2026, 5, 4))
    with pytest.raises(Refusal) as caught:
        services.report_progress(t, actor=fiona(cast), progress=100, note="Lại")
    assert caught.value.code == "task_closed"
    events = ReformEvent.objects.filter(action=ReformAction.PROGRESS_REPORTED).order_by("pk")
    assert [e.new["progress"] for e in events] == [50, 100]


@pytest.mark.parametrize("who", ["felix", "bob"])
def test_another_agency_cannot_report_on_the_task(cast: Cast, who: str) -> None:
    t = task(cast, province_plan(cast))
    user = felix(cast) if who == "felix" else cast.bob
    with pytest.raises(Refused) as caught:
        services.report_progress(t, actor=user, progress=10, note="x")
    assert caught.value.code == "not_task_lead"


def test_the_scan_flags_an_overdue_task_once_and_done_lifts_it(cast: Cast) -> None:
    plan = province_plan(cast)
    late = task(cast, plan, deadline=dt.date(2026, 3, 31))
    task(cast, plan, deadline=dt.date(2026, 12, 31))
    result = scan_reform(aware("2026-04-01T00:15"))
    assert result.overdue_tasks == 1
    late.refresh_from_db()
    assert late.overdue_since == dt.date(2026, 4, 1)
    assert scan_reform(aware("2026-04-02T00:15")).overdue_tasks == 0
    assert ReformEvent.objects.filter(action=ReformAction.TASK_OVERDUE).count() == 1
    services.report_progress(late, actor=fiona(cast), progress=100, note="Xong")
    late.refresh_from_db()
    assert late.overdue_since is None


def test_the_plan_versus_done_table_counts_per_area_like_the_seeds(cast: Cast) -> None:
    """18 tasks, 16 done, 2 in progress (seed 000's plan)."""
    plan = province_plan(cast)
    areas = [Area.PROCEDURES] * 10 + [Area.DIGITAL] * 8
    tasks = [task(cast, plan, area=a, deadline=dt.date(2026, 11, 30)) for a in areas]
    for t in tasks[:16]:
        services.report_progress(t, actor=cast.frank, progress=100, note="Hoàn thành")
    for t in tasks[16:]:
        services.report_progress(t, actor=cast.frank, progress=60, note="Đang làm")
    table = queries.plan_table(plan, dt.date(2026, 12, 14))
    assert table.total.summary == "18 tasks, 16 done, 2 in progress"
    by_area = {
        row.area: (row.planned, row.done, row.in_progress, row.overdue) for row in table.rows
    }
    assert by_area == {Area.PROCEDURES: (10, 10, 0, 0), Area.DIGITAL: (8, 6, 2, 2)}


def test_a_focal_point_sees_the_province_plan_and_its_own_only(cast: Cast) -> None:
    values = {
        "year": 2026,
        "title": "KH",
        "decision_number": "5/QĐ",
        "decision_date": dt.date(2026, 1, 10),
        "signer": "GĐ",
    }
    province = province_plan(cast)
    own = services.create_plan(actor=cast.frank, agency=cast.agency, **values)  # type: ignore[arg-type]
    other = services.create_plan(actor=cast.frank, agency=cast.other_agency, **values)  # type: ignore[arg-type]
    assert set(queries.visible_plans(fiona(cast))) == {province, own}
    assert set(queries.visible_plans(cast.frank)) == {province, own, other}
    assert list(queries.visible_plans(cast.bob)) == []
