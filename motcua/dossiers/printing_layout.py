"""Page layout shared by the printed forms: the embedded font, paragraph styles, the heading of
an administrative document, signature blocks and the QR code, drawn with ReportLab.

The heading follows Decree 30/2020/NĐ-CP (format of administrative documents): the issuing
body on the left (its parent body above it), the national motto on the right, the number below
the body and the place and date below the motto. Official documents are set in a serif face;
we embed DejaVu Serif (shipped in ``fonts/``, Bitstream Vera licence) because it covers every
Vietnamese letter and needs nothing from the host or the network."""

import datetime as dt
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from motcua.dossiers.deadlines import VIETNAM

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "MotCuaSerif"
_FACES = {
    FONT: "DejaVuSerif.ttf",
    f"{FONT}-Bold": "DejaVuSerif-Bold.ttf",
    f"{FONT}-Italic": "DejaVuSerif-Italic.ttf",
    f"{FONT}-BoldItalic": "DejaVuSerif-BoldItalic.ttf",
}
MOTTO_COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOTS = "…"
MARGINS = {"left": 25 * mm, "right": 15 * mm, "top": 15 * mm, "bottom": 15 * mm}
# ReportLab's frame pads its content by 6 pt on each side: tables fill what is left.
WIDTH = A4[0] - MARGINS["left"] - MARGINS["right"] - 12
# The same on A4 landscape (the report tables, the ledger).
LANDSCAPE_WIDTH = A4[1] - MARGINS["left"] - MARGINS["right"] - 12


_registered: list[bool] = []


def register_fonts() -> None:
    """Register the four faces once per process, as one family so ``<b>``/``<i>`` work."""
    if _registered:
        return
    for name, filename in _FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )  # fmt: skip
    _registered.append(True)


def text(value: object) -> str:
    """User data made safe for Paragraph markup. NFC, because ReportLab places glyphs one by
    one and cannot stack a combining mark on its letter (a decomposed “ệ” would print as two
    glyphs)."""
    return escape(unicodedata.normalize("NFC", str(value)))


def _style(name: str, size: float = 11, **kwargs: object) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=FONT, fontSize=size, leading=size * 1.35, **kwargs)  # type: ignore[arg-type]


class Styles:
    """The paragraph styles of the forms (13 pt body is the norm; 11 pt fits a form on a page)."""

    body = _style("body", alignment=TA_JUSTIFY, spaceAfter=3)
    left = _style("left", alignment=TA_LEFT)
    centre = _style("centre", alignment=TA_CENTER)
    small = _style("small", 9, alignment=TA_LEFT)
    small_centre = _style("small_centre", 9, alignment=TA_CENTER)
    cell = _style("cell", 8.5, alignment=TA_LEFT)
    cell_centre = _style("cell_centre", 8.5, alignment=TA_CENTER)
    heading_left = _style("heading_left", 10.5, alignment=TA_CENTER)
    heading_right = _style("heading_right", 10.5, alignment=TA_CENTER)
    title = _style("title", 13, alignment=TA_CENTER, spaceBefore=10, spaceAfter=2)
    label = _style("label", 10, alignment=TA_RIGHT, spaceAfter=2)


def p(markup: str, style: ParagraphStyle = Styles.body) -> Paragraph:
    register_fonts()  # before the first paragraph parses its markup
    return Paragraph(markup, style)


def local(instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(VIETNAM)


def time_and_date(instant: dt.datetime | None, empty: str = DOTS) -> str:
    """``09:00 ngày 02/03/2026`` in Vietnam's time."""
    if instant is None:
        return empty
    return local(instant).strftime("%H:%M ngày %d/%m/%Y")


def short_time(instant: dt.datetime | None) -> str:
    """``10:00<br/>02/03/2026``: time above date, for narrow table cells."""
    return local(instant).strftime("%H:%M<br/>%d/%m/%Y") if instant else ""


def place_and_date(place: str, on: dt.date | None) -> str:
    where = text(place) if place else DOTS
    if on is None:
        return f"{where}, ngày {DOTS} tháng {DOTS} năm {DOTS}"
    return f"{where}, ngày {on.day:02d} tháng {on.month:02d} năm {on.year}"


@dataclass(frozen=True)
class Heading:
    """The top of an administrative document (Decree 30/2020/NĐ-CP, appendix I)."""

    agency: str
    parent: str = ""
    number: str = ""  # e.g. "0007/TTPVHCC"; dots when the desk numbers by hand
    place: str = ""
    on: dt.date | None = None
    reference: bool = True  # the number and date line; the control sheet has none
    form_label: str = ""  # "Mẫu số 01", above the motto, as the circular's annex prints it


def heading(h: Heading, width: float = WIDTH) -> list[Flowable]:
    """The heading across ``width`` (the portrait text width unless told, e.g. landscape)."""
    left = []
    if h.parent:
        left.append(p(text(h.parent.upper()), Styles.heading_left))
    left.append(p(f"<b>{text(h.agency.upper())}</b>", Styles.heading_left))
    left.append(p("―――――", Styles.heading_left))
    right = [
        p(f"<b>{MOTTO_COUNTRY}</b>", Styles.heading_right),
        p(f"<b>{MOTTO}</b>", Styles.heading_right),
        p("―――――――――――", Styles.heading_right),
    ]
    number = text(h.number) if h.number else f"{DOTS}/{DOTS}"
    rows: list[list[object]] = [[left, right]]
    if h.reference:
        rows.append(
            [
                p(f"Số: {number}", Styles.heading_left),
                p(f"<i>{place_and_date(h.place, h.on)}</i>", Styles.heading_right),
            ]
        )
    table = Table(
        rows,
        colWidths=[width * 0.42, width * 0.58],
    )
    table.setStyle(_plain_table())
    return [form_label(h.form_label), table] if h.form_label else [table]


def form_label(label: str) -> Flowable:
    """``Mẫu số 01`` at the top right of the page (empty: nothing)."""
    return p(f"<i>{text(label)}</i>", Styles.label) if label else Spacer(1, 0)


# About the characters of a title line at 13 pt bold across the text width.
_TITLE_LINE = 50


def _balanced(main: str) -> str:
    """A title too long for one line broken at the space nearest its middle, so that it
    prints as two even lines rather than a full one and a lone last word."""
    if len(main) <= _TITLE_LINE or " " not in main:
        return text(main)
    middle = len(main) // 2
    spaces = [i for i, c in enumerate(main) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{text(main[:cut])}<br/>{text(main[cut + 1 :])}"


def title(main: str, *subtitles: str) -> list[Flowable]:
    flow: list[Flowable] = [p(f"<b>{_balanced(main)}</b>", Styles.title)]
    flow += [p(f"<i>{s}</i>", Styles.centre) for s in subtitles]
    flow.append(Spacer(1, 4 * mm))
    return flow


def signatures(*blocks: tuple[str, str, str], width: float = WIDTH) -> Table:
    """Signature blocks side by side across ``width``: (role in capitals, hint, name)."""
    cells = [
        [
            p(f"<b>{text(role)}</b>", Styles.centre),
            p(f"<i>({text(hint)})</i>", Styles.small_centre),
            Spacer(1, 20 * mm),
            p(f"<b>{text(name)}</b>" if name else "", Styles.centre),
        ]
        for role, hint, name in blocks
    ]
    table = Table([cells], colWidths=[width / len(blocks)] * len(blocks))
    table.setStyle(_plain_table())
    return table


def grid(rows: Sequence[Sequence[object]], widths: Sequence[float], header_rows: int = 1) -> Table:
    """A ruled table whose first ``header_rows`` rows are bold, centred and repeat on each page."""
    table = Table(list(map(list, rows)), colWidths=list(widths), repeatRows=header_rows)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#f0f0f0")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def plain_table(rows: list[list[object]], widths: list[float]) -> Table:
    """An unruled table for placing blocks side by side."""
    table = Table(rows, colWidths=widths)
    table.setStyle(_plain_table())
    return table


def _plain_table() -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )


class QRCode(Flowable):
    """A QR code drawn as vector squares (crisp at any zoom, scans from paper), made by segno."""

    def __init__(self, payload: str, size: float = 28 * mm) -> None:
        super().__init__()
        self.payload = payload
        self.qr = segno.make(payload, error="m", micro=False)
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        matrix = [list(row) for row in self.qr.matrix_iter(border=2)]
        module = self.size / len(matrix)
        canvas = self.canv
        canvas.setFillColor(colors.black)
        for r, row in enumerate(matrix):
            for c, dark in enumerate(row):
                if dark:
                    y = self.size - (r + 1) * module
                    canvas.rect(c * module, y, module, module, stroke=0, fill=1)


def build(
    story: list[Flowable], *, title: str, subject: str, pagesize: tuple[float, float] = A4
) -> bytes:
    """Lay ``story`` out on A4 pages and return the PDF, with page numbers from page 2."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=unicodedata.normalize("NFC", title),
        subject=subject,
        author="MộtCửa",
        creator="MộtCửa (motcua)",
    )
    doc.build(story, onLaterPages=_page_number)
    return buffer.getvalue()


def _page_number(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(doc.pagesize[0] / 2, 8 * mm, f"Trang {doc.page}")
