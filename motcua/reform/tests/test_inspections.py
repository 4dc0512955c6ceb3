"""Inspections (issue 16, item 3): the 30% coverage warning, the checklist, findings, the
remediation report due in 30 working days on the unit's calendar, the late flag, closing."""

import datetime as dt

import pytest

from motcua.accounts.models import AgencyKind, User
from motcua.errors import Refusal, Refused
from motcua.reform import inspections
from motcua.reform.inspection_models import Inspection, InspectionPlan, InspectionStatus, ItemResult
from motcua.reform.models import ReformAction, ReformEvent
from motcua.reform.scanner import scan_reform
from motcua.reform.tests.factories import felix, fiona
from motcua.testing import Cast, aware, make_agency


def plan(cast: Cast, units: int = 12) -> InspectionPlan:
    return inspections.create_inspection_plan(
        actor=cast.frank,
        year=2026,
        decision_number="45/KH-SNV",
        decision_date=dt.date(2026, 2, 1),
        signer="Giám đốc Sở Nội vụ",
        units_total=units,
    )


def test_coverage_warns_below_30_percent_of_units(cast: Cast) -> None:
    """4 of 12 units (seed 001) is enough; 3 of 12 is not."""
    p = plan(cast)
    team = inspections.form_team(p, actor=cast.frank, name="Đoàn 1", leader="Phó Giám đốc Sở")
    units = [
        make_agency(f"H56.{30 + i}", f"UBND xã {i}", AgencyKind.COMMUNE_PEOPLES_COMMITTEE)
        for i in range(4)
    ]
    for unit in units[:3]:
        inspections.schedule_inspection(
            p, actor=cast.frank, team=team, agency=unit, scheduled_on=dt.date(2026, 5, 5)
        )
    assert inspections.coverage(p).too_low
    inspections.schedule_inspection(
        p, actor=cast.frank, team=team, agency=units[3], scheduled_on=dt.date(2026, 5, 6)
    )
    cover = inspections.coverage(p)
    assert (cover.units, cover.total, str(cover.percent), cover.too_low) == (4, 12, "33.3", False)


def test_only_the_office_plans_inspections(cast: Cast) -> None:
    with pytest.raises(Refused) as caught:
        inspections.create_inspection_plan(
            actor=fiona(cast),
            year=2026,
            decision_number="1",
            decision_date=dt.date(2026, 1, 1),
            signer="x",
            units_total=3,
        )
    assert caught.value.code == "not_reform_office"


def test_the_remediation_report_is_due_30_working_days_after_the_inspection(cast: Cast) -> None:
    """Inspected on Friday 22 May 2026: 30 working days from Monday 25 May, no holiday in
    between, end on Friday 3 July 2026."""
    assert inspections.remediation_due(cast.agency, dt.date(2026, 5, 22)) == dt.date(2026, 7, 3)
    # Across the National Day holiday (1-2 September 2026) it falls due two working days
    # later than the 2 October that counting weekdays alone would give.
    assert inspections.remediation_due(cast.agency, dt.date(2026, 8, 21)) == dt.date(2026, 10, 6)


def _inspected(cast: Cast, on: dt.date = dt.date(2026, 5, 22)) -> Inspection:
    p = plan(cast)
    team = inspections.form_team(p, actor=cast.frank, name="Đoàn 1", leader="Phó GĐ")
    inspection = inspections.schedule_inspection(
        p, actor=cast.frank, team=team, agency=cast.agency, scheduled_on=on
    )
    assert inspection.items.count() == 7
    return inspections.record_findings(
        inspection,
        actor=cast.frank,
        inspected_on=on,
        findings="Chưa niêm yết đầy đủ thủ tục",
        recommendations="Niêm yết đủ trong 15 ngày",
        results={1: (ItemResult.COMPLIANT, ""), 2: (ItemResult.NONCOMPLIANT, "Thiếu 5 TTHC")},
        now=aware("2026-05-22T16:00"),
    )


def test_findings_set_the_due_date_and_a_late_report_is_flagged_once(cast: Cast) -> None:
    inspection = _inspected(cast)
    assert inspection.status == InspectionStatus.REMEDIATING
    assert inspection.remediation_due_on == dt.date(2026, 7, 3)
    assert inspection.items.get(number=2).result == ItemResult.NONCOMPLIANT
    assert scan_reform(aware("2026-07-03T23:00")).late_remediations == 0
    assert scan_reform(aware("2026-07-04T00:15")).late_remediations == 1
    assert scan_reform(aware("2026-07-05T00:15")).late_remediations == 0
    inspection.refresh_from_db()
    assert inspection.remediation_late_since == dt.date(2026, 7, 4)
    inspections.report_remediation(
        inspection, actor=fiona(cast), report="Đã niêm yết đủ", now=aware("2026-07-06T09:00")
    )
    assert inspection.status == InspectionStatus.REMEDIATED
    event = ReformEvent.objects.get(action=ReformAction.REMEDIATION_REPORTED)
    assert event.new == {"status": "remediated", "late": True}
    inspections.close_inspection(inspection, actor=cast.frank)
    assert inspection.status == InspectionStatus.CLOSED


@pytest.mark.parametrize("who", ["felix", "carol"])
def test_only_the_unit_or_the_office_sends_the_remediation_report(cast: Cast, who: str) -> None:
    inspection = _inspected(cast)
    user: User = felix(cast) if who == "felix" else cast.carol
    with pytest.raises(Refused) as caught:
        inspections.report_remediation(inspection, actor=user, report="x")
    assert caught.value.code == "not_agency_focal_point"


def test_a_unit_is_inspected_once_per_plan_and_closing_needs_the_report(cast: Cast) -> None:
    inspection = _inspected(cast)
    with pytest.raises(Refusal) as caught:
        inspections.schedule_inspection(
            inspection.plan,
            actor=cast.frank,
            team=inspection.team,
            agency=cast.agency,
            scheduled_on=dt.date(2026, 9, 1),
        )
    assert caught.value.code == "unit_already_inspected"
    with pytest.raises(Refusal) as caught:
        inspections.close_inspection(inspection, actor=cast.frank)
    assert caught.value.code == "not_remediated"
