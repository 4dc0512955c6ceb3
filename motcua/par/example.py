"""The example criteria set, written by us and shaped like a department-level PAR index (7
areas, 48 criteria, 89 sub-criteria): its readable source is ``data/example_criteria.tsv``;
``example_workbook`` builds the XLSX a province would publish from it, in the layout
``importing.import_criteria`` reads (``docs/par.md``)."""

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

SOURCE = Path(__file__).resolve().parent / "data" / "example_criteria.tsv"
HEADERS = ("Mã", "Nội dung", "Điểm tối đa", "Hướng dẫn chấm", "Hệ thống đo", "Ngưỡng (%)")


@dataclass
class Row:
    """One line of the source: an area ("1"), a criterion ("1.1") or a sub-criterion."""

    code: str
    name: str
    points: Decimal | None
    guidance: str
    measure: str
    target: Decimal | None

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1


def _decimal(text: str) -> Decimal | None:
    return Decimal(text.replace(",", ".")) if text.strip() else None


def example_rows() -> list[Row]:
    """The source's rows, with each area's and criterion's points the sum of those under it."""
    rows: list[Row] = []
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, points, measured, name, guidance = (line.split("\t") + [""] * 5)[:5]
        measure, _, target = measured.partition(":")
        rows.append(Row(code, name, _decimal(points), guidance, measure, _decimal(target)))
    for depth in (2, 1):
        for row in rows:
            if row.depth == depth:
                under = [r for r in rows if r.depth == depth + 1 and _parent(r.code) == row.code]
                row.points = sum((r.points or Decimal(0) for r in under), Decimal(0))
    return rows


def _parent(code: str) -> str:
    return code.rpartition(".")[0]


def example_workbook(year: int) -> bytes:
    """The example set as the province's XLSX: a title, the header row, one row per line."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = "Tiêu chí"
    sheet.append([f"Bộ tiêu chí Chỉ số cải cách hành chính cấp sở năm {year} (ví dụ)"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in example_rows():
        sheet.append(
            [
                row.code,
                row.name,
                float(row.points or 0),
                row.guidance,
                row.measure or None,
                float(row.target) if row.target is not None else None,
            ]
        )
        if row.depth < 3:
            sheet.cell(sheet.max_row, 2).font = Font(bold=True)
    for letter, width in zip("ABCDEF", (8, 70, 12, 70, 18, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    for line in sheet.iter_rows(min_row=3):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
