"""The reform screens under /workspace/reform/: who sees and writes what, through the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.models import User
from motcua.reform import quality, services, targets
from motcua.reform.inspection_models import Inspection, InspectionStatus, InspectionTeam
from motcua.reform.models import Plan, ReformEvent, Task, TaskStatus
from motcua.reform.tests.factories import felix, fiona, province_plan, task
from motcua.testing import Cast

BASE = "/workspace/reform/"


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "path",
    ["", "targets/", "inspections/", "quality/", "targets/H56.22/2026/"],
)
def test_officers_without_the_reform_role_are_refused(
    client: Client, cast: Cast, path: str
) -> None:
    assert signed_in(client, cast.carol).get(BASE + path).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get(BASE)
    assert response.status_code == 302 and "/workspace/login/" in response["Location"]


def test_the_office_records_a_plan_and_a_task_through_the_pages(client: Client, cast: Cast) -> None:
    office = signed_in(client, cast.frank)
    response = office.post(
        BASE + "?year=2026",
        {
            "year": "2026",
            "agency": "",
            "title": "Kế hoạch CCHC năm 2026",
            "decision_number": "12/QĐ-UBND",
            "decision_date": "2025-12-20",
            "signer": "Chủ tịch",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    response = office.post(
        f"{BASE}plans/{plan.pk}/",
        {
            "area": "procedures",
            "title": "Rà soát TTHC",
            "lead_agency": cast.agency.pk,
            "coordinating": [cast.other_agency.pk],
            "deadline": "2026-06-30",
            "expected_output": "Báo cáo",
        },
    )
    assert response.status_code == 302
    page = office.get(f"{BASE}plans/{plan.pk}/").content.decode()
    assert "Rà soát TTHC" in page and "1 nhiệm vụ, 0 hoàn thành, 1 đang thực hiện" in page


def test_a_wrong_plan_comes_back_with_the_error_and_400(client: Client, cast: Cast) -> None:
    response = signed_in(client, cast.frank).post(
        BASE,
        {
            "year": "2026",
            "agency": "",
            "title": "KH",
            "decision_number": "1",
            "decision_date": "2020-01-01",
            "signer": "x",
        },
    )
    assert response.status_code == 400
    assert "decision_date_out_of_year" in [
        e.code for e in response.context["form"].errors.as_data()["decision_date"]
    ]


def test_a_focal_point_reports_progress_with_evidence_on_its_agency_task(
    client: Client, cast: Cast
) -> None:
    t = task(cast, province_plan(cast))
    focal = signed_in(client, fiona(cast))
    evidence = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 x", "application/pdf")
    response = focal.post(
        f"{BASE}tasks/{t.pk}/", {"progress": "100", "note": "Xong", "evidence": evidence}
    )
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.status == TaskStatus.DONE
    report = t.reports.get()
    download = focal.get(f"{BASE}tasks/{t.pk}/evidence/{report.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_a_focal_point_cannot_add_tasks_to_the_province_plan_nor_report_for_another(
    client: Client, cast: Cast
) -> None:
    plan = province_plan(cast)
    t = task(cast, plan)
    other = signed_in(client, felix(cast))
    assert other.post(f"{BASE}plans/{plan.pk}/", {"area": "procedures"}).status_code == 404
    assert other.post(f"{BASE}tasks/{t.pk}/", {"progress": "5", "note": "x"}).status_code == 404
    assert Task.objects.count() == 1 and not t.reports.exists()


def test_a_focal_point_sees_only_its_own_agency_plan(client: Client, cast: Cast) -> None:
    own = services.create_plan(
        actor=cast.frank,
        year=2026,
        agency=cast.agency,
        title="KH riêng",
        decision_number="1",
        decision_date=dt.date(2026, 1, 2),
        signer="x",
    )
    other = services.create_plan(
        actor=cast.frank,
        year=2026,
        agency=cast.other_agency,
        title="KH Sở Tư pháp",
        decision_number="2",
        decision_date=dt.date(2026, 1, 2),
        signer="x",
    )
    focal = signed_in(client, fiona(cast))
    page = focal.get(BASE + "?year=2026").content.decode()
    assert "KH riêng" in page and "KH Sở Tư pháp" not in page
    assert focal.get(f"{BASE}plans/{own.pk}/").status_code == 200
    assert focal.get(f"{BASE}plans/{other.pk}/").status_code == 404


def test_targets_ranking_for_the_office_and_own_line_for_a_focal_point(
    client: Client, cast: Cast
) -> None:
    for agency, actor in ((cast.agency, fiona(cast)), (cast.other_agency, felix(cast))):
        target = targets.set_target(
            actor=cast.frank, year=2026, agency=agency, name="Lớp", threshold=Decimal(5), unit="lớp"
        )
        targets.report_target(target, actor=actor, actual=Decimal(6))
    office = signed_in(client, cast.frank).get(f"{BASE}targets/?year=2026").content.decode()
    assert "Sở Tư pháp" in office and "1/1 = 100%" in office
    focal = signed_in(Client(), fiona(cast))
    assert "Sở Tư pháp" not in focal.get(f"{BASE}targets/?year=2026").content.decode()
    assert focal.get(f"{BASE}targets/H56.23/2026/").status_code == 404
    assert focal.post(f"{BASE}targets/H56.22/2026/", {"form": "standard"}).status_code == 403


def test_a_focal_point_reports_a_target_and_the_commitment_on_the_page(
    client: Client, cast: Cast
) -> None:
    target = targets.set_target(
        actor=cast.frank,
        year=2026,
        agency=cast.agency,
        name="Lớp bồi dưỡng",
        threshold=Decimal(5),
        unit="lớp",
    )
    focal = signed_in(client, fiona(cast))
    url = f"{BASE}targets/H56.22/2026/"
    assert (
        focal.post(
            url,
            {"form": "report", "target": target.pk, "report-actual": "7", "report-note": "7 lớp"},
        ).status_code
        == 302
    )
    assert (
        focal.post(
            url,
            {
                "form": "commitment",
                "commitment-signed_on": "2026-01-15",
                "commitment-signer": "Giám đốc",
            },
        ).status_code
        == 302
    )
    page = focal.get(url).content.decode()
    assert "1/1 = 100%" in page and "Giám đốc" in page


def test_the_inspection_flow_through_the_pages_and_the_minutes_pdf(
    client: Client, cast: Cast
) -> None:
    office = signed_in(client, cast.frank)
    url = f"{BASE}inspections/?year=2026"
    assert (
        office.post(
            url,
            {
                "form": "plan",
                "plan-year": "2026",
                "plan-decision_number": "45/KH",
                "plan-decision_date": "2026-02-01",
                "plan-signer": "GĐ Sở Nội vụ",
                "plan-units_total": "12",
            },
        ).status_code
        == 302
    )
    assert (
        office.post(
            url, {"form": "team", "team-name": "Đoàn 1", "team-leader": "Phó GĐ"}
        ).status_code
        == 302
    )
    team = InspectionTeam.objects.get()
    assert (
        office.post(
            url,
            {
                "form": "schedule",
                "schedule-team": team.pk,
                "schedule-agency": cast.agency.pk,
                "schedule-scheduled_on": "2026-05-22",
            },
        ).status_code
        == 302
    )
    assert "Dưới 30% số đơn vị" in office.get(url).content.decode()
    found = Inspection.objects.get()
    assert (
        office.post(
            f"{BASE}inspections/{found.pk}/",
            {
                "form": "findings",
                "findings-inspected_on": "2026-05-22",
                "findings-findings": "Chưa niêm yết đủ",
                "findings-recommendations": "Niêm yết",
                "findings-result_1": "compliant",
                "findings-result_2": "noncompliant",
            },
        ).status_code
        == 302
    )
    found.refresh_from_db()
    assert found.remediation_due_on == dt.date(2026, 7, 3)
    pdf = office.get(f"{BASE}inspections/{found.pk}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    focal = signed_in(Client(), fiona(cast))
    assert (
        focal.post(url, {"form": "team", "team-name": "x", "team-leader": "y"}).status_code == 403
    )
    assert (
        focal.post(
            f"{BASE}inspections/{found.pk}/",
            {"form": "remediation", "remediation-report": "Đã khắc phục"},
        ).status_code
        == 302
    )
    found.refresh_from_db()
    assert found.status == InspectionStatus.REMEDIATED
    outsider = signed_in(Client(), felix(cast))
    assert outsider.get(f"{BASE}inspections/{found.pk}/").status_code == 404


def test_a_focal_point_records_its_iso_system_and_sees_only_its_own(
    client: Client, cast: Cast
) -> None:
    quality.record_quality_system(
        cast.other_agency,
        actor=felix(cast),
        applies=True,
        announced_on=dt.date(2025, 1, 2),
        scope="Sở Tư pháp scope",
    )
    focal = signed_in(client, fiona(cast))
    response = focal.post(
        f"{BASE}quality/",
        {
            "iso-agency": cast.agency.pk,
            "iso-applies": "on",
            "iso-announced_on": "2025-06-01",
            "iso-scope": "Toàn bộ TTHC",
        },
    )
    assert response.status_code == 302
    page = focal.get(f"{BASE}quality/?year=2026").content.decode()
    assert "Toàn bộ TTHC" in page and "Sở Tư pháp scope" not in page
    assert ReformEvent.objects.filter(actor=fiona(cast)).exists()
