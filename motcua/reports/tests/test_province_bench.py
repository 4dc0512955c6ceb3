"""The province-year benchmark's reference (bench/province_year.py): its DuckDB scan of the
dossiers, written from the report's definitions, must give exactly ``processing_report``'s rows
for every grouping on a small generated province imported through ``import-dossiers``."""

import importlib.util
import io
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.core.management import call_command

from motcua.catalogue.interchange import import_catalogue
from motcua.dossiers.models import Dossier

BENCH = Path(__file__).resolve().parents[3] / "bench" / "province_year.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("province_year", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("province_year", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_the_duckdb_scan_and_the_report_agree_row_by_row(bench: ModuleType, tmp_path: Path) -> None:
    rng = random.Random(5)  # noqa: S311 - test data
    agencies = bench.create_agencies(12)
    data, procedures = bench.catalogue(40, rng)
    import_catalogue(data, actor=None)
    legacy = tmp_path / "legacy.csv"
    bench.write_legacy(legacy, 3000, agencies, procedures, rng)
    call_command("import-dossiers", str(legacy), "--no-progress", stdout=io.StringIO())
    assert Dossier.objects.count() == 3000

    parquet = tmp_path / "scan.parquet"
    assert bench.export_parquet(tmp_path / "scan.csv", parquet) == 3000
    ours, theirs = bench.our_report(), bench.duckdb_report(parquet)
    assert len(ours) == 12
    assert bench.compare(ours, theirs) == []
    # Every figure of the report is exercised by the generated mix.
    totals = [sum(row[i] for row in ours.values()) for i in range(len(bench.FIGURES))]
    assert all(totals), dict(zip(bench.FIGURES, totals, strict=True))

    # Every grouping, the same way (the scan groups by the Parquet file's column).
    for group_by in bench.GROUPINGS:
        grouped = bench.our_report(group_by)
        assert grouped, group_by
        assert bench.compare(grouped, bench.duckdb_report(parquet, group_by)) == [], group_by

    # And the comparison does see a difference.
    agency = next(iter(theirs))
    theirs[agency] = (theirs[agency][0] + 1, *theirs[agency][1:])
    assert bench.compare(ours, theirs) == [
        f"{agency}: processing_report {ours[agency]} ≠ DuckDB {theirs[agency]}"
    ]
