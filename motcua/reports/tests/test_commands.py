"""``motcua report processing`` (JSON and XLSX) and ``motcua rebuild-rollups``."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from motcua.dossiers.rollup_models import DailyRollup
from motcua.dossiers.tests.factories import at
from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast


@pytest.fixture
def dossiers(cast: Cast) -> None:
    case = cases(cast)[0]
    d = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, d, at("2026-03-04T10:00"))
    receive(cast, case, at("2026-03-03T09:00"), channel="online")


def test_the_report_prints_json(dossiers: None) -> None:
    out = StringIO()
    call_command("report", "processing", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--group-by", "channel", stdout=out)  # fmt: skip
    body = json.loads(out.getvalue())
    assert [r["key"] for r in body["rows"]] == ["in_person", "online"]
    assert body["totals"]["resolved_early"] == 1
    assert body["totals"]["on_time_rate"] == 100.0


def test_the_report_exports_xlsx_with_numbered_vietnamese_headers(
    dossiers: None, tmp_path: Path
) -> None:
    path = tmp_path / "report.xlsx"
    call_command("report", "processing", "--window", "monthly", "--year", "2026", "--number",
                 "3", "--format", "xlsx", "--output", str(path), stdout=StringIO())  # fmt: skip
    ws = load_workbook(path).active
    assert ws is not None
    # The PDF's heading: issuing body (dots when none) | national motto, then the title.
    assert [ws["A1"].value, ws["E1"].value, ws["E2"].value] == [
        "…",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert {"A1:D1", "E1:P1", "A5:P5"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["A5"].value == "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert "15/02/2026" in str(ws["A6"].value) and "14/03/2026" in str(ws["A6"].value)
    assert ws["C8"].value == "Số hồ sơ nhận giải quyết"
    assert "C8:F8" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["K8"].value == "Số hồ sơ rút theo yêu cầu"
    assert [ws.cell(10, c).value for c in (1, 2, 3, 16)] == ["(1)", "(2)", "(3)", "(16)"]
    assert ws["B11"].value == "Trung tâm Phục vụ hành chính công tỉnh"
    assert ws["B12"].value == "Tổng cộng"
    assert ws["C12"].value == 2
    # The date line and the signature blocks under the table, as in the PDF.
    below = {str(c.value) for row in ws.iter_rows(min_row=13) for c in row if c.value}
    assert {"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG CƠ QUAN", "(Ký tên, đóng dấu)"} <= below
    assert "…, ngày … tháng … năm …" in below


def test_bad_arguments_are_explained(dossiers: None) -> None:
    with pytest.raises(CommandError, match="--from"):
        call_command("report", "processing", "--to", "2026-03-31")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("report", "processing", "--from", "1/3/2026", "--to", "2026-03-31")
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "processing", "--from", "2026-03-01", "--to", "2026-03-31",
                     "--format", "xlsx")  # fmt: skip


def test_rebuild_rollups_restores_lost_counters(dossiers: None) -> None:
    before = set(DailyRollup.objects.values_list("day", "received", "finished_early"))
    DailyRollup.objects.all().delete()
    out = StringIO()
    call_command("rebuild-rollups", stdout=out)
    assert "2" in out.getvalue()
    assert set(DailyRollup.objects.values_list("day", "received", "finished_early")) == before
