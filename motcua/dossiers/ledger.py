"""The dossier ledger (Sổ theo dõi hồ sơ, Form 07 of Circular 03/2025/TT-VPCP; 06 in 2018) as
an XLSX workbook or a PDF, both laid out the way officials print it: the agency and title on top,
the field and period, two header rows with merged cells, a row of column numbers (1), (2), …, then
one ruled row per dossier (``ledger_rows``, the same for both). The ledger is kept per field
(lĩnh vực) and may be electronic only."""

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, TableStyle

from motcua.accounts.models import Agency
from motcua.catalogue.cells import neutralise_formulas
from motcua.catalogue.models import Field
from motcua.dossiers.deadlines import VIETNAM
from motcua.dossiers.form_numbering import Form, numbered
from motcua.dossiers.models import Dossier, ReturnMethod
from motcua.dossiers.printing_layout import (
    LANDSCAPE_WIDTH,
    Styles,
    build,
    form_label,
    grid,
    p,
    text,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A ledger is kept per field and period; more than a few years in one sheet is a mistake.
MAX_PERIOD = dt.timedelta(days=3 * 366)

RETURN_METHODS: dict[str, str] = {
    ReturnMethod.IN_PERSON: "Trực tiếp",
    ReturnMethod.POST: "Bưu chính công ích",
    ReturnMethod.ELECTRONIC: "Trực tuyến",
}

# (header, group or "", width). A group spans its consecutive columns in the first header row.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("STT", "", 6),
    ("Mã hồ sơ", "", 22),
    ("Tên thủ tục hành chính", "", 36),
    ("Tên cá nhân, tổ chức", "", 24),
    ("Địa chỉ, số điện thoại", "", 30),
    ("Cơ quan chủ trì giải quyết", "", 26),
    ("Nhận hồ sơ", "Ngày, tháng, năm", 13),
    ("Hẹn trả kết quả", "Ngày, tháng, năm", 13),
    ("Trả kết quả", "Ngày, tháng, năm", 13),
    ("Hình thức trả kết quả", "", 16),
)
FONT_NAME = "Times New Roman"  # the face of administrative documents (Decree 30/2020/NĐ-CP)
DATE_FORMAT = "DD/MM/YYYY"
TITLE_ROW, FIELD_ROW, PERIOD_ROW = 2, 3, 4
HEAD_ROW = 6  # two header rows (6, 7), then the column numbers (8)
NUMBER_ROW = HEAD_ROW + 2
FIRST_DATA_ROW = NUMBER_ROW + 1

_thin = Side(style="thin")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight at ``start`` and local midnight after ``end``: both days count."""
    lower = dt.datetime.combine(start, dt.time(), tzinfo=VIETNAM)
    upper = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM)
    return lower, upper


def ledger_dossiers(
    agency: Agency | None, field: Field, start: dt.date, end: dt.date
) -> QuerySet[Dossier]:
    """Dossiers of ``field`` received from ``start`` to ``end`` (local dates, inclusive) at
    ``agency`` (or at any agency), in the order they were received; one query however many."""
    lower, upper = period_bounds(start, end)
    dossiers = Dossier.objects.filter(
        version__field=field, received_at__gte=lower, received_at__lt=upper
    )
    if agency is not None:
        dossiers = dossiers.filter(receiving_agency=agency)
    return dossiers.select_related("version", "lead_agency").order_by("received_at", "code")


def _local_date(instant: dt.datetime | None) -> dt.date | None:
    return instant.astimezone(VIETNAM).date() if instant else None


CellValue = int | str | dt.date | None


def _row(number: int, d: Dossier) -> list[CellValue]:
    contact = "\n".join(filter(None, [d.applicant_address, d.applicant_phone]))
    return [
        number,
        d.code,
        d.version.name,
        d.applicant_name,
        contact,
        d.lead_agency.name,
        _local_date(d.received_at),
        _local_date(d.due_at),
        _local_date(d.returned_at),
        RETURN_METHODS.get(d.return_method, d.return_method),
    ]


def ledger_rows(dossiers: Iterable[Dossier]) -> list[list[CellValue]]:
    """One row of values per dossier, numbered from 1: what both files print."""
    return [_row(number, d) for number, d in enumerate(dossiers, 1)]


HeaderCell = tuple[int, int, int, int, str]  # first row, first column, last row, last column


def header_cells() -> Iterator[HeaderCell]:
    """The two header rows (0 and 1) as merged cells, columns from 1: a column without a group
    spans both rows; a group spans its consecutive columns in row 0 above their headers."""
    column = 1
    while column <= len(COLUMNS):
        header, group, _ = COLUMNS[column - 1]
        if not group:
            yield 0, column, 1, column, header
            column += 1
            continue
        span = 1
        while column + span <= len(COLUMNS) and COLUMNS[column + span - 1][1] == group:
            span += 1
        yield 0, column, 0, column + span - 1, group
        for offset in range(span):
            yield 1, column + offset, 1, column + offset, COLUMNS[column + offset - 1][0]
        column += span


def _headers(ws: Worksheet) -> None:
    top, bottom = HEAD_ROW, HEAD_ROW + 1
    for r1, c1, r2, c2, caption in header_cells():
        ws.cell(top + r1, c1, caption)
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=top + r1, start_column=c1, end_row=top + r2, end_column=c2)
    for index in range(1, len(COLUMNS) + 1):
        ws.cell(NUMBER_ROW, index, f"({index})")
        for row in (top, bottom, NUMBER_ROW):
            cell = ws.cell(row, index)
            cell.font = Font(name=FONT_NAME, size=11, bold=row != NUMBER_ROW,
                             italic=row == NUMBER_ROW)  # fmt: skip
            cell.alignment = CENTRE
            cell.border = BORDER


def ledger_xlsx(
    dossiers: QuerySet[Dossier],
    *,
    title: str,
    field_name: str,
    start: dt.date,
    end: dt.date,
    agency_name: str = "",
) -> bytes:
    """The ledger of ``dossiers`` as an XLSX workbook, ready to print on A4 landscape."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # noqa: S101 - a new workbook always has a sheet
    ws.title = "Sổ theo dõi hồ sơ"
    _xlsx_headings(
        ws, title=title, field_name=field_name, start=start, end=end, agency_name=agency_name
    )
    _headers(ws)
    last_row = _xlsx_body(ws, dossiers)
    _xlsx_page_setup(ws, last_row)
    neutralise_formulas(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _xlsx_headings(
    ws: Worksheet,
    *,
    title: str,
    field_name: str,
    start: dt.date,
    end: dt.date,
    agency_name: str,
) -> None:
    """The agency's name and the form's number on the first row, then the centred title,
    field and period above the column headers."""
    last = get_column_letter(len(COLUMNS))
    if agency_name:
        ws["A1"] = agency_name.upper()
        ws["A1"].font = Font(name=FONT_NAME, size=12, bold=True)
    label = ws.cell(1, len(COLUMNS), numbered(Form.LEDGER).label)
    label.font = Font(name=FONT_NAME, size=11, italic=True)
    label.alignment = Alignment(horizontal="right")
    lines = [
        (TITLE_ROW, title.upper(), Font(name=FONT_NAME, size=14, bold=True)),
        (FIELD_ROW, f"Lĩnh vực: {field_name}", Font(name=FONT_NAME, size=12, bold=True)),
        (
            PERIOD_ROW,
            f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
            Font(name=FONT_NAME, size=12, italic=True),
        ),
    ]
    for line, caption, font in lines:
        ws.merge_cells(f"A{line}:{last}{line}")
        heading = ws.cell(line, 1, caption)
        heading.font = font
        heading.alignment = Alignment(horizontal="center")


def _xlsx_body(ws: Worksheet, dossiers: QuerySet[Dossier]) -> int:
    """One bordered row a dossier from ``FIRST_DATA_ROW`` on; returns the last row written
    (``FIRST_DATA_ROW - 1`` when there is none)."""
    body = Font(name=FONT_NAME, size=11)
    row = FIRST_DATA_ROW - 1
    for row, values in enumerate(ledger_rows(dossiers), FIRST_DATA_ROW):
        for column, value in enumerate(values, 1):
            cell = ws.cell(row, column, value)
            cell.font = body
            cell.border = BORDER
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
                cell.alignment = CENTRE
            else:
                cell.alignment = CENTRE if column in (1, 2) else WRAP
    return row


def _xlsx_page_setup(ws: Worksheet, last_row: int) -> None:
    """Column widths, frozen headers and the print setup: A4 landscape, one page wide, the
    headers repeated on every page, page numbers in the footer."""
    for index, (_, _, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.row_dimensions[HEAD_ROW + 1].height = 30
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEAD_ROW}:{NUMBER_ROW}"
    ws.print_area = f"A1:{get_column_letter(len(COLUMNS))}{max(last_row, NUMBER_ROW)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    ws.print_options.horizontalCentered = True
    if ws.oddFooter is not None and ws.oddFooter.center is not None:
        ws.oddFooter.center.text = "Trang &P/&N"


def _pdf_style(name: str, alignment: Any, size: float = 8.5) -> ParagraphStyle:
    return ParagraphStyle(
        name, parent=Styles.cell, fontSize=size, leading=size * 1.25, alignment=alignment
    )


PDF_HEAD = _pdf_style("ledger_head", TA_CENTER)
PDF_CELL = _pdf_style("ledger_cell", TA_LEFT)
PDF_CENTRE = _pdf_style("ledger_centre", TA_CENTER)
PDF_CODE = _pdf_style("ledger_code", TA_CENTER, 7.5)  # codes are long and must not break
PDF_DATE = _pdf_style("ledger_date", TA_CENTER, 8)
# Relative widths on paper (the XLSX's are in characters of a wider face): a code and a date
# fit on one line, names wrap.
PDF_WIDTHS = (28, 92, 120, 84, 100, 90, 54, 54, 54, 60)


def _pdf_value(column: int, value: CellValue) -> Flowable:
    if isinstance(value, dt.date):
        return p(f"{value:%d/%m/%Y}", PDF_DATE)
    markup = text("" if value is None else value).replace("\n", "<br/>")
    if column == 1:
        return p(markup, PDF_CENTRE)
    return p(markup, PDF_CODE if column == 2 else PDF_CELL)


def ledger_pdf(
    dossiers: QuerySet[Dossier],
    *,
    title: str,
    field_name: str,
    start: dt.date,
    end: dt.date,
    agency_name: str = "",
) -> bytes:
    """The ledger of ``dossiers`` as a PDF on A4 landscape, from the same rows as the XLSX;
    the header rows and the column numbers repeat on every page."""
    rows: list[list[Any]] = [[""] * len(COLUMNS), [""] * len(COLUMNS)]
    spans: list[Any] = []
    for r1, c1, r2, c2, caption in header_cells():
        rows[r1][c1 - 1] = p(f"<b>{text(caption)}</b>", PDF_HEAD)
        if (r1, c1) != (r2, c2):
            spans.append(("SPAN", (c1 - 1, r1), (c2 - 1, r2)))
    rows.append([p(f"<i>({index})</i>", PDF_HEAD) for index in range(1, len(COLUMNS) + 1)])
    for values in ledger_rows(dossiers):
        rows.append([_pdf_value(column, v) for column, v in enumerate(values, 1)])
    widths = [LANDSCAPE_WIDTH * width / sum(PDF_WIDTHS) for width in PDF_WIDTHS]
    table = grid(rows, widths, header_rows=3)
    table.setStyle(TableStyle(spans))
    story: list[Flowable] = [form_label(numbered(Form.LEDGER).label)]
    if agency_name:
        story.append(p(f"<b>{text(agency_name.upper())}</b>", Styles.left))
    story += [
        p(f"<b>{text(title.upper())}</b>", Styles.title),
        p(f"<b>Lĩnh vực: {text(field_name)}</b>", Styles.centre),
        p(f"<i>Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}</i>", Styles.centre),
        p("", Styles.centre),
        table,
    ]
    return build(
        story,
        title=f"{title} - {field_name}",
        subject=" ".join(filter(None, ["Sổ theo dõi hồ sơ", numbered(Form.LEDGER).label])),
        pagesize=landscape(A4),
    )
