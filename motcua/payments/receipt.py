"""The electronic receipt (biên lai điện tử) of an online payment, as PDF.

The collecting body gives a receipt for every amount of a fee or charge (Law on Fees and
Charges 97/2015/QH13; Decree 123/2020/NĐ-CP on invoices and receipts — article not checked
against the text). Its number is ``Payment.receipt_number``, set when the payment is
confirmed; the same number is recorded on the dossier's payment event. Laid out with the printed
forms' helpers (``motcua.dossiers.printing_layout``, ReportLab, embedded DejaVu Serif)."""

from django.utils import translation
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from motcua.catalogue.money import format_vnd
from motcua.dossiers.printing_layout import (
    WIDTH,
    Heading,
    Styles,
    build,
    grid,
    heading,
    local,
    p,
    place_and_date,
    signatures,
    text,
    time_and_date,
    title,
)
from motcua.payments.models import Payment, PaymentState, Purpose


class NoReceipt(Exception):
    """Only a paid payment has a receipt."""


def receipt_pdf(payment: Payment) -> bytes:
    """The receipt of a paid payment, in Vietnamese whatever the reader's language."""
    with translation.override("vi"):
        return _receipt_pdf(payment)


def _receipt_pdf(payment: Payment) -> bytes:
    if payment.state not in (PaymentState.PAID, PaymentState.REFUNDED) or not payment.paid_at:
        raise NoReceipt(payment.txn_ref)
    dossier = payment.dossier
    agency = dossier.receiving_agency
    paid = local(payment.paid_at)
    what = (
        "Phí, lệ phí giải quyết thủ tục hành chính"
        if payment.purpose == Purpose.FEE
        else "Nghĩa vụ tài chính theo yêu cầu trong quá trình giải quyết"
    )
    rows: list[list[object]] = [
        [p("<b>Nội dung</b>", Styles.cell_centre), p("<b>Số tiền</b>", Styles.cell_centre)],
        [p(text(what), Styles.cell), p(text(format_vnd(payment.amount)), Styles.cell_centre)],
    ]
    story: list[Flowable] = [
        *heading(
            Heading(
                agency=agency.name,
                number=f"{payment.receipt_number}/BLĐT",
                place="",
                on=paid.date(),
            )
        ),
        *title("BIÊN LAI THU TIỀN ĐIỆN TỬ", f"Số: {text(payment.receipt_number or '')}"),
        p(f"Hồ sơ số: <b>{text(dossier.code)}</b>"),
        p(f"Người nộp tiền: {text(dossier.applicant_name)}"),
        p(f"Hình thức thanh toán: trực tuyến qua cổng thanh toán ({text(payment.gateway)})"),
        p(f"Mã giao dịch: {text(payment.txn_ref)} — số giao dịch: {text(payment.transaction_no)}"),
        p(f"Thời điểm thanh toán: {time_and_date(payment.paid_at)}"),
        Spacer(1, 3 * mm),
        grid(rows, [WIDTH * 0.7, WIDTH * 0.3]),
        Spacer(1, 3 * mm),
        p(f"Tổng số tiền: <b>{text(format_vnd(payment.amount))}</b>"),
        Spacer(1, 6 * mm),
        p(place_and_date("", paid.date()), Styles.centre),
        signatures(("ĐƠN VỊ THU TIỀN", "biên lai điện tử, không cần chữ ký tay", "")),
    ]
    if payment.state == PaymentState.REFUNDED:
        story.insert(0, p("<b>ĐÃ HOÀN TIỀN</b>", Styles.centre))
    return build(
        story,
        title=f"Biên lai {payment.receipt_number}",
        subject=f"Biên lai thu tiền điện tử, hồ sơ {dossier.code}",
    )
