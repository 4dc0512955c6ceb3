"""Cells that stay text in every spreadsheet we write (formula or CSV injection).

A name such as ``=HYPERLINK("http://…", "Bấm vào đây")`` typed by an applicant must reach the
officer's spreadsheet as the text it is, never as a live formula. Every XLSX and CSV export
(the catalogue, the Form 06 ledger, the processing report, import-dossiers' errors file) writes
its cells through these two functions."""

from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

# What spreadsheet programs read as the start of a formula in a CSV field (OWASP, "CSV
# Injection"): =, +, -, @, and a tab or carriage return before one of them.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(worksheet: Worksheet) -> None:
    """Store every text cell of ``worksheet`` that openpyxl would write as a formula (text
    starting with ``=``) as plain text instead: the file keeps the exact text, no formula runs."""
    for row in worksheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def csv_text(value: Any) -> Any:
    """``value`` for a CSV field: text that a spreadsheet would read as a formula gets a leading
    apostrophe, which spreadsheets show as text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def csv_value(text: str) -> str:
    """The inverse of :func:`csv_text` for files we read back (the catalogue's CSV): the
    apostrophe it added before a formula start is dropped."""
    if text.startswith("'") and text[1:].startswith(CSV_FORMULA_STARTS):
        return text[1:]
    return text
