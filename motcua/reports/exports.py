"""The processing report as XLSX, laid out the way officials print it: a title, the period,
two merged header rows in Vietnamese, a row of column numbers (1)…(15), one row per group and
the total row."""

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.catalogue.cells import neutralise_formulas
from motcua.reports.processing import Counts, Report

GROUP_HEADERS = {
    "agency": "Cơ quan, đơn vị",
    "field": "Lĩnh vực",
    "procedure": "Thủ tục hành chính",
    "level": "Cấp hành chính",
    "channel": "Kênh tiếp nhận",
}
# (header, sub-headers with the Counts field each shows)
BLOCKS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Số hồ sơ nhận giải quyết",
        [
            ("Tổng số", "received_total"),
            ("Kỳ trước chuyển qua", "carried_over"),
            ("Trực tuyến", "received_online"),
            ("Trực tiếp, dịch vụ bưu chính", "received_direct_or_postal"),
        ],
    ),
    (
        "Số hồ sơ đã giải quyết",
        [
            ("Tổng số", "resolved_total"),
            ("Trước hạn", "resolved_early"),
            ("Đúng hạn", "resolved_on_time"),
            ("Quá hạn", "resolved_late"),
        ],
    ),
    (
        "Số hồ sơ đang giải quyết",
        [
            ("Tổng số", "pending_total"),
            ("Trong hạn", "pending_in_time"),
            ("Quá hạn", "pending_overdue"),
            ("Trong đó tạm dừng", "pending_paused"),
        ],
    ),
]
RATE_HEADER = "Tỷ lệ trước hạn, đúng hạn (%)"


def processing_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook has a sheet
    ws.title = "Tình hình giải quyết TTHC"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold = Font(bold=True)
    width = 2 + sum(len(subs) for _, subs in BLOCKS) + 1

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    heading = ws.cell(1, 1, "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH")
    heading.font = Font(bold=True, size=13)
    ws.cell(1, 1).alignment = centre
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(2, 1, f"Kỳ báo cáo: từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}")
    ws.cell(2, 1).alignment = centre

    top, sub, numbers = 4, 5, 6
    headers: list[tuple[int, int, int, int, str]] = [
        (top, 1, sub, 1, "STT"),
        (top, 2, sub, 2, GROUP_HEADERS[report.group_by]),
    ]
    column = 3
    for title, subs in BLOCKS:
        headers.append((top, column, top, column + len(subs) - 1, title))
        for i, (name, _field) in enumerate(subs):
            headers.append((sub, column + i, sub, column + i, name))
        column += len(subs)
    headers.append((top, column, sub, column, RATE_HEADER))
    for r1, c1, r2, c2, text in headers:
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        cell = ws.cell(r1, c1, text)
        cell.font, cell.alignment = bold, centre
    for c in range(1, width + 1):
        cell = ws.cell(numbers, c, f"({c})")
        cell.alignment = centre
        for r in (top, sub, numbers):
            ws.cell(r, c).border = border

    def write(row: int, values: list[Any], *, total: bool = False) -> None:
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row, c, value)
            cell.border = border
            if total:
                cell.font = bold

    def figures(counts: Counts) -> list[Any]:
        data = counts.as_dict()
        return [data[f] for _, subs in BLOCKS for _, f in subs] + [data["on_time_rate"]]

    row = numbers + 1
    for i, line in enumerate(report.rows, start=1):
        write(row, [i, line.label, *figures(line.counts)])
        row += 1
    write(row, ["", "Tổng cộng", *figures(report.totals)], total=True)

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for c in range(3, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.row_dimensions[sub].height = 45
    ws.freeze_panes = f"C{numbers + 1}"
    neutralise_formulas(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
