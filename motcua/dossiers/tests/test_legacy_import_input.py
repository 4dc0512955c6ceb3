"""The historic import cleans names and ID numbers as intake does (composed, no invisible
characters) and reports an ID number that is none of the kinds a record may carry."""

import unicodedata
from pathlib import Path

from motcua.catalogue.models import Case
from motcua.dossiers.legacy import DossierImport
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.test_legacy_import import GOOD, HEADER, case, run, write
from motcua.testing import Cast

__all__ = ["case"]  # the fixture, shared with test_legacy_import

COLUMNS = HEADER + ",applicant_name,applicant_id_number"


def test_names_and_id_numbers_are_cleaned_on_import(cast: Cast, case: Case, tmp_path: Path) -> None:
    name = unicodedata.normalize("NFD", "Nguyễn\u200b Văn\u202e Bình")
    out, _ = run(write(tmp_path, [COLUMNS, f"{GOOD[0]},{name},087\u200b090001234"]))
    assert "imported 1" in out
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Nguyễn Văn Bình"
    assert dossier.applicant_id_number == "087090001234"


def test_an_id_number_of_no_known_kind_is_reported_and_not_imported(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    """12-digit personal IDs, 9-digit identity cards (older records) and tax codes pass."""
    rows = [
        f"{GOOD[0]},Nguyễn Văn Bình,08709000123X",
        f"{GOOD[1]},Lê Thị Hoa,123456789",
        f"{GOOD[2]},Công ty An,0312345678-001",
    ]
    report = DossierImport(write(tmp_path, [COLUMNS, *rows])).run()
    assert report.invalid == 1
    [error] = report.errors
    assert error.column == "applicant_id_number" and "08709000123X" in error.message
    assert not Dossier.objects.filter(code=GOOD[0].split(",")[0]).exists()
