"""The forms of Circular 03/2025/TT-VPCP (01–06) as PDF, each a function of plain data.

The renderers know nothing of the database, so the desk can print a Form 02 from what it ticked
before any dossier exists, and tests can render any form from literals. ``printing.py`` builds
the data from a dossier and its events. Wording follows the forms as reproduced in Decision
3621/QĐ-BYT (24/11/2025); where the software knows a value it prints it, where an officer
writes it by hand (a number, a ledger book) it prints dots."""

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from motcua.dossiers.printing_layout import (
    DOTS,
    WIDTH,
    Heading,
    QRCode,
    Styles,
    build,
    grid,
    heading,
    local,
    p,
    plain_table,
    signatures,
    text,
    time_and_date,
    title,
)


@dataclass(frozen=True)
class Person:
    """An applicant (person or organisation) or a proxy as the forms print them."""

    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class DocumentLine:
    name: str
    form: str  # printed label, e.g. "Bản chính"
    copies: int = 1


@dataclass(frozen=True)
class Receipt:
    """Form 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    heading: Heading
    code: str
    receiving_unit: str
    applicant: Person
    request: str
    documents: list[DocumentLine]
    statutory_time: str
    received_at: dt.datetime
    return_at: dt.datetime | None
    collect_at: str
    tracking_url: str
    tracking_pin: str = ""
    proxy: Person | None = None
    sets: int = 1
    ledger_sequence: str = ""
    officer: str = ""


@dataclass(frozen=True)
class SupplementRequest:
    """Form 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    heading: Heading
    applicant: Person
    request: str
    items: list[str]
    reason: str = ""
    code: str = ""
    officer: str = ""
    officer_phone: str = ""
    # A further request while processing: the head of the agency who allowed it, when, why.
    request_number: int = 0
    allowed_by: str = ""
    allowed_on: dt.datetime | None = None
    allowed_reason: str = ""
    # Papers outside the case's published list, each with the legal basis the officer typed
    # (Decree 61/2018 art. 5; ``extra_papers.py``): printed after the items, marked.
    extra_papers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Refusal:
    """Form 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    heading: Heading
    receiving_unit: str
    applicant: Person
    request: str
    reasons: list[str]
    code: str = ""
    officer: str = ""


@dataclass(frozen=True)
class Apology:
    """Form 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết (2018: Phiếu xin lỗi
    và hẹn lại ngày trả kết quả)."""

    heading: Heading
    agency: str
    applicant: Person
    received_on: dt.datetime | None
    procedure: str
    code: str
    original_return_at: dt.datetime | None
    reason: str
    new_return_at: dt.datetime
    signed_by: str
    late: bool = False  # sent after the last day to extend (the dossier was already late)
    title: str = "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"


@dataclass(frozen=True)
class StopNotice:
    """Form 05 (Circular 03/2025): Thông báo dừng giải quyết hồ sơ, with the reason."""

    heading: Heading
    agency: str
    applicant: Person
    received_on: dt.datetime | None
    procedure: str
    code: str
    reason: str
    stopped_at: dt.datetime
    signed_by: str
    title: str = "Thông báo dừng giải quyết hồ sơ"


@dataclass(frozen=True)
class ControlRow:
    """One hand-over on the control sheet: ``agency`` empty where it is the row above's."""

    agency: str
    unit: str
    step: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    handed_at: dt.datetime | None
    giver: str
    receiver: str
    result: str  # "Trước hạn" / "Đúng hạn" / "Quá hạn", or "" while the step is open
    note: str = ""


@dataclass(frozen=True)
class ControlSheet:
    """Form 06 (2018: 05): Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    heading: Heading
    code: str
    lead: str
    coordinating: list[str]
    received_at: dt.datetime | None
    return_at: dt.datetime | None
    rows: list[ControlRow] = field(default_factory=list)
    receipt_number: str = ""
    title: str = "Phiếu kiểm soát quá trình giải quyết hồ sơ"


def _pdf_title(h: Heading, name: str) -> str:
    """The PDF's title: ``Mẫu số 01 - H56.22-260302-0001``."""
    return f"{h.form_label or 'Mẫu'} - {name}"


def _line(label: str, value: str) -> Flowable:
    return p(f"{text(label)}: {text(value) if value else DOTS}")


def _person(person: Person, *, prefix: str = "Ông/Bà/Tổ chức") -> list[Flowable]:
    return [
        p(f"{prefix}: <b>{text(person.name)}</b>"),
        _line("Số định danh cá nhân/Mã số doanh nghiệp", person.id_number),
        _line("Địa chỉ", person.address),
        p(
            f"Số điện thoại: {text(person.phone) or DOTS}"
            f" &nbsp;&nbsp; Thư điện tử: {text(person.email) or DOTS}"
        ),
    ]


def _receipt_documents(r: Receipt) -> list[list[Paragraph]]:
    """The receipt's table of papers: a header row, then one row a paper with its form and
    number of copies."""
    return [
        [p("<b>STT</b>", Styles.cell_centre), p("<b>Tên giấy tờ</b>", Styles.cell_centre),
         p("<b>Hình thức</b>", Styles.cell_centre), p("<b>Số lượng</b>", Styles.cell_centre)],
        *(
            [p(str(i), Styles.cell_centre), p(text(d.name), Styles.cell),
             p(text(d.form), Styles.cell_centre), p(f"{d.copies:02d}", Styles.cell_centre)]
            for i, d in enumerate(r.documents, 1)
        ),
    ]  # fmt: skip


def _receipt_applicant(r: Receipt) -> list[Flowable]:
    """Who the unit received the dossier from, with the tracking QR code beside the applicant's
    lines (where the desk stamps it on paper), then the proxy's lines if any."""
    qr = QRCode(r.tracking_url, 26 * mm)
    proxy: list[Flowable] = []
    if r.proxy is not None:
        proxy = [
            p(f"Người được ủy quyền: <b>{text(r.proxy.name)}</b>"),
            _line("Số định danh cá nhân", r.proxy.id_number),
            _line("Số điện thoại", r.proxy.phone),
        ]
    return [
        plain_table(
            [
                [
                    [
                        p(f"<b>{text(r.receiving_unit)}</b> tiếp nhận hồ sơ của:"),
                        *_person(r.applicant),
                    ],
                    [qr, p("Tra cứu hồ sơ", Styles.small_centre)],
                ]
            ],
            [WIDTH - 30 * mm, 30 * mm],
        ),
        *proxy,
    ]


def receipt_pdf(r: Receipt) -> bytes:
    """Form 01, with a QR code of the public tracking address beside the title."""
    documents = _receipt_documents(r)
    story: list[Flowable] = [
        *heading(r.heading),
        *title("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {text(r.code)}"),
        *_receipt_applicant(r),
        p(f"Nội dung yêu cầu giải quyết: <b>{text(r.request)}</b>"),
        p("1. Thành phần hồ sơ và số lượng mỗi loại giấy tờ gồm:"),
        grid(documents, [12 * mm, WIDTH - 12 * mm - 45 * mm - 18 * mm, 45 * mm, 18 * mm]),
        Spacer(1, 2 * mm),
        p(f"2. Số lượng hồ sơ: {r.sets:02d} bộ."),
        p(f"3. Thời gian giải quyết hồ sơ theo quy định là: {text(r.statutory_time)}."),
        p(f"4. Thời gian nhận hồ sơ: <b>{time_and_date(r.received_at)}</b>."),
        p(
            "5. Thời gian trả kết quả giải quyết hồ sơ: <b>"
            f"{time_and_date(r.return_at, 'không quy định thời hạn')}</b>."
        ),
        p(f"6. Đăng ký nhận kết quả tại: {text(r.collect_at)}."),
        p(f"Vào Sổ theo dõi hồ sơ, Quyển số: {DOTS} Số thứ tự: {text(r.ledger_sequence) or DOTS}"),
        p(f"Tra cứu tình trạng hồ sơ tại: {text(r.tracking_url)}", Styles.small),
        *(
            [p(f"Mã PIN tra cứu (giữ bí mật): <b>{text(r.tracking_pin)}</b>", Styles.small)]
            if r.tracking_pin
            else []
        ),
        Spacer(1, 4 * mm),
        KeepTogether(
            signatures(
                ("NGƯỜI NỘP HỒ SƠ", "Ký và ghi rõ họ tên", r.applicant.name),
                ("NGƯỜI TIẾP NHẬN HỒ SƠ", "Ký và ghi rõ họ tên", r.officer),
            )
        ),
    ]
    return build(
        story,
        title=_pdf_title(r.heading, r.code),
        subject="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    )


def supplement_pdf(s: SupplementRequest) -> bytes:
    """Form 02: each missing item numbered, the reason, and whom to ask."""
    items = [p(f"{i}. {text(item)}") for i, item in enumerate(s.items, 1)]
    first = len(s.items) + 1
    items += [
        p(
            f"{i}. {text(name)} — <b>giấy tờ ngoài danh mục đã công bố</b>; "
            f"căn cứ pháp lý: <i>{text(basis)}</i>"
        )
        for i, (name, basis) in enumerate(s.extra_papers, first)
    ]
    contact = text(s.officer) or DOTS
    phone = text(s.officer_phone) or DOTS
    story: list[Flowable] = [
        *heading(s.heading),
        *title("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
        p(f"Hồ sơ của: <b>{text(s.applicant.name)}</b>"),
        _line("Số định danh cá nhân/Mã số doanh nghiệp", s.applicant.id_number),
        p(f"Nội dung yêu cầu giải quyết: <b>{text(s.request)}</b>"),
        _line("Mã hồ sơ (nếu có)", s.code),
        p("Yêu cầu bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:"),
        *items,
        p(f"Lý do: {text(s.reason) or DOTS}"),
        *(
            [
                p(
                    f"Yêu cầu bổ sung lần thứ {s.request_number} trong quá trình giải quyết, "
                    f"được thủ trưởng cơ quan <b>{text(s.allowed_by)}</b> cho phép ngày "
                    f"{s.allowed_on.strftime('%d/%m/%Y') if s.allowed_on else DOTS}. "
                    f"Lý do: {text(s.allowed_reason)}"
                )
            ]
            if s.allowed_by
            else []
        ),
        p(
            "Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà/tổ chức liên hệ với "
            f"<b>{contact}</b>, số điện thoại <b>{phone}</b> để được hướng dẫn."
        ),
        Spacer(1, 4 * mm),
        KeepTogether(signatures(("NGƯỜI HƯỚNG DẪN", "Ký và ghi rõ họ tên", s.officer))),
    ]
    return build(story, title=_pdf_title(s.heading, s.code or s.applicant.name),
                 subject="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")  # fmt: skip


def refusal_pdf(r: Refusal) -> bytes:
    """Form 03: the refusal with each reason."""
    story: list[Flowable] = [
        *heading(r.heading),
        *title("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
        p(f"<b>{text(r.receiving_unit)}</b> tiếp nhận hồ sơ của:"),
        p(f"Ông/Bà/Tổ chức: <b>{text(r.applicant.name)}</b>"),
        _line("Số định danh cá nhân/Mã số doanh nghiệp", r.applicant.id_number),
        _line("Mã hồ sơ (nếu có)", r.code),
        p(f"Nội dung yêu cầu giải quyết: <b>{text(r.request)}</b>"),
        p(
            "Qua xem xét, cơ quan, đơn vị thông báo không tiếp nhận, giải quyết hồ sơ này "
            "với lý do cụ thể như sau:"
        ),
        *(p(f"{i}. {text(reason)}") for i, reason in enumerate(r.reasons, 1)),
        p("Xin thông báo để ông/bà/tổ chức được biết và thực hiện./."),
        Spacer(1, 4 * mm),
        KeepTogether(
            signatures(
                ("NGƯỜI NỘP HỒ SƠ", "Ký và ghi rõ họ tên", r.applicant.name),
                ("NGƯỜI TIẾP NHẬN HỒ SƠ", "Ký và ghi rõ họ tên", r.officer),
            )
        ),
    ]
    return build(story, title=_pdf_title(r.heading, r.code or r.applicant.name),
                 subject="Phiếu từ chối tiếp nhận giải quyết hồ sơ")  # fmt: skip


def _letter_opening(letter: Apology | StopNotice, received: str) -> list[Flowable]:
    """The opening of a letter from the agency to the applicant (Forms 04 and 05): heading,
    title, "Kính gửi", the day the agency ``received`` the dossier, the applicant's number and
    the dossier's code."""
    day = letter.received_on.strftime("%d/%m/%Y") if letter.received_on else DOTS
    return [
        *heading(letter.heading),
        *title(letter.title.upper()),
        p(f"Kính gửi: <b>{text(letter.applicant.name)}</b>", Styles.centre),
        Spacer(1, 3 * mm),
        p(
            f"Ngày {day}, {text(letter.agency)} {received} đề nghị giải quyết thủ tục: "
            f"<b>{text(letter.procedure)}</b>."
        ),
        _line("Số định danh cá nhân/Mã số doanh nghiệp", letter.applicant.id_number),
        p(f"Mã hồ sơ: <b>{text(letter.code)}</b>"),
    ]


def _head_signs(signed_by: str) -> Flowable:
    """The head of the agency's signature, on the right half of the page."""
    head = signatures(
        ("THỦ TRƯỞNG CƠ QUAN", "Ký, ghi rõ họ tên và đóng dấu", signed_by), width=WIDTH * 0.6
    )
    return KeepTogether(plain_table([["", head]], [WIDTH * 0.4, WIDTH * 0.6]))


def apology_pdf(a: Apology) -> bytes:
    """Form 04: the apology with the reason and the new return date, signed by the head."""
    story: list[Flowable] = [
        *_letter_opening(a, "tiếp nhận giải quyết hồ sơ của ông/bà/tổ chức"),
        p(
            "Thời gian hẹn trả kết quả giải quyết hồ sơ: "
            f"<b>{time_and_date(a.original_return_at, 'không quy định thời hạn')}</b>."
        ),
        p(
            f"Tuy nhiên đến nay, {text(a.agency)} chưa trả kết quả giải quyết hồ sơ cho "
            f"ông/bà/tổ chức. Lý do: {text(a.reason)}."
        ),
        p(
            f"Sự chậm trễ này đã gây phiền hà cho ông/bà/tổ chức. {text(a.agency)} xin lỗi "
            "ông/bà/tổ chức và sẽ trả kết quả giải quyết hồ sơ cho ông/bà/tổ chức vào "
            f"<b>{time_and_date(a.new_return_at)}</b>."
        ),
        p("Xin trân trọng cảm ơn./."),
        *(
            [
                p(
                    "<i>Ghi chú: văn bản xin lỗi gửi muộn, khi hồ sơ đã quá hạn giải quyết "
                    "(sau thời hạn chậm nhất 01 ngày làm việc trước ngày hẹn trả kết quả).</i>"
                )
            ]
            if a.late
            else []
        ),
        Spacer(1, 4 * mm),
        _head_signs(a.signed_by),
    ]
    return build(story, title=_pdf_title(a.heading, a.code), subject=a.title)


def _times(row: ControlRow) -> str:
    """The step's received, due and handed-over instants, one a line (a dash for one not yet
    reached), each ``09:00 02/03/2026``: short enough to stay on one line of the cell."""
    return "<br/>".join(
        local(at).strftime("%H:%M %d/%m/%Y") if at is not None else "–"
        for at in (row.received_at, row.due_at, row.handed_at)
    )


def control_sheet_pdf(c: ControlSheet) -> bytes:
    """The control sheet: one row per step, from reception to return, each judged on the
    receiving side; the agency printed where it changes, the giver and the receiver each with
    their agency, names wrapped in their cells, never cut."""
    head: list[object] = [p(f"<b>{h}</b>", Styles.cell_centre) for h in (
        "TT", "Cơ quan, đơn vị / bước xử lý", "Nhận hồ sơ<br/>Hạn xử lý<br/>Giao hồ sơ",
        "Người giao / người nhận", "Kết quả", "Ghi chú",
    )]  # fmt: skip
    rows: list[list[object]] = [head]
    for i, row in enumerate(c.rows, 1):
        where = [f"<b>{text(row.agency)}</b>"] if row.agency else []
        if row.unit:
            where.append(f"<i>{text(row.unit)}</i>")
        where.append(text(row.step))
        people = f"Giao: {text(row.giver) or DOTS}<br/>Nhận: {text(row.receiver) or DOTS}"
        rows.append(
            [
                p(str(i), Styles.cell_centre),
                p("<br/>".join(where), Styles.cell),
                p(_times(row), Styles.cell),
                p(people, Styles.cell),
                p(text(row.result), Styles.cell_centre),
                p(text(row.note), Styles.cell),
            ]
        )
    widths = [7 * mm, 44 * mm, 29 * mm, 42 * mm, 16 * mm]
    widths.append(WIDTH - sum(widths))
    coordinating = "; ".join(c.coordinating)
    story: list[Flowable] = [
        *heading(c.heading),
        *title(c.title.upper(), f"Mã hồ sơ: {text(c.code)}"),
        p(
            "(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: "
            f"{text(c.receipt_number) or DOTS})",
            Styles.centre,
        ),
        Spacer(1, 2 * mm),
        _line("Cơ quan (bộ phận) giải quyết hồ sơ", c.lead),
        _line("Cơ quan phối hợp giải quyết hồ sơ", coordinating or "không"),
        p(f"Thời gian nhận hồ sơ: <b>{time_and_date(c.received_at)}</b>"),
        p(
            "Thời gian hẹn trả kết quả: "
            f"<b>{time_and_date(c.return_at, 'không quy định thời hạn')}</b>"
        ),
        Spacer(1, 2 * mm),
        grid(rows, widths),
        Spacer(1, 2 * mm),
        p(
            "<i>Kết quả: Trước hạn / Đúng hạn / Quá hạn, do phần mềm xác định theo ngày, "
            "tại bên nhận hồ sơ.</i>",
            Styles.small,
        ),
    ]
    return build(story, title=_pdf_title(c.heading, c.code), subject=c.title)


def stop_notice_pdf(n: StopNotice) -> bytes:
    """Form 05 (Circular 03/2025): the applicant is told that processing of the dossier has
    stopped, and why; signed by the leader who stopped it."""
    story: list[Flowable] = [
        *_letter_opening(n, "tiếp nhận hồ sơ của ông/bà/tổ chức"),
        p(
            f"{text(n.agency)} thông báo dừng giải quyết hồ sơ nêu trên kể từ "
            f"<b>{time_and_date(n.stopped_at)}</b>, với lý do như sau:"
        ),
        *(p(text(line)) for line in (n.reason.splitlines() or [DOTS]) if line.strip()),
        p("Xin thông báo để ông/bà/tổ chức được biết./."),
        Spacer(1, 4 * mm),
        _head_signs(n.signed_by),
    ]
    return build(story, title=_pdf_title(n.heading, n.code), subject=n.title)
