"""The processing report and the ledger (Form 06) as PDF: read back with pypdf, the Vietnamese
title, headers, numbered columns, a group's label and figures and the totals are there; the
header repeats on every page; the API and the command serve them to those who may read the
report (or the ledger), and nobody else."""

import datetime as dt
import io
import unicodedata
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.accounts.models import Role
from motcua.catalogue.models import Case, Field
from motcua.dossiers import services
from motcua.dossiers.ledger import ledger_dossiers, ledger_pdf
from motcua.dossiers.tests.factories import at
from motcua.reports.exports import Signer
from motcua.reports.exports_pdf import processing_pdf, rate
from motcua.reports.processing import Counts, Report, Row, processing_report
from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast, field_problems, make_user, problems

PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}
MARCH = {"field": "HKD", "start": "2026-03-01", "end": "2026-03-31"}


def pages(pdf: bytes) -> list[str]:
    """The text of each page, NFC and with runs of spaces and line breaks made single spaces."""
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    return [
        " ".join(unicodedata.normalize("NFC", page.extract_text() or "").split())
        for page in reader.pages
    ]


@pytest.fixture
def case(cast: Cast) -> Case:
    """At H56.22 in March 2026: one dossier signed early and returned electronically, one
    received online and pending, one received at the desk and pending."""
    case = cases(cast)[0]
    d = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, d, at("2026-03-04T10:00"))
    services.return_result(
        d,
        actor=cast.alice,
        method="electronic",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-05T09:00"),
    )
    receive(cast, case, at("2026-03-03T09:00"), channel="online")
    receive(cast, case, at("2026-03-06T09:00"))
    return case


def test_the_processing_report_pdf_has_the_official_layout(cast: Cast, case: Case) -> None:
    report = processing_report(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "agency")
    pdf = processing_pdf(
        report,
        signer=Signer(agency="Sở Nội vụ", parent="UBND tỉnh Đồng Tháp", place="Đồng Tháp"),
        on=dt.date(2026, 4, 2),
    )
    (text,) = pages(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "SỞ NỘI VỤ" in text and "UBND TỈNH ĐỒNG THÁP" in text
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text
    assert "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    for header in ("Cơ quan, đơn vị", "Số hồ sơ nhận giải quyết", "Số hồ sơ đã giải quyết",
                   "Số hồ sơ rút theo yêu cầu", "Số hồ sơ đang giải quyết",
                   "Trong đó tạm dừng"):  # fmt: skip
        assert header in text, header
    assert "(1) (2) (3)" in text and "(15) (16)" in text
    # The row of H56.22: received 3 (none carried, 1 online, 2 at the desk), resolved 1 early,
    # none withdrawn, pending 2, both overdue by 31/03, 100 % early or on time; the total row
    # says the same.
    row = "1 Trung tâm Phục vụ hành chính công tỉnh 3 0 1 2 1 1 0 0 0 2 0 2 0 100,00"
    assert row in text
    assert "Tổng cộng 3 0 1 2 1 1 0 0 0 2 0 2 0 100,00" in text
    assert "Đồng Tháp, ngày 02 tháng 04 năm 2026" in text
    assert "NGƯỜI LẬP BIỂU" in text and "THỦ TRƯỞNG CƠ QUAN" in text


def test_the_header_row_repeats_on_every_page() -> None:
    counts = Counts(carried_over=1, received_online=2, received_direct_or_postal=3)
    rows = [Row(f"X{i:03d}", f"Ủy ban nhân dân xã số {i}", counts) for i in range(80)]
    report = Report(dt.date(2026, 1, 1), dt.date(2026, 1, 31), "agency", rows, Counts())
    texts = pages(processing_pdf(report))
    assert len(texts) >= 3
    for text in texts[1:]:
        assert "Số hồ sơ nhận giải quyết" in text and "(16)" in text
    assert "Ủy ban nhân dân xã số 79" in texts[-1]
    assert "Trang 2" in texts[1]


def test_rates_print_with_a_decimal_comma_and_a_dash_without_resolutions() -> None:
    assert rate(Decimal("66.67")) == "66,67"
    assert rate(None) == "-"


# The API -----------------------------------------------------------------------------------


def get(client: Client, user: Any, url: str, params: dict[str, str]) -> Any:
    client.force_login(user)
    return client.get(url, params)


def test_the_api_serves_the_report_as_pdf_and_xlsx(client: Client, cast: Cast, case: Case) -> None:
    response = get(client, cast.frank, "/api/v1/reports/processing.pdf", PERIOD)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="tinh-hinh-giai-quyet-tthc-20260301-20260331.pdf"'
        in (response["Content-Disposition"])
    )
    assert "Tổng cộng 3 0 1 2" in pages(response.content)[0]

    same = client.get("/api/v1/reports/processing", {**PERIOD, "format": "pdf"})
    assert same.status_code == 200 and same["Content-Type"] == "application/pdf"

    xlsx = client.get("/api/v1/reports/processing.xlsx", {**PERIOD, "group_by": "channel"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert ws is not None
    assert ws["B8"].value == "Kênh tiếp nhận"
    assert client.get("/api/v1/reports/processing", PERIOD).json()["totals"]["received_total"] == 3


def test_a_leader_s_pdf_is_headed_by_their_agency_and_shows_only_it(
    client: Client, cast: Cast, case: Case
) -> None:
    response = get(client, cast.dave, "/api/v1/reports/processing.pdf", PERIOD)
    (text,) = pages(response.content)
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH" in text
    assert "Sở Tư pháp" not in text
    assert "Tổng cộng 3 0 1 2" in text


def test_a_leader_s_xlsx_carries_the_pdf_s_heading_and_signatures(
    client: Client, cast: Cast, case: Case
) -> None:
    response = get(client, cast.dave, "/api/v1/reports/processing.xlsx", PERIOD)
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws is not None
    cells = {str(c.value) for row in ws.iter_rows() for c in row if c.value}
    heading = {
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG CƠ QUAN",
    }
    assert heading <= cells
    assert any(c.startswith("Đồng Tháp, ngày ") for c in cells)
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in cells


@pytest.mark.parametrize("who", ["alice", "henry", "oscar"])
@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
def test_those_who_may_not_read_reports_get_a_403_in_json(
    client: Client, cast: Cast, case: Case, who: str, suffix: str
) -> None:
    response = get(client, getattr(cast, who), f"/api/v1/reports/processing{suffix}", PERIOD)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert problems(response) == ["reports_not_allowed"]


def test_bad_parameters_of_a_file_are_a_400_in_json(client: Client, cast: Cast) -> None:
    response = get(client, cast.frank, "/api/v1/reports/processing.pdf", {"from": "2026-03-01"})
    assert response.status_code == 400
    assert field_problems(response) == {"to": ["required"]}


def test_an_anonymous_caller_gets_no_file(client: Client, cast: Cast) -> None:
    assert client.get("/api/v1/reports/processing.pdf", PERIOD).status_code in (401, 403)


def test_the_schema_lists_the_file_formats(client: Client, cast: Cast) -> None:
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/reports/processing/"]["get"]
    assert {"application/json", "application/pdf"} <= set(operation["responses"]["200"]["content"])


# The command -------------------------------------------------------------------------------


def test_the_command_writes_a_pdf(cast: Cast, case: Case, tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    out = StringIO()
    call_command("report", "processing", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--group-by", "channel", "--format", "pdf", "--output", str(path),
                 stdout=out)  # fmt: skip
    assert str(path) in out.getvalue()
    (text,) = pages(path.read_bytes())
    assert "Kênh tiếp nhận" in text
    assert "Tổng cộng 3 0 1 2" in text


# The ledger --------------------------------------------------------------------------------


def test_the_ledger_pdf_prints_the_rows_of_the_xlsx(cast: Cast, case: Case) -> None:
    field = Field.objects.get(code="HKD")
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    dossiers = ledger_dossiers(cast.agency, field, start, end)
    pdf = ledger_pdf(dossiers, title="Sổ theo dõi hồ sơ", field_name=field.name, start=start,
                     end=end, agency_name=cast.agency.name)  # fmt: skip
    (text,) = pages(pdf)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert f"Lĩnh vực: {field.name}" in text
    assert "Từ ngày 01/03/2026 đến ngày 31/03/2026" in text
    for header in ("Mã hồ sơ", "Tên thủ tục hành chính", "Ngày, tháng, năm", "Hẹn trả kết quả",
                   "Hình thức trả kết quả", "(1)", "(10)"):  # fmt: skip
        assert header in text, header
    first = dossiers.first()
    assert first is not None and first.code in text
    assert "02/03/2026" in text and "05/03/2026" in text  # received, returned
    assert "Trực tuyến" in text  # returned electronically


def test_the_ledger_pdf_is_served_with_the_xlsx_permissions(
    client: Client, cast: Cast, case: Case
) -> None:
    response = get(client, cast.alice, "/api/v1/ledger.pdf", {**MARCH, "agency": "H56.22"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="so-theo-doi-hkd-20260301-20260331.pdf"' in response["Content-Disposition"]
    assert "SỔ THEO DÕI HỒ SƠ" in pages(response.content)[0]
    judy = make_user("judy", (Role.DESK_OFFICER, cast.other_agency))
    for user, params in [
        (cast.henry, {**MARCH, "agency": "H56.22"}),
        (cast.oscar, {**MARCH, "agency": "H56.22"}),
        (judy, {**MARCH, "agency": "H56.22"}),  # an officer of another agency
        (cast.alice, MARCH),  # every agency needs the right to read every agency's reports
    ]:
        refused = get(Client(), user, "/api/v1/ledger.pdf", params)
        assert refused.status_code == 403, user
        assert problems(refused) == ["ledger_not_allowed"], user
    assert get(Client(), cast.frank, "/api/v1/ledger.pdf", MARCH).status_code == 200
