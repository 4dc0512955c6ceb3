"""The numbers, symbols and titles of the one-stop forms, per numbering scheme.

Circular 03/2025/TT-VPCP (guiding Decree 118/2025/NĐ-CP; Annex I, as reproduced in Decision
3621/QĐ-BYT of 24/11/2025) numbers the forms 01–07 and adds Form 05, the notice of stopping
processing, which pushes the control sheet to 06 and the ledger to 07. Circular 01/2018/TT-VPCP
(guiding Decree 61/2018/NĐ-CP) numbered them 01–06 and had no stopping notice. The 2025 scheme is
the default; ``MOTCUA_FORM_NUMBERING=2018`` prints the old numbers (see ``settings.py``).

Code names each form by its kind (``Form``), never by its number: the number depends on the
scheme, and the web addresses use the kind (``/forms/receipt.pdf``) with the number of the
scheme in force as an alias (``/forms/1.pdf``)."""

from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

SCHEME_2025 = "2025"
SCHEME_2018 = "2018"
SCHEMES = (SCHEME_2025, SCHEME_2018)


class Form(StrEnum):
    """A printed form of the one-stop mechanism, by what it is."""

    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP_NOTICE = "stop-notice"
    CONTROL_SHEET = "control-sheet"
    LEDGER = "ledger"


@dataclass(frozen=True)
class Numbered:
    """A form as a scheme numbers it: ``number`` 0 when the scheme has no such form (it is
    printed without a form number), ``symbol`` the letters after the document number
    (``0007/TTPVHCC``, ``…/PBS``; empty when the form carries none)."""

    number: int
    symbol: str
    title: str

    @property
    def label(self) -> str:
        """``Mẫu số 01``, or empty for a form the scheme does not number."""
        return f"Mẫu số {self.number:02d}" if self.number else ""


_RECEIPT = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
_SUPPLEMENT = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
_REFUSAL = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
_STOP = "Thông báo dừng giải quyết hồ sơ"
_CONTROL = "Phiếu kiểm soát quá trình giải quyết hồ sơ"
_LEDGER = "Sổ theo dõi hồ sơ"

NUMBERING: dict[str, dict[Form, Numbered]] = {
    # Circular 03/2025/TT-VPCP, Annex I: forms 01–07.
    SCHEME_2025: {
        Form.RECEIPT: Numbered(1, "TTPVHCC", _RECEIPT),
        Form.SUPPLEMENT: Numbered(2, "PBS", _SUPPLEMENT),
        Form.REFUSAL: Numbered(3, "PTC", _REFUSAL),
        Form.APOLOGY: Numbered(4, "PXL", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
        Form.STOP_NOTICE: Numbered(5, "", _STOP),
        Form.CONTROL_SHEET: Numbered(6, "", _CONTROL),
        Form.LEDGER: Numbered(7, "", _LEDGER),
    },
    # Circular 01/2018/TT-VPCP: forms 01–06, no notice of stopping processing.
    SCHEME_2018: {
        Form.RECEIPT: Numbered(1, "TTPVHCC", _RECEIPT),
        Form.SUPPLEMENT: Numbered(2, "PBS", _SUPPLEMENT),
        Form.REFUSAL: Numbered(3, "PTC", _REFUSAL),
        Form.APOLOGY: Numbered(4, "PXL", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        Form.STOP_NOTICE: Numbered(0, "", _STOP),
        Form.CONTROL_SHEET: Numbered(5, "", _CONTROL),
        Form.LEDGER: Numbered(6, "", _LEDGER),
    },
}


def scheme() -> str:
    """The numbering in force: ``settings.MOTCUA_FORM_NUMBERING``, "2025" unless set."""
    return str(getattr(settings, "MOTCUA_FORM_NUMBERING", SCHEME_2025))


def numbered(form: Form, in_scheme: str | None = None) -> Numbered:
    return NUMBERING[in_scheme or scheme()][form]


def form_for_number(number: int, in_scheme: str | None = None) -> Form | None:
    """The form a scheme prints as ``number`` (the numbered web addresses), or ``None``."""
    for form, entry in NUMBERING[in_scheme or scheme()].items():
        if entry.number == number:
            return form
    return None


def form_for_name(name: str) -> Form | None:
    """The form named ``name`` (``receipt``, ``control-sheet``…) or the one numbered ``name``
    (``1``, ``06``) in the scheme in force; ``None`` for neither."""
    if name.isdigit():
        return form_for_number(int(name))
    try:
        return Form(name)
    except ValueError:
        return None
