"""Tests for the XLSX and CSV forms of the catalogue (motcua.catalogue.tabular).

Pure conversion, no database: files are built in code with openpyxl and csv under tmp_path.
"""

import csv
import io
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from motcua.catalogue.tabular import (
    COLUMNS,
    CSV_COLUMNS,
    HEADER_LABELS_VI,
    SHEETS,
    RowError,
    TabularError,
    catalogue_to_sheets,
    read_csv,
    read_xlsx,
    sheets_to_catalogue,
    strip_rows,
    write_csv,
    write_xlsx,
)

Where = tuple[str, int, str | None]


def make_catalogue() -> dict[str, Any]:
    """Two procedures: civil-status birth registration with two cases, and a land procedure
    whose second case has no fixed return date (time unit `none`)."""
    birth_process = [
        {
            "name": "Tiếp nhận, kiểm tra hồ sơ",
            "role": "desk_officer",
            "unit": "Bộ phận Một cửa",
            "allowance": "0.5",
        },
        {
            "name": "Thẩm định, trình ký",
            "role": "specialist",
            "unit": "Công chức tư pháp – hộ tịch",
            "allowance": "0.25",
        },
        {
            "name": "Ký duyệt",
            "role": "signing_leader",
            "unit": "Lãnh đạo UBND xã",
            "allowance": "0.25",
            "agency": "000.00.00.H29",
        },
    ]
    return {
        "format": "motcua-catalogue/1",
        "fields": [
            {"code": "HT", "name": "Hộ tịch"},
            {"code": "DD", "name": "Đất đai"},
        ],
        "decisions": [
            {
                "number": "1234/QĐ-UBND",
                "signed_on": "2025-07-01",
                "issuer": "Ủy ban nhân dân tỉnh Đồng Tháp",
                "effective_from": "2025-07-01",
                "title": "Công bố danh mục thủ tục hành chính lĩnh vực hộ tịch",
            },
            {
                "number": "88/QĐ-UBND",
                "signed_on": "2025-06-20",
                "issuer": "Ủy ban nhân dân tỉnh Đồng Tháp",
                "effective_from": "2025-07-01",
            },
        ],
        "procedures": [
            {
                "code": "1.001193",
                "name": "Đăng ký khai sinh",
                "field": "HT",
                "levels": ["commune"],
                "competent_authority": "Ủy ban nhân dân cấp xã",
                "receiving_authority": "Bộ phận Một cửa cấp xã",
                "online_level": "full",
                "legal_basis": "Luật Hộ tịch năm 2014; Nghị định số 123/2015/NĐ-CP",
                "inter_agency": False,
                "residence_free": True,
                "result_electronic": True,
                "result": "Giấy khai sinh (bản chính)",
                "decision": "1234/QĐ-UBND",
                "cases": [
                    {
                        "code": "1",
                        "name": "Đăng ký khai sinh đúng hạn",
                        "processing_time": "1",
                        "time_unit": "working_days",
                        "documents": [
                            {
                                "name": "Tờ khai đăng ký khai sinh",
                                "form": "original",
                                "copies": 1,
                                "mandatory": True,
                                "eform": "Tờ khai theo mẫu",
                            },
                            {
                                "name": "Giấy chứng sinh",
                                "form": "original_or_certified_copy",
                                "copies": 2,
                                "mandatory": False,
                            },
                        ],
                        "fees": [
                            {
                                "kind": "charge",
                                "name": "Lệ phí đăng ký khai sinh",
                                "amount": 0,
                                "note": "Miễn lệ phí đăng ký khai sinh đúng hạn",
                            },
                            {"kind": "fee", "name": "Phí cấp bản sao trích lục", "amount": 8000},
                        ],
                        "process": birth_process,
                    },
                    {
                        "code": "2",
                        "name": "Đăng ký khai sinh quá hạn",
                        "processing_time": "3.5",
                        "time_unit": "working_days",
                        "documents": [],
                        "fees": [],
                        "process": [],
                    },
                ],
            },
            {
                "code": "2.000520",
                "name": "Cung cấp thông tin đất đai",
                "field": "DD",
                "levels": ["province", "commune"],
                "competent_authority": "Văn phòng đăng ký đất đai",
                "online_level": "partial",
                "inter_agency": True,
                "residence_free": False,
                "result_electronic": False,
                "decision": "88/QĐ-UBND",
                "cases": [
                    {
                        "code": "A",
                        "name": "Cung cấp trong ngày",
                        "processing_time": "4",
                        "time_unit": "working_hours",
                        "documents": [
                            {
                                "name": "Phiếu yêu cầu",
                                "form": "copy",
                                "copies": 1,
                                "mandatory": True,
                            },
                        ],
                        "fees": [{"kind": "fee", "name": "Phí khai thác", "amount": 1500000}],
                        "process": [],
                    },
                    {
                        "code": "B",
                        "name": "Theo thỏa thuận",
                        "time_unit": "none",
                        "documents": [],
                        "fees": [],
                        "process": [
                            {
                                "name": "Xử lý theo thỏa thuận",
                                "role": "head_of_department",
                                "unit": "Phòng Đăng ký",
                                "allowance": "0",
                            },
                        ],
                    },
                ],
            },
        ],
    }


def numbered(
    sheets: dict[str, list[dict[str, str]]],
) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Give rows the numbers a spreadsheet shows (header = 1)."""
    return {name: list(enumerate(rows, start=2)) for name, rows in sheets.items()}


def where(errors: list[RowError]) -> list[Where]:
    return [(error.sheet, error.row, error.column) for error in errors]


def raised(read: Callable[[], object]) -> list[Where]:
    with pytest.raises(TabularError) as caught:
        read()
    return where(caught.value.errors)


def with_cell(sheet: str, index: int, column: str, value: str) -> list[Where]:
    """Errors from the test catalogue's tables with one cell changed."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets[sheet][index][column] = value
    return raised(lambda: sheets_to_catalogue(numbered(sheets)))


def workbook_bytes(tables: dict[str, list[list[object]]]) -> io.BytesIO:
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for title, rows in tables.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def tables_of(catalogue: dict[str, Any]) -> dict[str, list[list[object]]]:
    """The catalogue as plain cell lists, header first, to edit before building a workbook."""
    sheets = catalogue_to_sheets(catalogue)
    return {
        sheet: [list[object](COLUMNS[sheet])]
        + [[row[c] for c in COLUMNS[sheet]] for row in sheets[sheet]]
        for sheet in SHEETS
    }


# Round trips


def test_xlsx_round_trip_gives_back_the_catalogue(tmp_path: Path) -> None:
    """Writing a catalogue to XLSX and reading it back yields the same dict, less `_row`."""
    path = tmp_path / "catalogue.xlsx"
    write_xlsx(make_catalogue(), path)
    assert strip_rows(read_xlsx(path)) == make_catalogue()


def test_xlsx_round_trip_works_on_file_objects() -> None:
    """The XLSX writer and reader accept binary file objects as well as paths."""
    buffer = io.BytesIO()
    write_xlsx(make_catalogue(), buffer)
    buffer.seek(0)
    assert strip_rows(read_xlsx(buffer)) == make_catalogue()


def test_csv_round_trip_gives_back_the_catalogue(tmp_path: Path) -> None:
    """Writing a catalogue to CSV and reading it back yields the same dict, less `_row`."""
    path = tmp_path / "catalogue.csv"
    write_csv(make_catalogue(), path)
    assert strip_rows(read_csv(path)) == make_catalogue()


def test_csv_round_trip_works_on_text_streams() -> None:
    """The CSV writer and reader accept text streams; the BOM written is skipped on reading."""
    stream = io.StringIO()
    write_csv(make_catalogue(), stream)
    assert stream.getvalue().startswith("\ufeffsheet,")
    stream.seek(0)
    assert strip_rows(read_csv(stream)) == make_catalogue()


def test_every_dict_from_a_row_names_its_sheet_and_row(tmp_path: Path) -> None:
    """Procedures, cases, documents, fees, steps, fields and decisions carry `_row`, numbered as
    the spreadsheet shows them; the top level does not."""
    path = tmp_path / "catalogue.xlsx"
    write_xlsx(make_catalogue(), path)
    catalogue = read_xlsx(path)
    land = catalogue["procedures"][1]
    assert "_row" not in catalogue
    assert land["_row"] == {"sheet": "procedures", "row": 3}
    assert land["cases"][1]["_row"] == {"sheet": "cases", "row": 5}
    assert land["cases"][0]["documents"][0]["_row"] == {"sheet": "documents", "row": 4}
    assert land["cases"][0]["fees"][0]["_row"] == {"sheet": "fees", "row": 4}
    assert land["cases"][1]["process"][0]["_row"] == {"sheet": "steps", "row": 5}
    assert catalogue["fields"][1]["_row"] == {"sheet": "procedures", "row": 3}
    assert catalogue["decisions"][0]["_row"] == {"sheet": "procedures", "row": 2}


def test_strip_rows_removes_row_keys_at_any_depth() -> None:
    """strip_rows drops every `_row` key and leaves the rest untouched."""
    nested = {"a": [{"_row": {"row": 2}, "b": 1}], "_row": {}, "c": "x"}
    assert strip_rows(nested) == {"a": [{"b": 1}], "c": "x"}


def test_documents_and_steps_are_ordered_by_position_not_by_row() -> None:
    """Rows listed out of order come back sorted by their position column."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["documents"][0]["position"], sheets["documents"][1]["position"] = "2", "1"
    sheets["steps"].reverse()
    case = sheets_to_catalogue(numbered(sheets))["procedures"][0]["cases"][0]
    assert [d["name"] for d in case["documents"]] == [
        "Giấy chứng sinh",
        "Tờ khai đăng ký khai sinh",
    ]
    assert [s["role"] for s in case["process"]] == ["desk_officer", "specialist", "signing_leader"]


def test_a_decision_number_alone_refers_to_the_database() -> None:
    """A procedure row with only decision_number (and no field_name) adds no decision or field
    to the file: they are expected to exist in the database."""
    sheets = catalogue_to_sheets(make_catalogue())
    for row in sheets["procedures"]:
        row.update(decision_signed_on="", decision_issuer="", decision_effective_from="")
        row.update(decision_title="", field_name="")
    catalogue = sheets_to_catalogue(numbered(sheets))
    assert catalogue["fields"] == [] and catalogue["decisions"] == []
    assert catalogue["procedures"][0]["decision"] == "1234/QĐ-UBND"


# Writers


def test_xlsx_has_a_frozen_bold_english_header_and_an_instructions_sheet(tmp_path: Path) -> None:
    """Each sheet's first row holds the English column names in bold, frozen; a "Hướng dẫn"
    sheet lists every column with its Vietnamese label and allowed values."""
    path = tmp_path / "catalogue.xlsx"
    write_xlsx(make_catalogue(), path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [*SHEETS, "Hướng dẫn"]
    documents = workbook["documents"]
    assert [cell.value for cell in documents[1]] == list(COLUMNS["documents"])
    assert documents["A1"].font.b and documents.freeze_panes == "A2"
    assert documents.column_dimensions["D"].width > 20
    guide = {row[:3]: row for row in workbook["Hướng dẫn"].iter_rows(values_only=True)}
    role = guide[("steps", "role", "Vai trò")]
    assert role[3] == "có" and "signing_leader" in str(role[4])
    assert len(guide) >= sum(len(columns) for columns in COLUMNS.values())


def test_xlsx_writes_numbers_and_dates_as_typed_cells_and_codes_as_text(tmp_path: Path) -> None:
    """Amounts, copies and allowances are numbers, decision dates are dates, and procedure
    codes stay text so Excel keeps their trailing zeros."""
    path = tmp_path / "catalogue.xlsx"
    write_xlsx(make_catalogue(), path)
    workbook = load_workbook(path)
    assert workbook["procedures"]["A3"].value == "2.000520"
    assert workbook["procedures"]["N2"].value == datetime(2025, 7, 1)  # noqa: DTZ001 (naive, as Excel)
    assert workbook["fees"]["E4"].value == 1500000
    assert workbook["steps"]["G2"].value == 0.5


def test_csv_has_a_bom_a_sheet_column_first_and_the_union_of_columns(tmp_path: Path) -> None:
    """The CSV starts with a UTF-8 BOM; its header is `sheet` and then every column once."""
    path = tmp_path / "catalogue.csv"
    write_csv(make_catalogue(), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsheet,code,name,")
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(header) == CSV_COLUMNS
    assert set(header) == {"sheet"} | {c for sheet in SHEETS for c in COLUMNS[sheet]}


# Reading what people type


def test_vietnamese_sheet_and_header_labels_are_accepted_loosely() -> None:
    """Headers may be the Vietnamese labels in any case, with extra spaces or decomposed
    (NFD) diacritics as macOS types them; sheets may carry their Vietnamese names."""
    tables = tables_of(make_catalogue())
    for sheet in SHEETS:
        labels = [HEADER_LABELS_VI[sheet][column] for column in COLUMNS[sheet]]
        tables[sheet][0] = [f"  {label.upper()} " for label in labels]
    tables["cases"][0] = [unicodedata.normalize("NFD", str(c)) for c in tables["cases"][0]]
    tables["Thành phần hồ sơ"] = tables.pop("documents")
    assert strip_rows(read_xlsx(workbook_bytes(tables))) == make_catalogue()


def test_csv_is_read_with_or_without_a_bom(tmp_path: Path) -> None:
    """A CSV saved without the byte-order mark reads the same as one with it."""
    with_bom = tmp_path / "with.csv"
    write_csv(make_catalogue(), with_bom)
    without = tmp_path / "without.csv"
    without.write_bytes(with_bom.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    assert strip_rows(read_csv(without)) == strip_rows(read_csv(with_bom)) == make_catalogue()


def test_csv_with_semicolons_as_excel_saves_it_in_vietnamese_settings_is_read() -> None:
    """A semicolon-separated CSV reads the same as a comma-separated one."""
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter=";")
    sheets = catalogue_to_sheets(make_catalogue())
    writer.writerow(CSV_COLUMNS)
    for sheet in SHEETS:
        for row in sheets[sheet]:
            writer.writerow([sheet, *(row.get(c, "") for c in CSV_COLUMNS[1:])])
    stream.seek(0)
    assert strip_rows(read_csv(stream)) == make_catalogue()


def test_xlsx_cells_typed_as_numbers_dates_and_booleans_are_read_as_text() -> None:
    """Excel's typed cells are normalised: 1.0 -> "1", 0.5 -> "0.5", a date or datetime -> ISO,
    TRUE -> true, an integer case code -> "1"."""
    tables = tables_of(make_catalogue())
    procedures, cases = tables["procedures"], tables["cases"]
    procedures[1][13:16] = [
        datetime(2025, 7, 1),  # noqa: DTZ001 (Excel datetimes are naive)
        "Ủy ban nhân dân tỉnh Đồng Tháp",
        date(2025, 7, 1),
    ]
    procedures[1][9:11] = [False, True]
    cases[1][1], cases[1][3] = 1, 1.0
    cases[2][3] = 3.5
    tables["documents"][1][2], tables["documents"][1][5] = 1, 1
    tables["documents"][1][6] = True
    tables["fees"][3][4] = 1500000.0
    tables["steps"][1][6] = 0.5
    assert strip_rows(read_xlsx(workbook_bytes(tables))) == make_catalogue()


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "x", "X", "có", "Có"])
def test_true_booleans_are_accepted_in_every_spelling(word: str) -> None:
    """1, true, x and có (any case) all mean true."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["procedures"][0]["inter_agency"] = word
    assert sheets_to_catalogue(numbered(sheets))["procedures"][0]["inter_agency"] is True


@pytest.mark.parametrize("word", ["0", "false", "False", "", "không", "KHÔNG"])
def test_false_booleans_are_accepted_in_every_spelling(word: str) -> None:
    """0, false, empty and không (any case) all mean false."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["procedures"][0]["residence_free"] = word
    assert sheets_to_catalogue(numbered(sheets))["procedures"][0]["residence_free"] is False


def test_empty_optional_cells_take_the_documented_defaults() -> None:
    """An empty `mandatory` means true and an empty `copies` means 1, as in the JSON form."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["documents"][1].update(mandatory="", copies="")
    document = sheets_to_catalogue(numbered(sheets))["procedures"][0]["cases"][0]["documents"][1]
    assert (document["mandatory"], document["copies"]) == (True, 1)


def test_numbers_are_read_the_way_vietnamese_users_write_them() -> None:
    """A decimal comma ("0,5") is a half, "1.500.000" is one and a half million đồng, and
    "3.50" is normalised to "3.5"; levels may be separated by semicolons, in any case."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["steps"][0]["allowance"] = "0,5"
    sheets["fees"][2]["amount"] = "1.500.000"
    sheets["cases"][1]["processing_time"] = "3.50"
    sheets["procedures"][1]["levels"] = "Province; COMMUNE;"
    assert strip_rows(sheets_to_catalogue(numbered(sheets))) == make_catalogue()


def test_blank_rows_are_skipped_and_later_rows_keep_their_numbers(tmp_path: Path) -> None:
    """Empty rows are ignored in XLSX and CSV; rows after them keep the spreadsheet's numbers."""
    tables = tables_of(make_catalogue())
    tables["cases"].insert(2, [None] * 5)
    catalogue = read_xlsx(workbook_bytes(tables))
    assert catalogue["procedures"][0]["cases"][1]["_row"] == {"sheet": "cases", "row": 4}

    path = tmp_path / "blank.csv"
    write_csv(make_catalogue(), path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines.insert(1, "")
    lines.insert(2, "cases" + "," * (len(CSV_COLUMNS) - 1))
    path.write_text("\n".join(lines), encoding="utf-8")
    assert read_csv(path)["procedures"][0]["_row"] == {"sheet": "procedures", "row": 4}


# Errors


def test_row_error_reads_as_sheet_row_column_and_bilingual_message() -> None:
    """A RowError prints as "sheet, dòng N, cột C: message"."""
    error = RowError(
        "documents", 7, "copies", "phải là số nguyên dương / must be a positive integer"
    )
    assert str(error) == (
        "documents, dòng 7, cột copies: phải là số nguyên dương / must be a positive integer"
    )
    assert str(RowError("steps", 0, None, "thiếu trang tính / missing sheet")) == (
        "steps: thiếu trang tính / missing sheet"
    )


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value"),
    [
        ("procedures", 0, "name", ""),
        ("procedures", 0, "levels", "commune, ward"),
        ("procedures", 0, "levels", ""),
        ("procedures", 1, "online_level", "level 4"),
        ("procedures", 0, "inter_agency", "maybe"),
        ("procedures", 0, "decision_signed_on", "01/07/2025"),
        ("procedures", 0, "decision_effective_from", "2025-02-30"),
        ("cases", 1, "time_unit", "days"),
        ("cases", 0, "processing_time", "0"),
        ("cases", 0, "processing_time", "năm"),
        ("cases", 1, "processing_time", ""),
        ("cases", 3, "processing_time", "5"),
        ("documents", 0, "form", "scan"),
        ("documents", 0, "copies", "0"),
        ("documents", 1, "copies", "1.5"),
        ("documents", 0, "mandatory", "bắt buộc"),
        ("documents", 2, "position", "0"),
        ("fees", 0, "kind", "tax"),
        ("fees", 1, "amount", "-5"),
        ("fees", 1, "amount", "5.5"),
        ("fees", 1, "name", " "),
        ("steps", 0, "role", "citizen"),
        ("steps", 1, "allowance", "-0.25"),
        ("steps", 2, "unit", ""),
        ("steps", 3, "position", "một"),
    ],
)
def test_a_bad_value_is_reported_at_its_sheet_row_and_column(
    sheet: str, index: int, column: str, value: str
) -> None:
    """Each kind of wrong value yields exactly one error, at the cell that holds it."""
    assert with_cell(sheet, index, column, value) == [(sheet, index + 2, column)]


def test_references_to_unknown_procedures_and_cases_are_reported() -> None:
    """A case needs a procedure in procedures; documents, fees and steps need an existing
    procedure and case. A procedure left without cases is reported too."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["cases"][3]["procedure_code"] = "9.999999"
    sheets["documents"][0]["case_code"] = "7"
    sheets["fees"][0]["procedure_code"] = "1.000000"
    sheets["steps"][3]["case_code"] = "C"
    assert raised(lambda: sheets_to_catalogue(numbered(sheets))) == [
        ("cases", 5, "procedure_code"),
        ("documents", 2, "case_code"),
        ("fees", 2, "procedure_code"),
        ("steps", 5, "case_code"),
    ]
    sheets["cases"][2]["procedure_code"] = "9.999999"
    assert ("procedures", 3, None) in raised(lambda: sheets_to_catalogue(numbered(sheets)))


def test_duplicate_codes_and_positions_are_reported_at_the_repeat() -> None:
    """A repeated procedure code, case code within a procedure, or position within a case is
    reported at the second row, and the message names the first."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["procedures"].append(dict(sheets["procedures"][0]))
    sheets["cases"][1]["case_code"] = "1"
    sheets["steps"][1]["position"] = "1"
    with pytest.raises(TabularError) as caught:
        sheets_to_catalogue(numbered(sheets))
    assert where(caught.value.errors) == [
        ("procedures", 4, "code"),
        ("cases", 3, "case_code"),
        ("steps", 3, "position"),
    ]
    assert "dòng 2" in caught.value.errors[0].message
    assert "row 2" in caught.value.errors[0].message


def test_the_same_case_code_in_two_procedures_is_fine() -> None:
    """Case codes are unique within a procedure only."""
    sheets = catalogue_to_sheets(make_catalogue())
    for row in sheets["cases"][2:] + sheets["documents"][2:] + sheets["fees"][2:]:
        row["case_code"] = {"A": "1", "B": "2"}[row["case_code"]]
    for row in sheets["steps"][3:]:
        row["case_code"] = "2"
    catalogue = sheets_to_catalogue(numbered(sheets))
    assert [case["code"] for case in catalogue["procedures"][1]["cases"]] == ["1", "2"]


def test_conflicting_decision_columns_for_one_decision_are_reported() -> None:
    """Rows repeating a decision must agree; a blank repeat is fine, a different value is not."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["procedures"][1].update(decision_number="1234/QĐ-UBND", decision_title="")
    sheets["procedures"][1]["decision_signed_on"] = "2025-06-30"
    sheets["procedures"][1]["field_code"] = "HT"
    assert raised(lambda: sheets_to_catalogue(numbered(sheets))) == [
        ("procedures", 3, "field_name"),
        ("procedures", 3, "decision_signed_on"),
    ]


def test_a_new_decision_needs_dates_and_issuer_in_order() -> None:
    """A decision described by a title alone lacks its dates and issuer; an effective date before
    the signing date is refused."""
    sheets = catalogue_to_sheets(make_catalogue())
    sheets["procedures"][0].update(decision_signed_on="", decision_issuer="")
    sheets["procedures"][0]["decision_effective_from"] = ""
    sheets["procedures"][1]["decision_effective_from"] = "2025-06-01"
    assert raised(lambda: sheets_to_catalogue(numbered(sheets))) == [
        ("procedures", 2, "decision_signed_on"),
        ("procedures", 2, "decision_issuer"),
        ("procedures", 2, "decision_effective_from"),
        ("procedures", 3, "decision_effective_from"),
    ]


def test_three_different_mistakes_in_a_file_yield_three_errors_at_once(tmp_path: Path) -> None:
    """A CSV with a bad enum, a bad number and a dangling reference reports all three."""
    path = tmp_path / "catalogue.csv"
    write_csv(make_catalogue(), path)
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    rows[0]["online_level"] = "toàn trình"  # row 2
    rows[10]["amount"] = "tám nghìn"  # row 12: fees, second row
    rows[12]["procedure_code"] = "9.999999"  # row 14: steps, first row
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(TabularError) as caught:
        read_csv(path)
    assert len(caught.value.errors) == 3
    assert where(caught.value.errors) == [
        ("procedures", 2, "online_level"),
        ("fees", 12, "amount"),
        ("steps", 14, "procedure_code"),
    ]
    assert "toàn trình" in str(caught.value)


def test_a_missing_sheet_is_reported(tmp_path: Path) -> None:
    """A workbook without the fees sheet is refused, naming the sheet."""
    tables = tables_of(make_catalogue())
    del tables["fees"]
    assert raised(lambda: read_xlsx(workbook_bytes(tables))) == [("fees", 0, None)]


def test_a_missing_required_column_is_reported_without_an_error_per_row() -> None:
    """Without the time_unit column, the header is reported once, not every case row."""
    tables = tables_of(make_catalogue())
    tables["cases"] = [row[:4] for row in tables["cases"]]
    assert raised(lambda: read_xlsx(workbook_bytes(tables))) == [("cases", 1, "time_unit")]


def test_optional_columns_may_be_left_out() -> None:
    """Dropping optional columns (eform, note, agency) loses only their values."""
    tables = tables_of(make_catalogue())
    tables["documents"] = [row[:7] for row in tables["documents"]]
    catalogue = strip_rows(read_xlsx(workbook_bytes(tables)))
    assert "eform" not in catalogue["procedures"][0]["cases"][0]["documents"][0]


def test_unknown_and_duplicate_columns_are_reported_on_the_header_row() -> None:
    """A misspelt header or a column given twice is reported at row 1 instead of being ignored."""
    tables = tables_of(make_catalogue())
    tables["procedures"][0][6] = "recieving_authority"
    tables["fees"][0][5] = "Tên phí, lệ phí"
    assert raised(lambda: read_xlsx(workbook_bytes(tables))) == [
        ("procedures", 1, "recieving_authority"),
        ("fees", 1, "name"),
    ]


def test_values_in_a_column_without_a_header_are_reported() -> None:
    """Data typed next to the table, under no header, is reported rather than silently dropped."""
    tables = tables_of(make_catalogue())
    tables["fees"][2].append("nhớ kiểm tra")
    assert raised(lambda: read_xlsx(workbook_bytes(tables))) == [("fees", 3, "G")]


def test_an_empty_catalogue_round_trips(tmp_path: Path) -> None:
    """A catalogue without procedures writes header-only sheets that read back as empty."""
    empty = {"format": "motcua-catalogue/1", "fields": [], "decisions": [], "procedures": []}
    write_xlsx(empty, tmp_path / "empty.xlsx")
    write_csv(empty, tmp_path / "empty.csv")
    assert read_xlsx(tmp_path / "empty.xlsx") == read_csv(tmp_path / "empty.csv") == empty


def test_a_procedure_code_that_excel_turned_into_a_number_is_reported() -> None:
    """1.00119 as a number cannot be trusted (trailing zeros are gone): ask for text."""
    tables = tables_of(make_catalogue())
    tables["procedures"][1][0] = 1.001193
    assert raised(lambda: read_xlsx(workbook_bytes(tables))) == [("procedures", 2, "code")]


def test_csv_rows_of_unknown_sheets_or_with_cells_of_another_sheet_are_reported() -> None:
    """A row naming no known sheet, and a cases row filling a procedures-only column, are errors."""
    stream = io.StringIO()
    write_csv(make_catalogue(), stream)
    rows = list(csv.DictReader(io.StringIO(stream.getvalue().removeprefix("\ufeff"))))
    rows.append({**rows[0], "sheet": "thu tuc"})  # row 18
    rows.append({**rows[5], "case_code": "C", "code": "X"})  # row 19
    stream = io.StringIO()
    writer = csv.DictWriter(stream, CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    stream.seek(0)
    assert raised(lambda: read_csv(stream)) == [("file", 18, "sheet"), ("cases", 19, "code")]


def test_files_that_are_not_utf8_csv_or_not_xlsx_are_refused_cleanly(tmp_path: Path) -> None:
    """A CSV saved in a legacy code page, or a text file named .xlsx, gives one clear error."""
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes("sheet,code\nprocedures,Thủ tục\n".encode("utf-16"))
    assert raised(lambda: read_csv(legacy)) == [("file", 0, None)]
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    assert raised(lambda: read_xlsx(fake)) == [("file", 0, None)]
