"""The processing report as XLSX, laid out the way officials print it and like the PDF
(``exports_pdf.py``): the heading of an administrative document (issuing body on the left, the
national motto on the right; Decree 30/2020/NĐ-CP), the title, the period, two merged header
rows in Vietnamese, a row of column numbers (1)…(16), one row per group, the total row, then
the place and date and the signature blocks."""

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from motcua.accounts.models import Agency
from motcua.catalogue.cells import neutralise_formulas
from motcua.dossiers.printing_layout import DOTS, MOTTO, MOTTO_COUNTRY, place_and_date
from motcua.reports.processing import Counts, Report

TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
TOTAL = "Tổng cộng"
# (role, hint) of the two signature blocks, left and right, in both files.
SIGNATURES = (("NGƯỜI LẬP BIỂU", "Ký, ghi rõ họ tên"), ("THỦ TRƯỞNG CƠ QUAN", "Ký tên, đóng dấu"))

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
        # Withdrawn at the applicant's request (status 7): counted, never graded.
        "Số hồ sơ rút theo yêu cầu",
        [("Tổng số", "withdrawn")],
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


@dataclass(frozen=True)
class Signer:
    """Who issues the printed report: the body in the heading, the place in the date line."""

    agency: str = ""
    parent: str = ""
    place: str = ""


def signer_for(agency_ids: set[int] | None) -> Signer:
    """The issuing body of a report over ``agency_ids``: the one agency at the top of them
    (a leader's agency, the agencies below it included); none (dots) for all agencies or
    several unrelated ones."""
    if agency_ids is None:
        return Signer()
    tops = list(
        Agency.objects.filter(pk__in=sorted(agency_ids))
        .exclude(parent_id__in=sorted(agency_ids))
        .select_related("parent", "unit")[:2]
    )
    if len(tops) != 1:
        return Signer()
    top = tops[0]
    return Signer(
        agency=top.name,
        parent=top.parent.name if top.parent is not None else "",
        place=top.unit.name if top.unit is not None else "",
    )


# The heading's rows (issuing body | national motto), the title and the period; the table
# starts below them.
HEADING_ROWS, TITLE_ROW, PERIOD_ROW = (1, 2, 3), 5, 6
LEFT_COLUMNS = 4  # the issuing body and the left signature span columns 1…4


_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)
_WIDTH = 2 + sum(len(subs) for _, subs in BLOCKS) + 1  # STT, the group, the blocks, the rate
_TOP, _SUB, _NUMBERS = PERIOD_ROW + 2, PERIOD_ROW + 3, PERIOD_ROW + 4  # the header rows


def processing_xlsx(
    report: Report, *, signer: Signer | None = None, on: dt.date | None = None
) -> bytes:
    """The report as XLSX; ``signer`` and ``on`` fill the heading and the date line (dots for
    the official to write by hand when not given), as in the PDF."""
    signer = signer or Signer()
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook has a sheet
    ws.title = "Tình hình giải quyết TTHC"
    _xlsx_heading(ws, report, signer)
    _xlsx_column_headers(ws, report)
    total_row = _xlsx_figures(ws, report)
    _xlsx_signatures(ws, total_row, signer, on)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for c in range(3, _WIDTH + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.row_dimensions[_SUB].height = 45
    ws.freeze_panes = f"C{_NUMBERS + 1}"
    neutralise_formulas(ws)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _across(
    ws: Worksheet, row: int, first: int, last: int, value: str, font: Font | None = None
) -> None:
    """``value`` centred in the cells of ``row`` from ``first`` to ``last``, merged."""
    ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row, first, value)
    cell.alignment = _CENTRE
    if font is not None:
        cell.font = font


def _xlsx_heading(ws: Worksheet, report: Report, signer: Signer) -> None:
    """The issuing body beside the national motto, then the title and the period."""
    # The heading (Decree 30/2020/NĐ-CP, appendix I): issuing body | national motto.
    agency = (signer.agency or DOTS).upper()
    left = [(signer.parent.upper(), False), (agency, True), ("―――――", False)]
    if not signer.parent:
        left = [*left[1:], ("", False)]
    right = [(MOTTO_COUNTRY, True), (MOTTO, True), ("―――――――――――", False)]
    for row, (body, body_bold), (motto, motto_bold) in zip(HEADING_ROWS, left, right, strict=True):
        _across(ws, row, 1, LEFT_COLUMNS, body, Font(bold=body_bold))
        _across(ws, row, LEFT_COLUMNS + 1, _WIDTH, motto, Font(bold=motto_bold))
    _across(ws, TITLE_ROW, 1, _WIDTH, TITLE, Font(bold=True, size=13))
    period = f"Kỳ báo cáo: từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}"
    _across(ws, PERIOD_ROW, 1, _WIDTH, period, Font(italic=True))


def _xlsx_column_headers(ws: Worksheet, report: Report) -> None:
    """The block titles over their columns' names, then a row numbering the columns."""
    headers: list[tuple[int, int, int, int, str]] = [
        (_TOP, 1, _SUB, 1, "STT"),
        (_TOP, 2, _SUB, 2, GROUP_HEADERS[report.group_by]),
    ]
    column = 3
    for title, subs in BLOCKS:
        headers.append((_TOP, column, _TOP, column + len(subs) - 1, title))
        for i, (name, _field) in enumerate(subs):
            headers.append((_SUB, column + i, _SUB, column + i, name))
        column += len(subs)
    headers.append((_TOP, column, _SUB, column, RATE_HEADER))
    for r1, c1, r2, c2, text in headers:
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        cell = ws.cell(r1, c1, text)
        cell.font, cell.alignment = _BOLD, _CENTRE
    for c in range(1, _WIDTH + 1):
        cell = ws.cell(_NUMBERS, c, f"({c})")
        cell.alignment = _CENTRE
        for r in (_TOP, _SUB, _NUMBERS):
            ws.cell(r, c).border = _BORDER


def _xlsx_figures(ws: Worksheet, report: Report) -> int:
    """One numbered row a line of the report, then the bold total; returns the total's row."""

    def write(row: int, values: list[Any], *, total: bool = False) -> None:
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row, c, value)
            cell.border = _BORDER
            if total:
                cell.font = _BOLD

    def figures(counts: Counts) -> list[Any]:
        data = counts.as_dict()
        return [data[f] for _, subs in BLOCKS for _, f in subs] + [data["on_time_rate"]]

    row = _NUMBERS + 1
    for i, line in enumerate(report.rows, start=1):
        write(row, [i, line.label, *figures(line.counts)])
        row += 1
    write(row, ["", TOTAL, *figures(report.totals)], total=True)
    return row


def _xlsx_signatures(ws: Worksheet, total_row: int, signer: Signer, on: dt.date | None) -> None:
    """The place and date above the right signature, then both signature blocks."""
    middle = LEFT_COLUMNS + 1 + (_WIDTH - LEFT_COLUMNS) // 2
    _across(ws, total_row + 2, middle, _WIDTH, place_and_date(signer.place, on), Font(italic=True))
    for (role, hint), (first, last) in zip(
        SIGNATURES, ((1, LEFT_COLUMNS), (middle, _WIDTH)), strict=True
    ):
        _across(ws, total_row + 3, first, last, role, _BOLD)
        _across(ws, total_row + 4, first, last, f"({hint})", Font(italic=True))
