"""``motcua import-dossiers``: historic dossiers from a legacy system's CSV file."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from motcua.accounts.models import AgencyKind
from motcua.catalogue.models import Case
from motcua.dossiers import intake
from motcua.dossiers.models import Dossier, DossierCounter, DossierEvent
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.dossiers.workflow import Action, Channel, Status
from motcua.testing import Cast, make_agency

HEADER = "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status"
GOOD = [
    # Returned early (finished 5 March, due 9 March); returned_at taken from finished_at.
    "H56.22-260302-0001,2.000720,H56.22,truc_tiep,2026-03-02T09:00:00+07:00,"
    "2026-03-09T09:00:00+07:00,2026-03-05T10:00:00+07:00,10",
    # Still processing, online.
    "H56.22-260302-0002,2.000720,H56.22,truc_tuyen,2026-03-02T10:00:00+07:00,"
    "2026-03-09T10:00:00+07:00,,4",
    # Refused at the desk: no appointment.
    "H56.22-260302-0003,2.000720,H56.22,bcci,2026-03-02T11:00:00+07:00,,"
    "2026-03-02T11:30:00+07:00,3",
]


@pytest.fixture
def case(cast: Cast) -> Case:
    return household_business_case(cast.agency)


def write(tmp_path: Path, lines: list[str], name: str = "legacy.csv", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import-dossiers", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_imports_each_dossier_with_one_event(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    """Every row becomes an imported dossier with exactly one IMPORTED event that tells the
    reports when it finished and whether it was on time."""
    out, _ = run(write(tmp_path, [HEADER, *GOOD]))
    assert "imported 3" in out and "skipped 0" in out and "invalid 0" in out

    returned = Dossier.objects.get(code="H56.22-260302-0001")
    assert returned.imported and returned.revision == 0
    assert returned.status == Status.RETURNED
    assert returned.channel == Channel.IN_PERSON
    assert returned.version == case.version and returned.case == case
    assert returned.receiving_agency == returned.lead_agency == returned.current_agency
    assert returned.current_agency == cast.agency
    assert returned.applicant_name == "(không rõ)"
    assert returned.received_at == returned.clock_started_at == at("2026-03-02T09:00")
    assert returned.due_at == at("2026-03-09T09:00")
    assert returned.finished_at == returned.returned_at == at("2026-03-05T10:00")
    assert not returned.steps.exists()

    event = returned.events.get()
    assert event.action == Action.IMPORTED
    assert (event.old_status, event.new_status) == ("", Status.RETURNED)
    assert event.at == at("2026-03-02T09:00")
    assert event.agency == cast.agency and event.actor is None
    assert event.data == {
        "source": "legacy.csv",
        "line": 2,
        "due_at": "2026-03-09T09:00:00+07:00",
        "finished_at": "2026-03-05T10:00:00+07:00",
        "returned_at": "2026-03-05T10:00:00+07:00",
        "timeliness": "early",
    }

    online = Dossier.objects.get(code="H56.22-260302-0002")
    assert online.channel == Channel.ONLINE and online.status == Status.PROCESSING
    assert online.finished_at is None and online.returned_at is None
    assert online.events.get().data["finished_at"] is None
    refused = Dossier.objects.get(code="H56.22-260302-0003")
    assert refused.channel == Channel.POST and refused.due_at is None
    assert "timeliness" not in refused.events.get().data
    assert DossierEvent.objects.count() == 3


def test_optional_columns_fill_the_applicant_the_case_and_the_return(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    """Optional columns may come in any order after the required ones."""
    header = HEADER + ",returned_at,applicant_id_number,applicant_name,case_code"
    row = GOOD[0] + ",2026-03-06T08:00:00+07:00,087090001234,Nguyễn Văn Bình,1"
    run(write(tmp_path, [header, row]))
    dossier = Dossier.objects.get()
    assert dossier.applicant_name == "Nguyễn Văn Bình"
    assert dossier.applicant_id_number == "087090001234"
    assert dossier.returned_at == at("2026-03-06T08:00")
    assert dossier.events.get().data["returned_at"] == "2026-03-06T08:00:00+07:00"


def test_bad_rows_are_reported_by_line_and_column_while_good_rows_import(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    """Each invalid row is reported (line 1 is the header) and skipped; the valid rows are
    imported and the command fails afterwards."""
    ok = "2026-03-02T09:00:00+07:00,2026-03-09T09:00:00+07:00"
    lines = [
        HEADER,
        GOOD[0],  # 2
        f"X-1,2.000720,H56.22,fax,{ok},,4",  # 3: bad channel
        f"X-2,2.000720,H56.22,truc_tiep,{ok},,11",  # 4: bad status
        "X-3,2.000720,H56.22,truc_tiep,02/03/2026 09:00,2026-03-09T09:00:00+07:00,,4",  # 5
        f"X-4,2.000720,H56.22,truc_tiep,{ok},,9",  # 6: finished without finished_at
        f"X-5,9.999999,H56.22,truc_tiep,{ok},,4",  # 7: unknown procedure
        f"X-6,2.000720,H99.99,truc_tiep,{ok},,4",  # 8: unknown agency
        GOOD[1],  # 9
        GOOD[0].replace(",10", ",9"),  # 10: same code as line 2
        f"X-7,2.000720,H56.22,truc_tiep,{ok},2026-03-05T10:00:00+07:00,4",  # 11: unfinished
        "X-8,2.000720,H56.22,truc_tiep,2026-03-02T09:00:00,2026-03-09T09:00:00+07:00,,4",  # 12
        "X-9,2.000720,H56.22,truc_tiep,2025-06-02T09:00:00+07:00,2025-06-09T09:00:00+07:00,,2",
        f"X-10,2.000720,H56.22,truc_tiep,{ok},,4,extra",  # 14: too many fields
        # 15: every problem of a row is reported (no due_at, finished before received)
        "X-11,2.000720,H56.22,truc_tiep,2026-03-02T09:00:00+07:00,,2026-03-01T09:00:00+07:00,7",
    ]
    errors_file = tmp_path / "errors.csv"
    with pytest.raises(CommandError, match="12 ") as failed:
        run(write(tmp_path, lines), "--errors-file", str(errors_file))
    assert str(failed.value).endswith("2 dossier(s) from the valid rows imported")

    assert set(Dossier.objects.values_list("code", flat=True)) == {
        "H56.22-260302-0001",
        "H56.22-260302-0002",
    }
    with errors_file.open(encoding="utf-8") as f:
        reported = [(int(r["line"]), r["column"], r["message"]) for r in csv.DictReader(f)]
    assert [(line, column) for line, column, _ in reported] == [
        (3, "channel"),
        (4, "status"),
        (5, "received_at"),
        (6, "finished_at"),
        (7, "procedure_code"),
        (8, "agency_code"),
        (10, "code"),
        (11, "finished_at"),
        (12, "received_at"),
        (13, "procedure_code"),
        (14, ""),
        (15, "due_at"),
        (15, "finished_at"),
    ]
    by_line = {line: (column, message) for line, column, message in reported}
    assert by_line[3] == (
        "channel",
        "kênh 'fax' không hợp lệ / channel must be one of truc_tiep, truc_tuyen, bcci",
    )
    assert by_line[4][0] == "status"
    assert by_line[5][0] == "received_at" and "ISO 8601" in by_line[5][1]
    assert by_line[6] == (
        "finished_at",
        "trạng thái 9 cần thời điểm kết thúc / status 9 needs finished_at",
    )
    assert by_line[7][0] == "procedure_code" and "9.999999" in by_line[7][1]
    assert by_line[8][0] == "agency_code" and "H99.99" in by_line[8][1]
    assert by_line[10] == ("code", "mã trùng với dòng 2 / same code as line 2")
    assert by_line[11][0] == "finished_at" and "unfinished" in by_line[11][1]
    assert by_line[12][0] == "received_at"  # no offset
    assert by_line[13][0] == "procedure_code" and "not in force on 2025-06-02" in by_line[13][1]
    assert by_line[14][0] == "" and "expected 8" in by_line[14][1]
    assert "before received_at" in reported[-1][2]


def test_an_error_names_the_line_where_a_multi_line_row_starts(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    header = HEADER + ",applicant_name"
    lines = [header, GOOD[1] + ',"Nguyễn\nVăn Bình"', GOOD[0].replace(",10", ",99") + ",An"]
    errors_file = tmp_path / "errors.csv"
    with pytest.raises(CommandError):
        run(write(tmp_path, lines), "--errors-file", str(errors_file))
    assert "4,status," in errors_file.read_text(encoding="utf-8")
    # Read whole across the line break, and stored on one line like every name.
    assert Dossier.objects.get().applicant_name == "Nguyễn Văn Bình"


def test_strict_imports_nothing_when_a_row_is_bad(cast: Cast, case: Case, tmp_path: Path) -> None:
    bad = GOOD[1].replace("truc_tuyen", "fax").replace("-0002", "-0009")
    with pytest.raises(CommandError, match="nothing imported"):
        run(write(tmp_path, [HEADER, *GOOD, bad]), "--strict")
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()


def test_strict_imports_everything_when_every_row_is_good(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    out, _ = run(write(tmp_path, [HEADER, *GOOD]), "--strict")
    assert "imported 3" in out
    assert Dossier.objects.count() == 3


def test_dry_run_checks_and_counts_but_writes_nothing(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    out, _ = run(write(tmp_path, [HEADER, *GOOD]), "--dry-run")
    assert "would import 3" in out
    assert not Dossier.objects.exists()


def test_a_rerun_imports_nothing_new_and_counts_what_it_skipped(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    path = write(tmp_path, [HEADER, *GOOD])
    run(path)
    out, _ = run(path, "--batch-size", "2")
    assert "imported 0" in out and "skipped 3" in out
    assert Dossier.objects.count() == 3
    assert DossierEvent.objects.count() == 3


def test_a_byte_order_mark_is_accepted(cast: Cast, case: Case, tmp_path: Path) -> None:
    run(write(tmp_path, [HEADER, *GOOD], bom=True))
    assert Dossier.objects.count() == 3


def test_a_file_without_a_required_column_imports_nothing(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    header = HEADER.replace(",status", ",state")
    with pytest.raises(CommandError, match=r"missing columns: status.*unknown columns: state"):
        run(write(tmp_path, [header, *GOOD]))
    assert not Dossier.objects.exists()


def test_a_file_that_is_not_utf8_imports_nothing(cast: Cast, case: Case, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes(("\n".join([HEADER, *GOOD]) + "\n").encode() + "Bình\n".encode("latin-1"))
    with pytest.raises(CommandError, match="line 5 is not UTF-8"):
        run(path)
    assert not Dossier.objects.exists()


def test_imported_codes_advance_the_daily_counter(cast: Cast, case: Case, tmp_path: Path) -> None:
    """A dossier received at the desk later on an imported day gets the next number, not an
    imported one; the counter never moves back."""
    row = GOOD[1].replace("-0002", "-0007")
    other_day = GOOD[1].replace("H56.22-260302-0002", "LEGACY/42")
    DossierCounter.objects.create(agency=cast.agency, day=dt.date(2026, 3, 3), last=20)
    next_day = GOOD[1].replace("260302-0002", "260303-0005")
    run(write(tmp_path, [HEADER, row, GOOD[0], other_day, next_day]))

    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T14:00")
    )
    assert dossier.code == "H56.22-260302-0008"
    later = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-03T14:00")
    )
    assert later.code == "H56.22-260303-0021"


def test_the_lead_agency_is_the_competent_one_as_at_intake(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    """A ward centre under the competent agency receives; the competent agency leads."""
    ward = make_agency(
        "H56.22.01", "Trung tâm phục vụ hành chính công phường", AgencyKind.COMMUNE_CENTRE,
        parent=cast.agency,
    )  # fmt: skip
    row = GOOD[1].replace("H56.22,", "H56.22.01,").replace("H56.22-", "H56.22.01-")
    run(write(tmp_path, [HEADER, row]))
    dossier = Dossier.objects.get()
    assert dossier.receiving_agency == dossier.current_agency == ward
    assert dossier.lead_agency == intake.lead_agency_for(case, ward) == cast.agency


def test_a_broken_csv_stops_with_its_line(cast: Cast, case: Case, tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    huge = '"' + "x" * 200_000 + '"'  # over the csv module's field size limit
    path.write_text("\n".join([HEADER, GOOD[0], huge]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 3") as stopped:
        run(path, "--strict")
    assert not Dossier.objects.exists()
    assert "nothing imported" in str(stopped.value)
    assert "were imported" not in str(stopped.value)


def broken_after_good_rows(tmp_path: Path) -> Path:
    """The three good rows (lines 2–4), then a line the csv module cannot read (line 5)."""
    path = tmp_path / "legacy.csv"
    huge = '"' + "x" * 200_000 + '"'  # over the csv module's field size limit
    path.write_text("\n".join([HEADER, *GOOD, huge]) + "\n", encoding="utf-8")
    return path


def test_a_small_file_that_breaks_halfway_imports_nothing(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    """A file that fits in one transaction is all or nothing by default, even without
    --strict and with batches smaller than the file."""
    with pytest.raises(CommandError, match="line 5") as stopped:
        run(broken_after_good_rows(tmp_path), "--batch-size", "1")
    assert not Dossier.objects.exists()
    assert not DossierEvent.objects.exists()
    assert not DossierCounter.objects.exists()
    assert str(stopped.value).endswith("nothing imported")


def test_a_batch_import_that_breaks_keeps_its_committed_batches_and_says_exactly_which(
    cast: Cast, case: Case, tmp_path: Path
) -> None:
    """With --commit batch, the batch of lines 2–3 was committed before line 5 broke; line 4,
    still in the next batch, was not."""
    with pytest.raises(CommandError) as stopped:
        run(broken_after_good_rows(tmp_path), "--commit", "batch", "--batch-size", "2")
    assert sorted(Dossier.objects.values_list("code", flat=True)) == [
        GOOD[0].split(",")[0],
        GOOD[1].split(",")[0],
    ]
    assert "kept 2 dossier(s) imported from the rows up to line 3, nothing after line 3" in str(
        stopped.value
    )


def test_files_up_to_the_threshold_are_all_or_nothing_and_larger_ones_commit_by_batch(
    cast: Cast, case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.dossiers import legacy

    path = write(tmp_path, [HEADER, *GOOD])
    assert legacy.DossierImport(path).default_commit == "file"
    monkeypatch.setattr(legacy, "WHOLE_FILE_MAX_ROWS", 2)
    assert legacy.DossierImport(path).default_commit == "batch"
    with pytest.raises(ValueError, match="commit"):
        legacy.DossierImport(path).run(commit="sometimes")
