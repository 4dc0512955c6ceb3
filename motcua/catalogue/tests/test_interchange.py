"""Import and export of the catalogue: all or nothing, row-level errors, idempotent re-runs."""

import copy
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.catalogue import tabular
from motcua.catalogue.interchange import (
    CatalogueImportError,
    export_catalogue,
    import_catalogue,
)
from motcua.catalogue.models import Decision, Field, Procedure, ProcedureVersion

DEMO = Path(__file__).resolve().parents[2] / "demo" / "data" / "procedures.json"


@pytest.fixture
def demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    return data


def test_the_demo_catalogue_imports_whole(db: None, demo: dict[str, Any]) -> None:
    report = import_catalogue(demo, actor=None)
    assert len(report.created) == len(demo["procedures"]) >= 30
    assert Procedure.objects.count() == len(demo["procedures"])


def test_a_second_import_changes_nothing(db: None, demo: dict[str, Any]) -> None:
    import_catalogue(demo, actor=None)
    report = import_catalogue(demo, actor=None)
    assert report.created == [] and report.amended == []
    assert len(report.unchanged) == len(demo["procedures"])
    assert ProcedureVersion.objects.count() == len(demo["procedures"])


def test_one_bad_row_imports_nothing_and_every_problem_is_reported(
    db: None, demo: dict[str, Any]
) -> None:
    bad = copy.deepcopy(demo)
    bad["procedures"][3]["online_level"] = "level4"
    bad["procedures"][7]["cases"][0]["documents"][0]["copies"] = 0
    bad["procedures"][9]["cases"][0]["process"][0]["allowance"] = "99"
    with pytest.raises(CatalogueImportError) as info:
        import_catalogue(bad, actor=None)
    where = [issue.where for issue in info.value.issues]
    assert "procedures[3]" in where
    assert "procedures[7].cases[0].documents[0]" in where
    assert "procedures[9].cases[0]" in where
    assert not Procedure.objects.exists()
    assert not Field.objects.exists()
    assert not Decision.objects.exists()


def test_changed_content_is_refused_unless_amending(db: None, demo: dict[str, Any]) -> None:
    import_catalogue(demo, actor=None)
    changed = copy.deepcopy(demo)
    changed["decisions"].append(
        {
            "number": "9999/QĐ-UBND",
            "signed_on": "2026-01-05",
            "issuer": "Ủy ban nhân dân tỉnh Đồng Tháp",
            "effective_from": "2026-01-10",
        }
    )
    changed["procedures"][0]["name"] += " (sửa đổi)"
    changed["procedures"][0]["decision"] = "9999/QĐ-UBND"
    with pytest.raises(CatalogueImportError, match="--amend"):
        import_catalogue(changed, actor=None)
    report = import_catalogue(changed, actor=None, amend=True)
    assert report.amended == [changed["procedures"][0]["code"]]
    assert ProcedureVersion.objects.filter(procedure__code=report.amended[0]).count() == 2


def test_unknown_references_are_reported(db: None, demo: dict[str, Any]) -> None:
    bad = copy.deepcopy(demo)
    bad["procedures"][0]["field"] = "NOPE"
    bad["procedures"][1]["decision"] = "0000/QĐ"
    with pytest.raises(CatalogueImportError) as info:
        import_catalogue(bad, actor=None)
    text = str(info.value)
    assert "NOPE" in text and "0000/QĐ" in text


def test_export_reimports_as_the_same_catalogue_through_every_format(
    db: None, demo: dict[str, Any], tmp_path: Path
) -> None:
    """JSON, XLSX and CSV exports each re-import with every procedure unchanged."""
    import_catalogue(demo, actor=None)
    for name in ["cat.json", "cat.xlsx", "cat.csv"]:
        target = tmp_path / name
        call_command("export-catalogue", str(target), stdout=StringIO())
        out = StringIO()
        call_command("import-catalogue", str(target), stdout=out)
        assert f"{len(demo['procedures'])} không đổi / unchanged" in out.getvalue()
    assert ProcedureVersion.objects.count() == len(demo["procedures"])


def test_a_spreadsheet_error_names_its_sheet_and_row(db: None, tmp_path: Path) -> None:
    make = tabular.write_xlsx
    catalogue = {
        "format": "motcua-catalogue/1",
        "fields": [{"code": "HT", "name": "Hộ tịch"}],
        "decisions": [
            {
                "number": "1/QĐ",
                "signed_on": "2025-07-01",
                "issuer": "UBND",
                "effective_from": "2025-07-01",
            }
        ],
        "procedures": [
            {
                "code": "1.000001",
                "name": "Thủ tục thử",
                "field": "HT",
                "levels": ["commune"],
                "competent_authority": "UBND xã",
                "online_level": "full",
                "decision": "1/QĐ",
                "cases": [
                    {
                        "code": "1",
                        "name": "Thủ tục thử",
                        "processing_time": "2",
                        "time_unit": "working_days",
                        "documents": [],
                        "fees": [],
                        "process": [
                            {
                                "name": "Một",
                                "role": "specialist",
                                "unit": "Phòng",
                                "allowance": "1",
                            }
                        ],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "bad.xlsx"
    make(catalogue, path)
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import-catalogue", str(path), stdout=StringIO(), stderr=err)
    assert "cases, dòng/row 2" in err.getvalue()
    assert "statutory time" in err.getvalue() or "thời hạn" in err.getvalue()
    assert not Procedure.objects.exists()


def test_export_lists_what_was_in_force_on_a_date(db: None, demo: dict[str, Any]) -> None:
    import_catalogue(demo, actor=None)
    assert export_catalogue(on=__import__("datetime").date(2020, 1, 1))["procedures"] == []
