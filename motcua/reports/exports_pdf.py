"""The processing report as PDF on A4 landscape, laid out like the XLSX (``exports.py``) and the
way officials print it: the heading of an administrative document (issuing body, national
motto; Decree 30/2020/NĐ-CP), the title and period, the same merged Vietnamese header cells and
numbered columns (1)…(16), one row per group and the total, the header repeated on every page,
then the place and date and the signature blocks.

The page helpers, the embedded DejaVu Serif and the heading come from
``motcua.dossiers.printing_layout``, shared with the printed forms."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, TableStyle

from motcua.dossiers.printing_layout import (
    DOTS,
    LANDSCAPE_WIDTH,
    Heading,
    Styles,
    build,
    grid,
    heading,
    p,
    place_and_date,
    signatures,
    text,
    title,
)
from motcua.reports.exports import (
    BLOCKS,
    GROUP_HEADERS,
    RATE_HEADER,
    SIGNATURES,
    TITLE,
    TOTAL,
    Signer,
)
from motcua.reports.processing import Counts, Report

HEADER_ROWS = 3  # the block headers, the sub-headers, the column numbers


def _cell_style(name: str, size: float, alignment: Literal[0, 1, 2]) -> ParagraphStyle:
    return ParagraphStyle(
        name, parent=Styles.cell, fontSize=size, leading=size * 1.2, alignment=alignment
    )


HEAD = _cell_style("report_head", 7.5, TA_CENTER)
LABEL = _cell_style("report_label", 8, TA_LEFT)
NUMBER = _cell_style("report_number", 8, TA_RIGHT)
CENTRE = _cell_style("report_centre", 8, TA_CENTER)


def number(value: int) -> str:
    """1.234: Vietnamese thousands separator."""
    return f"{value:,}".replace(",", ".")


def rate(value: Decimal | None) -> str:
    """95,24: Vietnamese decimal comma; a dash when nothing was resolved."""
    return "-" if value is None else f"{value:.2f}".replace(".", ",")


def figures(counts: Counts) -> list[str]:
    """The 14 figures of a row, in the order of the numbered columns (3)…(16)."""
    data = counts.as_dict()
    return [number(data[f]) for _, subs in BLOCKS for _, f in subs] + [rate(counts.on_time_rate)]


def _header(group_by: str) -> tuple[list[list[Any]], list[Any]]:
    """The three header rows as paragraphs, and the SPAN commands merging their cells."""
    width = 2 + sum(len(subs) for _, subs in BLOCKS) + 1
    top: list[object] = [p("<b>STT</b>", HEAD), p(f"<b>{text(GROUP_HEADERS[group_by])}</b>", HEAD)]
    sub: list[object] = ["", ""]
    spans: list[Any] = [("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1))]
    column = 2
    for block, subs in BLOCKS:
        top += [p(f"<b>{text(block)}</b>", HEAD)] + [""] * (len(subs) - 1)
        sub += [p(f"<b>{text(name)}</b>", HEAD) for name, _ in subs]
        spans.append(("SPAN", (column, 0), (column + len(subs) - 1, 0)))
        column += len(subs)
    top.append(p(f"<b>{text(RATE_HEADER)}</b>", HEAD))
    sub.append("")
    spans.append(("SPAN", (column, 0), (column, 1)))
    numbers: list[object] = [p(f"<i>({c})</i>", HEAD) for c in range(1, width + 1)]
    return [top, sub, numbers], spans


def processing_pdf(
    report: Report, *, signer: Signer | None = None, on: dt.date | None = None
) -> bytes:
    """The report as a PDF; ``signer`` and ``on`` fill the heading and the date line (dots
    for the official to write by hand when not given)."""
    signer = signer or Signer()
    rows, spans = _header(report.group_by)
    for i, line in enumerate(report.rows, start=1):
        rows.append(
            [p(str(i), CENTRE), p(text(line.label), LABEL)]
            + [p(v, NUMBER) for v in figures(line.counts)]
        )
    rows.append(
        [p("", CENTRE), p(f"<b>{TOTAL}</b>", LABEL)]
        + [p(f"<b>{v}</b>", NUMBER) for v in figures(report.totals)]
    )
    # STT, the group's name, 13 counts, the rate (its header is the longest).
    first, label, last = 26.0, 140.0, 56.0
    counts = len(rows[0]) - 3
    widths = [first, label] + [(LANDSCAPE_WIDTH - first - label - last) / counts] * counts + [last]
    table = grid(rows, widths, header_rows=HEADER_ROWS)
    table.setStyle(TableStyle(spans))

    period = f"Kỳ báo cáo: từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}"
    story: list[Flowable] = [
        *heading(
            Heading(agency=signer.agency or DOTS, parent=signer.parent, reference=False),
            width=LANDSCAPE_WIDTH,
        ),
        *title(TITLE, text(period)),
        table,
        Spacer(1, 5 * mm),
        KeepTogether(
            [
                _right(f"<i>{place_and_date(signer.place, on)}</i>"),
                signatures(*((role, hint, "") for role, hint in SIGNATURES), width=LANDSCAPE_WIDTH),
            ]
        ),
    ]
    return build(
        story,
        title=f"{TITLE} {report.start:%d/%m/%Y} - {report.end:%d/%m/%Y}",
        subject="Tình hình, kết quả giải quyết TTHC",
        pagesize=landscape(A4),
    )


def _right(markup: str) -> Paragraph:
    """The place and date line, above the right-hand signature (its centre)."""
    style = ParagraphStyle("report_date", parent=Styles.centre, leftIndent=LANDSCAPE_WIDTH / 2)
    return p(markup, style)
