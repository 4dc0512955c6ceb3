"""The tables of the catalogue's XLSX and CSV forms (docs/catalogue-format.md): sheets, columns,
Vietnamese labels, the values each column accepts, how one cell is read and written, and the
error types. ``tabular.py`` builds the catalogue from these pieces.

Kept apart so the instructions sheet, the readers and the writers describe the same columns from
one place. No Django import: the enum values are spelled out here and must follow the model
choices in ``catalogue.models`` (TimeUnit, DocumentForm, FeeKind, OnlineLevel, accounts Role).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

SHEETS: tuple[str, ...] = ("procedures", "cases", "documents", "fees", "steps")

COLUMNS: dict[str, tuple[str, ...]] = {
    "procedures": (
        "code",
        "name",
        "field_code",
        "field_name",
        "levels",
        "competent_authority",
        "receiving_authority",
        "online_level",
        "legal_basis",
        "inter_agency",
        "residence_free",
        "result",
        "decision_number",
        "decision_signed_on",
        "decision_issuer",
        "decision_effective_from",
        "decision_title",
        "result_electronic",
    ),
    "cases": ("procedure_code", "case_code", "case_name", "processing_time", "time_unit"),
    "documents": (
        "procedure_code",
        "case_code",
        "position",
        "name",
        "form",
        "copies",
        "mandatory",
        "eform",
    ),
    "fees": ("procedure_code", "case_code", "kind", "name", "amount", "note"),
    "steps": (
        "procedure_code",
        "case_code",
        "position",
        "name",
        "role",
        "unit",
        "allowance",
        "agency",
    ),
}

# Columns a sheet cannot do without. processing_time is here although a `none`-unit case leaves it
# empty: the column itself must be there for every other case.
REQUIRED_COLUMNS: dict[str, frozenset[str]] = {
    "procedures": frozenset(
        (
            "code",
            "name",
            "field_code",
            "levels",
            "competent_authority",
            "online_level",
            "decision_number",
        )
    ),
    "cases": frozenset(COLUMNS["cases"]),
    "documents": frozenset(("procedure_code", "case_code", "position", "name", "form")),
    "fees": frozenset(("procedure_code", "case_code", "kind", "name", "amount")),
    "steps": frozenset(COLUMNS["steps"]) - {"agency"},
}

SHEET_LABELS_VI: dict[str, str] = {
    "procedures": "Thủ tục",
    "cases": "Trường hợp",
    "documents": "Thành phần hồ sơ",
    "fees": "Phí, lệ phí",
    "steps": "Quy trình nội bộ",
}

_PROCEDURE_CODE = "Mã thủ tục"
_CASE_CODE = "Mã trường hợp"

HEADER_LABELS_VI: dict[str, dict[str, str]] = {
    "procedures": {
        "code": _PROCEDURE_CODE,
        "name": "Tên thủ tục",
        "field_code": "Mã lĩnh vực",
        "field_name": "Tên lĩnh vực",
        "levels": "Cấp thực hiện",
        "competent_authority": "Cơ quan có thẩm quyền",
        "receiving_authority": "Cơ quan tiếp nhận hồ sơ",
        "online_level": "Mức độ dịch vụ công trực tuyến",
        "legal_basis": "Căn cứ pháp lý",
        "inter_agency": "Liên thông",
        "residence_free": "Không phụ thuộc địa giới hành chính",
        "result_electronic": "Kết quả điện tử",
        "result": "Kết quả thực hiện",
        "decision_number": "Số quyết định công bố",
        "decision_signed_on": "Ngày ký quyết định",
        "decision_issuer": "Cơ quan ban hành quyết định",
        "decision_effective_from": "Ngày quyết định có hiệu lực",
        "decision_title": "Trích yếu quyết định",
    },
    "cases": {
        "procedure_code": _PROCEDURE_CODE,
        "case_code": _CASE_CODE,
        "case_name": "Tên trường hợp",
        "processing_time": "Thời hạn giải quyết",
        "time_unit": "Đơn vị thời gian",
    },
    "documents": {
        "procedure_code": _PROCEDURE_CODE,
        "case_code": _CASE_CODE,
        "position": "Số thứ tự",
        "name": "Tên giấy tờ",
        "form": "Hình thức",
        "copies": "Số lượng",
        "mandatory": "Bắt buộc",
        "eform": "Mẫu đơn, tờ khai",
    },
    "fees": {
        "procedure_code": _PROCEDURE_CODE,
        "case_code": _CASE_CODE,
        "kind": "Loại",
        "name": "Tên phí, lệ phí",
        "amount": "Mức thu (đồng)",
        "note": "Ghi chú",
    },
    "steps": {
        "procedure_code": _PROCEDURE_CODE,
        "case_code": _CASE_CODE,
        "position": "Bước",
        "name": "Nội dung công việc",
        "role": "Vai trò",
        "unit": "Đơn vị thực hiện",
        "allowance": "Thời gian thực hiện",
        "agency": "Mã định danh cơ quan thực hiện",
    },
}

# Allowed values of the enum columns, each with its Vietnamese meaning for the instructions sheet.
LEVELS: dict[str, str] = {
    "central": "trung ương",
    "province": "cấp tỉnh",
    "district": "cấp huyện (chỉ dữ liệu trước 01/7/2025)",
    "commune": "cấp xã",
}
ENUMS: dict[str, dict[str, str]] = {
    "online_level": {"full": "toàn trình", "partial": "một phần", "none": "không trực tuyến"},
    "time_unit": {
        "working_days": "ngày làm việc",
        "working_hours": "giờ làm việc",
        "calendar_days": "ngày (kể cả ngày nghỉ)",
        "none": "không quy định thời hạn trả kết quả",
    },
    "form": {
        "original": "bản chính",
        "certified_copy": "bản sao chứng thực",
        "copy": "bản sao",
        "original_or_certified_copy": "bản chính hoặc bản sao chứng thực",
        "shown": "xuất trình bản chính để đối chiếu",
    },
    "kind": {"fee": "phí", "charge": "lệ phí"},
    "role": {
        "desk_officer": "cán bộ tiếp nhận, trả kết quả",
        "specialist": "chuyên viên",
        "head_of_department": "lãnh đạo phòng",
        "signing_leader": "lãnh đạo ký duyệt",
    },
}

BOOLEAN_COLUMNS = frozenset({"inter_agency", "residence_free", "result_electronic", "mandatory"})
DATE_COLUMNS = frozenset({"decision_signed_on", "decision_effective_from"})
DECIMAL_COLUMNS = frozenset({"processing_time", "allowance"})
INTEGER_COLUMNS = frozenset({"position", "copies", "amount"})

TRUE_WORDS = frozenset({"1", "true", "x", "có"})
FALSE_WORDS = frozenset({"0", "false", "", "không"})
_BOOLEAN_HINT = "1/0, true/false, x/để trống, có/không"


def _enum_hint(values: dict[str, str]) -> str:
    return "; ".join(f"{code} ({meaning})" for code, meaning in values.items())


# What the instructions sheet says a column accepts, where there is more to say than "text".
ALLOWED_VALUES: dict[str, str] = {
    "levels": _enum_hint(LEVELS) + "; nhiều cấp cách nhau bởi dấu phẩy hoặc chấm phẩy",
    **{column: _enum_hint(values) for column, values in ENUMS.items()},
    "inter_agency": _BOOLEAN_HINT + " (mặc định: không)",
    "residence_free": _BOOLEAN_HINT + " (mặc định: không)",
    "result_electronic": _BOOLEAN_HINT + " (mặc định: không)",
    "mandatory": _BOOLEAN_HINT + " (mặc định: có)",
    "decision_signed_on": "ngày YYYY-MM-DD",
    "decision_effective_from": "ngày YYYY-MM-DD, không trước ngày ký",
    "processing_time": "số > 0, ví dụ 5 hoặc 0.5; để trống khi time_unit là none",
    "allowance": "số ≥ 0, theo đơn vị thời gian của trường hợp",
    "position": "số nguyên ≥ 1, không trùng trong một trường hợp",
    "copies": "số nguyên ≥ 1 (mặc định: 1)",
    "amount": "số tiền nguyên (đồng) ≥ 0; 0 là miễn",
    "code": "mã thủ tục quốc gia dạng văn bản, ví dụ 1.001193",
    "procedure_code": "mã thủ tục có trong trang tính procedures",
    "case_code": "mã trường hợp, không trùng trong một thủ tục",
    "field_name": "chỉ cần khi lĩnh vực chưa có trong hệ thống",
    "decision_issuer": "bắt buộc khi khai báo quyết định mới",
}


# Messages, bilingual "Vietnamese / English": they reach import reports and the CLI as they are.
REQUIRED = "bắt buộc, không được để trống / required, must not be empty"
MISSING_SHEET = "thiếu trang tính / missing sheet"
MISSING_COLUMN = "thiếu cột bắt buộc / missing required column"
DUPLICATE_COLUMN = "cột bị lặp / duplicate column"
POSITIVE_DECIMAL = "phải là số lớn hơn 0 / must be a number greater than 0"
NON_NEGATIVE_DECIMAL = "phải là số không âm / must be a number ≥ 0"
POSITIVE_INTEGER = "phải là số nguyên dương / must be a positive integer"
AMOUNT = "phải là số tiền nguyên (đồng) không âm / must be a whole amount in đồng, ≥ 0"
BOOLEAN = (
    "phải là 1/0, true/false, x/để trống hoặc có/không"
    " / must be 1/0, true/false, x/empty or có/không"
)
DATE = "phải là ngày dạng YYYY-MM-DD / must be a date as YYYY-MM-DD"
TIME_WITHOUT_UNIT = (
    "phải để trống khi đơn vị thời gian là none / must be empty when time_unit is none"
)
NEW_DECISION = (
    "bắt buộc khi khai báo quyết định mới / required when the row describes a new decision"
)
EFFECTIVE_BEFORE_SIGNED = (
    "ngày hiệu lực không được trước ngày ký / effective date must not be before the signing date"
)
NO_HEADER = "ô có dữ liệu nhưng cột không có tên / value in a column without a header"
NO_CASES = "thủ tục chưa có trường hợp nào trong trang tính cases / procedure has no case in cases"
CODE_AS_NUMBER = (
    "hãy nhập mã thủ tục dạng văn bản: Excel đã chuyển thành số và có thể mất chữ số 0 ở cuối"
    " / enter the procedure code as text: Excel turned it into a number, which drops trailing zeros"
)


@dataclass(frozen=True)
class RowError:
    """One problem in an imported table. ``row`` is numbered as a spreadsheet shows it (header = 1);
    0 means the sheet (or file) as a whole."""

    sheet: str
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row:
            where += f", dòng {self.row}"
        if self.column:
            where += f", cột {self.column}"
        return f"{where}: {self.message}"


# Reading one cell


def normalise(text: str) -> str:
    """Comparable form of a user-typed word: Vietnamese typed on Windows and macOS differ in
    Unicode composition, so normalise to NFC before folding case."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def parse_decimal(text: str) -> Decimal | None:
    # A decimal comma is what Vietnamese users type: "0,5" is half a day.
    text = text.replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def decimal_text(value: Decimal) -> str:
    return "0" if value == 0 else format(value.normalize(), "f")


# Whole đồng written with thousands separators, as in "1.500.000" or "1,500,000".
GROUPED_AMOUNT = re.compile(r"\d{1,3}(?:[., \u00a0]\d{3})+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Row:
    """One data row being read: typed getters that record an error and return None on bad input."""

    def __init__(self, sheet: str, number: int, values: dict[str, str], errors: list[RowError]):
        self.sheet, self.number, self.values, self.errors = sheet, number, values, errors

    @property
    def origin(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.number}

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.number, column, message))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            self.error(column, REQUIRED)
        return value

    def choice(self, column: str, allowed: Iterable[str]) -> str | None:
        raw = self.text(column, required=True)
        if raw and normalise(raw) in allowed:
            return normalise(raw)
        if raw:
            self.error(column, not_allowed(raw, allowed))
        return None

    def levels(self, column: str) -> list[str]:
        words = [normalise(word) for word in re.split(r"[,;]", self.text(column, required=True))]
        levels = list(dict.fromkeys(word for word in words if word))
        wrong = [level for level in levels if level not in LEVELS]
        if wrong:
            self.error(column, not_allowed(", ".join(wrong), LEVELS))
        return [level for level in levels if level in LEVELS]

    def decimal(self, column: str, *, positive: bool) -> str | None:
        raw = self.text(column, required=True)
        value = parse_decimal(raw) if raw else None
        if value is not None and (value > 0 if positive else value >= 0):
            return decimal_text(value)
        if raw:
            self.error(column, POSITIVE_DECIMAL if positive else NON_NEGATIVE_DECIMAL)
        return None

    def integer(self, column: str, *, default: int | None = None) -> int | None:
        raw = self.text(column, required=default is None)
        if not raw:
            return default
        value = parse_decimal(raw)
        if value is not None and value >= 1 and value == value.to_integral_value():
            return int(value)
        self.error(column, POSITIVE_INTEGER)
        return None

    def amount(self, column: str) -> int | None:
        raw = self.text(column, required=True)
        if GROUPED_AMOUNT.fullmatch(raw):
            raw = re.sub(r"\D", "", raw)
        if raw.isdigit():
            return int(raw)
        if raw:
            self.error(column, AMOUNT)
        return None

    def boolean(self, column: str, *, default: bool) -> bool:
        word = normalise(self.text(column))
        if not word:
            return default
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        self.error(column, BOOLEAN)
        return default

    def date(self, column: str) -> str | None:
        """The ISO date, "" when empty, None when wrong (the error is recorded)."""
        raw = self.text(column)
        if not raw:
            return ""
        try:
            if ISO_DATE.fullmatch(raw):
                return date.fromisoformat(raw).isoformat()
        except ValueError:
            pass
        self.error(column, DATE)
        return None


def not_allowed(value: str, allowed: Iterable[str]) -> str:
    choices = ", ".join(allowed)
    return (
        f"giá trị “{value}” không hợp lệ, chỉ nhận: {choices} / invalid “{value}”, use: {choices}"
    )


def label_key(text: str) -> str:
    return re.sub(r"[\s_]+", "", normalise(text))


def labels(sheet: str) -> dict[str, str]:
    """Header label (English column name or Vietnamese label, compared loosely) -> column."""
    labels = {label_key(column): column for column in COLUMNS[sheet]}
    labels.update({label_key(vi): column for column, vi in HEADER_LABELS_VI[sheet].items()})
    return labels


SHEET_NAMES = {
    label_key(name): sheet for sheet in SHEETS for name in (sheet, SHEET_LABELS_VI[sheet])
}


def cell_text(value: object) -> str:
    """A cell as the text the user meant: 5.0 -> "5", 0.5 -> "0.5", a date -> ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        # 15 significant digits, as Excel shows them: 0.1 + 0.2 reads as "0.3".
        return decimal_text(Decimal(f"{value:.15g}"))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


def map_header(sheet: str, header: list[str], errors: list[RowError]) -> dict[int, str]:
    """Index -> column for one sheet's header; labels of other sheets' columns are skipped."""
    known, mapping = labels(sheet), dict[int, str]()
    for index, label in enumerate(header):
        column = known.get(label_key(label))
        if column in mapping.values():
            errors.append(RowError(sheet, 1, column, DUPLICATE_COLUMN))
        elif column:
            mapping[index] = column
    return mapping


def missing_columns(sheet: str, mapping: dict[int, str], errors: list[RowError]) -> bool:
    missing = sorted(REQUIRED_COLUMNS[sheet] - set(mapping.values()))
    errors.extend(RowError(sheet, 1, column, MISSING_COLUMN) for column in missing)
    return bool(missing)


def unknown_columns(sheet: str, header: list[str], known: set[str], errors: list[RowError]) -> None:
    for label in header:
        if label and label_key(label) not in known:
            errors.append(
                RowError(sheet, 1, label, f"cột không xác định / unknown column “{label}”")
            )


class TabularError(Exception):
    """Raised by the readers with every problem found, ordered by sheet, row and column."""

    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors: list[RowError] = sorted(errors, key=error_order)
        super().__init__("\n".join(str(error) for error in self.errors))


def error_order(error: RowError) -> tuple[int, int, int]:
    sheet = SHEETS.index(error.sheet) if error.sheet in SHEETS else -1
    columns = COLUMNS.get(error.sheet, ())
    column = -1 if error.column is None else len(columns)
    if error.column in columns:
        column = columns.index(error.column)
    return sheet, error.row, column


# Writing one cell


def text_of(value: Any) -> str:
    """A value of the nested catalogue as cell text; booleans as 1/0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def typed_cell(column: str, text: str) -> object:
    """A cell value typed as a spreadsheet user expects; text stays text (codes keep zeros)."""
    if not text:
        return None
    if column in DECIMAL_COLUMNS and (number := parse_decimal(text)) is not None:
        return int(number) if number == number.to_integral_value() else float(number)
    if (column in INTEGER_COLUMNS or column in BOOLEAN_COLUMNS) and text.isdigit():
        return int(text)
    if column in DATE_COLUMNS and ISO_DATE.fullmatch(text):
        return date.fromisoformat(text)
    return ILLEGAL_CHARACTERS_RE.sub("", text)
