"""Conversion between the nested catalogue (docs/catalogue-format.md) and its XLSX and CSV tables.

Pure: no database. The readers check everything a table alone can show (columns, required values,
enums, numbers, dates, references between sheets, duplicates) and report every problem at once;
``interchange.py`` then validates the nested dict against the database and writes it. Each dict
built from a row carries ``"_row": {"sheet": ..., "row": ...}`` so that later errors can point at
the row too; :func:`strip_rows` removes those keys.
"""

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from motcua.catalogue.cells import csv_text, csv_value, neutralise_formulas
from motcua.catalogue.tabular_columns import (
    ALLOWED_VALUES,
    CODE_AS_NUMBER,
    COLUMNS,
    EFFECTIVE_BEFORE_SIGNED,
    ENUMS,
    HEADER_LABELS_VI,
    MISSING_COLUMN,
    MISSING_SHEET,
    NEW_DECISION,
    NO_CASES,
    NO_HEADER,
    REQUIRED_COLUMNS,
    SHEET_NAMES,
    SHEETS,
    TIME_WITHOUT_UNIT,
    Row,
    RowError,
    TabularError,
    cell_text,
    label_key,
    labels,
    map_header,
    missing_columns,
    text_of,
    typed_cell,
    unknown_columns,
)

__all__ = [
    "COLUMNS",
    "CSV_COLUMNS",
    "FORMAT",
    "HEADER_LABELS_VI",
    "SHEETS",
    "RowError",
    "TabularError",
    "catalogue_to_sheets",
    "read_csv",
    "read_xlsx",
    "sheets_to_catalogue",
    "strip_rows",
    "write_csv",
    "write_xlsx",
]

FORMAT = "motcua-catalogue/1"
INSTRUCTIONS_SHEET = "Hướng dẫn"
CSV_SHEET_COLUMN = "sheet"
CSV_COLUMNS: tuple[str, ...] = (
    CSV_SHEET_COLUMN,
    *dict.fromkeys(column for sheet in SHEETS for column in COLUMNS[sheet]),
)
# Where a whole file is at fault (unreadable, no `sheet` column) rather than one of the five sheets.
FILE = "file"

Sheets = dict[str, list[tuple[int, dict[str, str]]]]


def strip_rows(value: Any) -> Any:
    """Return ``value`` without the ``_row`` keys the readers add, at any depth."""
    if isinstance(value, dict):
        return {key: strip_rows(item) for key, item in value.items() if key != "_row"}
    if isinstance(value, list):
        return [strip_rows(item) for item in value]
    return value


# ---------------------------------------------------------------------------------------------
# Rows to the nested catalogue


class _Described:
    """A field or decision described on procedure rows. Rows that repeat it must agree."""

    def __init__(self) -> None:
        self.origin: dict[str, Any] = {}
        self.values: dict[str, str] = {}
        self.rows: dict[str, int] = {}  # where each value came from, even one that was wrong

    def describe(self, what: tuple[str, str], row: Row, details: dict[str, Any]) -> None:
        """Take the non-empty ``details`` (name -> (column, value or None if wrong)) of a row."""
        for name, (column, value) in details.items():
            if value == "":
                continue
            self.origin = self.origin or row.origin
            if name not in self.rows:
                self.rows[name] = row.number
                if value is not None:
                    self.values[name] = value
            elif value is not None and self.values.get(name, value) != value:
                first = self.rows[name]
                vi, en = what
                row.error(
                    column, f"khác dòng {first} cho cùng {vi} / differs from row {first} for {en}"
                )


def sheets_to_catalogue(sheets: Sheets) -> dict[str, Any]:
    """Build the nested catalogue from rows keyed by English column name, each with the row number
    a spreadsheet shows. A sheet absent from ``sheets`` counts as empty (the readers report
    missing sheets). Raises :class:`TabularError` with every error found."""
    errors: list[RowError] = []
    fields: dict[str, _Described] = {}
    decisions: dict[str, _Described] = {}
    procedures: dict[str, dict[str, Any]] = {}
    first_rows: dict[Any, int] = {}

    def register(row: Row, column: str, key: Any, what_vi: str, what_en: str) -> bool:
        if key in first_rows:
            first = first_rows[key]
            row.error(
                column, f"{what_vi} trùng dòng {first} / duplicate {what_en}, see row {first}"
            )
            return False
        first_rows[key] = row.number
        return True

    for number, values in sheets.get("procedures", []):
        row = Row("procedures", number, values, errors)
        procedure: dict[str, Any] = {
            "code": row.text("code", required=True),
            "name": row.text("name", required=True),
            "field": row.text("field_code", required=True),
            "levels": row.levels("levels"),
            "competent_authority": row.text("competent_authority", required=True),
            "receiving_authority": row.text("receiving_authority"),
            "online_level": row.choice("online_level", ENUMS["online_level"]),
            "legal_basis": row.text("legal_basis"),
            "inter_agency": row.boolean("inter_agency", default=False),
            "residence_free": row.boolean("residence_free", default=False),
            "result_electronic": row.boolean("result_electronic", default=False),
            "result": row.text("result"),
            "decision": row.text("decision_number", required=True),
            "cases": [],
            "_row": row.origin,
        }
        _drop_empty(procedure, "receiving_authority", "legal_basis", "result")
        if procedure["field"]:
            fields.setdefault(procedure["field"], _Described()).describe(
                (f"lĩnh vực {procedure['field']}", f"field {procedure['field']}"),
                row,
                {"name": ("field_name", row.text("field_name"))},
            )
        if procedure["decision"]:
            decisions.setdefault(procedure["decision"], _Described()).describe(
                (f"quyết định {procedure['decision']}", f"decision {procedure['decision']}"),
                row,
                {
                    "signed_on": ("decision_signed_on", row.date("decision_signed_on")),
                    "issuer": ("decision_issuer", row.text("decision_issuer")),
                    "effective_from": (
                        "decision_effective_from",
                        row.date("decision_effective_from"),
                    ),
                    "title": ("decision_title", row.text("decision_title")),
                },
            )
        code = procedure["code"]
        if code and register(row, "code", code, "mã thủ tục", "procedure code"):
            procedures[code] = procedure

    cases: dict[tuple[str, str], dict[str, Any]] = {}
    for number, values in sheets.get("cases", []):
        row = Row("cases", number, values, errors)
        procedure_code = row.text("procedure_code", required=True)
        case_code = row.text("case_code", required=True)
        case: dict[str, Any] = {"code": case_code, "name": row.text("case_name", required=True)}
        unit = row.choice("time_unit", ENUMS["time_unit"])
        if unit == "none":
            if row.text("processing_time"):
                row.error("processing_time", TIME_WITHOUT_UNIT)
        elif unit or row.text("processing_time"):
            case["processing_time"] = row.decimal("processing_time", positive=True)
        case.update(time_unit=unit, documents=[], fees=[], process=[], _row=row.origin)
        parent = procedures.get(procedure_code)
        if parent is None and procedure_code:
            row.error("procedure_code", _no_procedure(procedure_code))
        key = (procedure_code, case_code)
        if parent and case_code and register(row, "case_code", key, "mã trường hợp", "case"):
            cases[key] = case
            parent["cases"].append(case)

    positions: dict[int, int] = {}  # id(document or step) -> position, for sorting
    for sheet, items in (("documents", "documents"), ("fees", "fees"), ("steps", "process")):
        for row, found in _child_rows(sheet, sheets, procedures, cases, errors):
            position = row.integer("position") if sheet != "fees" else None
            item = _child(sheet, row)
            if found is None:
                continue
            case_key, case = found
            if position is not None:
                unique = (sheet, *case_key, position)
                if not register(row, "position", unique, "số thứ tự", "position in this case"):
                    continue
                positions[id(item)] = position
            case[items].append(item)

    for procedure in procedures.values():
        if not procedure["cases"]:
            errors.append(RowError("procedures", procedure["_row"]["row"], None, NO_CASES))
        for case in procedure["cases"]:
            for items in ("documents", "process"):
                case[items].sort(key=lambda item: positions.get(id(item), 1 << 30))

    catalogue = {
        "format": FORMAT,
        "fields": [
            {"code": code, **field.values, "_row": field.origin}
            for code, field in fields.items()
            if field.values
        ],
        "decisions": _decisions(decisions, errors),
        "procedures": list(procedures.values()),
    }
    if errors:
        raise TabularError(errors)
    return catalogue


def _drop_empty(item: dict[str, Any], *keys: str) -> None:
    for key in keys:
        if not item[key]:
            del item[key]


def _no_procedure(code: str) -> str:
    return f"không có thủ tục “{code}” trong procedures / no procedure “{code}” in procedures"


def _child_rows(
    sheet: str,
    sheets: Sheets,
    procedures: dict[str, Any],
    cases: dict[tuple[str, str], dict[str, Any]],
    errors: list[RowError],
) -> Iterator[tuple[Row, tuple[tuple[str, str], dict[str, Any]] | None]]:
    """The rows of a sheet below cases, each with the case it belongs to (None if not found)."""
    for number, values in sheets.get(sheet, []):
        row = Row(sheet, number, values, errors)
        key = (row.text("procedure_code", required=True), row.text("case_code", required=True))
        if key[0] and key[0] not in procedures:
            row.error("procedure_code", _no_procedure(key[0]))
        elif key[1] and key not in cases:
            row.error(
                "case_code",
                f"thủ tục {key[0]} không có trường hợp “{key[1]}” trong cases"
                f" / procedure {key[0]} has no case “{key[1]}” in cases",
            )
        yield row, ((key, cases[key]) if key in cases else None)


def _child(sheet: str, row: Row) -> dict[str, Any]:
    """A document, fee or step from its row, without its position (the list order carries it)."""
    item: dict[str, Any]
    if sheet == "documents":
        item = {
            "name": row.text("name", required=True),
            "form": row.choice("form", ENUMS["form"]),
            "copies": row.integer("copies", default=1),
            "mandatory": row.boolean("mandatory", default=True),
            "eform": row.text("eform"),
        }
        optional = "eform"
    elif sheet == "fees":
        item = {
            "kind": row.choice("kind", ENUMS["kind"]),
            "name": row.text("name", required=True),
            "amount": row.amount("amount"),
            "note": row.text("note"),
        }
        optional = "note"
    else:
        item = {
            "name": row.text("name", required=True),
            "role": row.choice("role", ENUMS["role"]),
            "unit": row.text("unit", required=True),
            "allowance": row.decimal("allowance", positive=False),
            "agency": row.text("agency"),
        }
        optional = "agency"
    _drop_empty(item, optional)
    item["_row"] = row.origin
    return item


def _decisions(decisions: dict[str, _Described], errors: list[RowError]) -> list[dict[str, Any]]:
    """Decisions described on procedure rows. A number alone refers to a decision already in the
    database; any other decision column describes a new one, which then needs its dates and
    issuer (the Decision model requires them)."""
    result = []
    for number, decision in decisions.items():
        if not decision.rows:
            continue
        row = decision.origin["row"]
        for name in ("signed_on", "issuer", "effective_from"):
            if name not in decision.rows:
                errors.append(RowError("procedures", row, f"decision_{name}", NEW_DECISION))
        values = decision.values
        signed, effective = values.get("signed_on"), values.get("effective_from")
        if signed and effective and effective < signed:
            where = decision.rows["effective_from"]
            errors.append(
                RowError("procedures", where, "decision_effective_from", EFFECTIVE_BEFORE_SIGNED)
            )
        keys = ("signed_on", "issuer", "effective_from", "title")
        ordered = {key: values[key] for key in keys if key in values}
        result.append({"number": number, **ordered, "_row": decision.origin})
    return result


# ---------------------------------------------------------------------------------------------
# The nested catalogue to rows


def catalogue_to_sheets(catalogue: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Flatten the catalogue into the five sheets, every row holding every column as text.

    Field and decision details are repeated on each procedure row that uses them (readers accept
    identical repeats), so a sorted or filtered sheet still says everything. Fields and decisions
    that no procedure uses have no place in the tables and are left out, as is ``name_en``."""
    fields = {field["code"]: field for field in catalogue.get("fields", [])}
    decisions = {decision["number"]: decision for decision in catalogue.get("decisions", [])}
    sheets: dict[str, list[dict[str, str]]] = {sheet: [] for sheet in SHEETS}

    def add(sheet: str, *parts: dict[str, Any]) -> None:
        values = {key: value for part in parts for key, value in part.items()}  # later parts win
        sheets[sheet].append({column: text_of(values.get(column)) for column in COLUMNS[sheet]})

    for procedure in catalogue.get("procedures", []):
        field = fields.get(procedure.get("field"), {})
        decision = decisions.get(procedure.get("decision"), {})
        described = {f"decision_{key}": decision.get(key) for key in _DECISION_KEYS}
        flat = {
            "field_code": procedure.get("field"),
            "field_name": field.get("name"),
            "levels": ", ".join(procedure.get("levels", [])),
            "decision_number": procedure.get("decision"),
        }
        add("procedures", procedure, flat, described)
        for case in procedure.get("cases", []):
            keys = {"procedure_code": procedure.get("code"), "case_code": case.get("code")}
            add("cases", case, keys, {"case_name": case.get("name")})
            for position, document in enumerate(case.get("documents", []), start=1):
                defaults = {"copies": 1, "mandatory": True}
                add("documents", defaults, document, keys, {"position": position})
            for fee in case.get("fees", []):
                add("fees", fee, keys)
            for position, step in enumerate(case.get("process", []), start=1):
                add("steps", step, keys, {"position": position})
    return sheets


_DECISION_KEYS = ("signed_on", "issuer", "effective_from", "title")


def write_xlsx(catalogue: dict[str, Any], target: str | Path | BinaryIO) -> None:
    """Write the workbook: the five sheets with English column names in one frozen, bold header
    row (so the file reads back unchanged), numbers and dates as typed cells, and a last sheet
    "Hướng dẫn" giving each column's Vietnamese label and allowed values."""
    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    for sheet, rows in catalogue_to_sheets(catalogue).items():
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(COLUMNS[sheet])
        for row in rows:
            worksheet.append([typed_cell(column, row[column]) for column in COLUMNS[sheet]])
        _lay_out(worksheet)
    guide = workbook.create_sheet(INSTRUCTIONS_SHEET)
    guide.append(["Trang tính / sheet", "Cột / column", "Tên cột", "Bắt buộc", "Giá trị"])
    for sheet in SHEETS:
        for column in COLUMNS[sheet]:
            required = "có" if column in REQUIRED_COLUMNS[sheet] else ""
            allowed = ALLOWED_VALUES.get(column, "văn bản")
            guide.append([sheet, column, HEADER_LABELS_VI[sheet][column], required, allowed])
    guide.append([])
    guide.append(["Dòng đầu mỗi trang tính là tên cột; có thể dùng tên cột tiếng Việt ở trên."])
    _lay_out(guide)
    workbook.save(target)


def _lay_out(worksheet: Worksheet) -> None:
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    neutralise_formulas(worksheet)
    for index, cells in enumerate(worksheet.iter_cols(), start=1):
        longest = max((len(str(cell.value)) for cell in cells if cell.value is not None), default=0)
        worksheet.column_dimensions[get_column_letter(index)].width = min(max(longest, 8), 60) + 2
    worksheet.freeze_panes = "A2"


def write_csv(catalogue: dict[str, Any], target: str | Path | TextIO) -> None:
    """Write one CSV (UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly): a first
    column ``sheet``, then the union of all sheets' columns in the order of :data:`CSV_COLUMNS`."""
    if isinstance(target, str | Path):
        with open(target, "w", encoding="utf-8-sig", newline="") as file:
            _write_csv_rows(catalogue, file)
    else:
        target.write("\ufeff")
        _write_csv_rows(catalogue, target)


def _write_csv_rows(catalogue: dict[str, Any], file: TextIO) -> None:
    writer = csv.writer(file)
    writer.writerow(CSV_COLUMNS)
    for sheet, rows in catalogue_to_sheets(catalogue).items():
        for row in rows:
            cells = (csv_text(row.get(column, "")) for column in CSV_COLUMNS[1:])
            writer.writerow([sheet, *cells])


# ---------------------------------------------------------------------------------------------
# Readers


def _finish(sheets: Sheets, errors: list[RowError], fatal: bool) -> dict[str, Any]:
    """Build the catalogue, reporting the table's errors with the reader's. When a sheet or a
    required column is missing, only those are reported: every row would fail otherwise."""
    if not fatal:
        try:
            catalogue = sheets_to_catalogue(sheets)
        except TabularError as error:
            errors.extend(error.errors)
        else:
            if not errors:
                return catalogue
    raise TabularError(errors)


def read_xlsx(source: str | Path | BinaryIO) -> dict[str, Any]:
    """Read a workbook with the five sheets (English or Vietnamese sheet and column names; other
    sheets such as "Hướng dẫn" are ignored). Raises :class:`TabularError` with every error."""
    try:
        workbook = load_workbook(source, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError) as error:
        message = f"không đọc được tệp XLSX / cannot read the XLSX file: {error}"
        raise TabularError([RowError(FILE, 0, None, message)]) from error
    errors: list[RowError] = []
    sheets: Sheets = {}
    fatal = False
    try:
        found = {SHEET_NAMES.get(label_key(ws.title)): ws for ws in workbook.worksheets}
        for sheet in SHEETS:
            worksheet = found.get(sheet)
            if worksheet is None:
                errors.append(RowError(sheet, 0, None, MISSING_SHEET))
                fatal = True
                continue
            rows = worksheet.iter_rows(values_only=True)
            header = [cell_text(value) for value in next(rows, ())]
            mapping = map_header(sheet, header, errors)
            unknown_columns(sheet, header, set(labels(sheet)), errors)
            sheets[sheet] = []
            for number, cells in enumerate(rows, start=2):
                values = {column: cell_text(cells[index]) for index, column in mapping.items()}
                if not any(values.values()):
                    continue
                for index, value in enumerate(cells):
                    column = mapping.get(index)
                    if column in ("code", "procedure_code") and isinstance(value, float):
                        errors.append(RowError(sheet, number, column, CODE_AS_NUMBER))
                    elif not header[index] and cell_text(value):
                        letter = get_column_letter(index + 1)
                        errors.append(RowError(sheet, number, letter, NO_HEADER))
                sheets[sheet].append((number, values))
            if sheets[sheet] and missing_columns(sheet, mapping, errors):
                fatal = True
    finally:
        workbook.close()
    return _finish(sheets, errors, fatal)


def read_csv(source: str | Path | TextIO) -> dict[str, Any]:
    """Read the one-file CSV form (UTF-8, with or without a byte-order mark; comma, or semicolon
    as Excel writes under Vietnamese regional settings). Raises :class:`TabularError`."""
    try:
        if isinstance(source, str | Path):
            with open(source, encoding="utf-8-sig", newline="") as file:
                text = file.read()
        else:
            text = source.read()
    except UnicodeDecodeError as error:
        message = "tệp CSV phải mã hoá UTF-8 / the CSV file must be encoded as UTF-8"
        raise TabularError([RowError(FILE, 0, None, message)]) from error
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [cell.strip() for cell in next(records, [])]
    sheet_labels = {label_key(CSV_SHEET_COLUMN), label_key("trang tính")}
    sheet_index = next((i for i, h in enumerate(header) if label_key(h) in sheet_labels), None)
    if sheet_index is None:
        raise TabularError([RowError(FILE, 1, CSV_SHEET_COLUMN, MISSING_COLUMN)])
    errors: list[RowError] = []
    others = [label if i != sheet_index else "" for i, label in enumerate(header)]
    mappings = {sheet: map_header(sheet, others, errors) for sheet in SHEETS}
    unknown_columns(FILE, others, {key for s in SHEETS for key in labels(s)}, errors)
    sheets: Sheets = {sheet: [] for sheet in SHEETS}
    for number, cells in enumerate(records, start=2):
        cells = [csv_value(cell.strip()) for cell in cells]
        if not any(cell for i, cell in enumerate(cells) if i != sheet_index):
            continue
        label = cells[sheet_index] if sheet_index < len(cells) else ""
        sheet = SHEET_NAMES.get(label_key(label))
        if sheet is None:
            message = f"không có trang tính “{label}” / no sheet “{label}”; " + ", ".join(SHEETS)
            errors.append(RowError(FILE, number, CSV_SHEET_COLUMN, message))
            continue
        mapping = mappings[sheet]
        for index, cell in enumerate(cells):
            if cell and index != sheet_index and index not in mapping:
                column = header[index] if index < len(header) else None
                message = f"cột không dùng cho {sheet} / column not used by {sheet}"
                errors.append(RowError(sheet, number, column, message))
        values = {column: cells[i] if i < len(cells) else "" for i, column in mapping.items()}
        sheets[sheet].append((number, values))
    fatal = False
    for sheet in SHEETS:
        if sheets[sheet] and missing_columns(sheet, mappings[sheet], errors):
            fatal = True
    return _finish(sheets, errors, fatal)
