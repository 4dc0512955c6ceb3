"""``motcua import-dossiers FILE.csv``: historic dossiers from a legacy one-stop system.

The file
--------
UTF-8 CSV (a byte-order mark is accepted), header::

    code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status

with, optionally, ``applicant_name``, ``applicant_id_number``, ``returned_at`` and ``case_code``
in any order. ``channel`` is ``truc_tiep`` (in person), ``truc_tuyen`` (online) or ``bcci``
(public post); times are ISO 8601 with their offset (``2025-07-14T09:00:00+07:00``); ``status``
is a code 1–10 of the workflow (domain §1).

Checks, each reported as ``line, column, message`` (line 1 is the header)
--------------------------------------------------------------------------
- ``code`` present, at most 64 characters, not repeated in the file (the first row keeps it);
- ``agency_code`` an agency's electronic ID code; ``procedure_code`` a procedure with a version
  in force on the local date of ``received_at``; ``case_code``, if given, a case of that version
  (otherwise the version's case with the lowest code);
- ``channel`` and ``status`` from the lists above; ``received_at`` present; every time parses;
- finished statuses (3, 7, 8, 9, 10) have ``finished_at``, the others (1, 2, 4, 5, 6) do not;
  ``received_at`` ≤ ``finished_at`` ≤ ``returned_at``; ``due_at`` is empty only for 1 and 3;
  ``returned_at`` only with status 10.

What an imported dossier looks like
-----------------------------------
``imported=True``, ``revision=0``, no steps and no documents; receiving and current agency the
row's agency, lead agency the competent agency as at intake (``intake.lead_agency_for``);
``received_at`` and ``clock_started_at`` = ``received_at`` (and ``submitted_at`` when online);
``due_at``, ``finished_at`` as given; ``returned_at`` for status 10 from its column or
``finished_at``; ``applicant_name`` "(không rõ)" when missing; statuses 5 and 6 resume to
processing (``status_before_pause`` = 4).

Each dossier gets exactly ONE event, which is what the reports count: action ``imported``,
``old_status`` "", ``new_status`` the status, ``at`` = ``received_at``, agency = the row's agency,
no actor, and ``data``::

    {"source": "<file name>", "line": <n>, "due_at": <ISO or null>,
     "finished_at": <ISO or null>, "returned_at": <ISO or null>,
     "timeliness": "early" | "on_time" | "late"}   # only for statuses 9 and 10

Times in ``data`` are ISO 8601 in Vietnam's time zone, as in every event. ``timeliness`` is
judged like ``services.approve``: ``finished_at`` against ``due_at`` at date level (domain §4);
the reports can count received by ``at``, finished by ``finished_at`` and early / on time / late
by ``timeliness`` (or recompute it from ``finished_at`` and ``due_at``).

Writing
-------
Valid rows are written in batches (``--batch-size``, default 5,000) holding their dossiers, their
events and the daily counters. A file of up to 20,000 rows (``legacy.WHOLE_FILE_MAX_ROWS``) is
written in one transaction, all or nothing: if the file turns out broken halfway (a CSV error),
nothing is imported. A larger file commits each batch in its own transaction, so the database is
not locked for minutes; if it stops halfway, the batches committed before stay and the message
says how many dossiers, from the rows up to which line (a re-run skips them and imports the
rest). ``--commit file`` or ``--commit batch`` chooses either way for any size. Codes of the form
``<agency>-<YYMMDD>-<sequence>`` move that agency's counter for that day to at least the
sequence, so the desk never issues an imported code again. Codes already in the database are
skipped and counted, so a re-run imports nothing new. Invalid rows are reported and not
imported; the valid ones are imported anyway unless ``--strict`` (the whole file is checked
first and nothing is written if any row is invalid). The command fails (non-zero exit) when any
row was invalid, and its last line says what was imported.
"""

import csv
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from motcua.catalogue.cells import csv_text
from motcua.dossiers.legacy import (
    BATCH_SIZE,
    COMMIT_MODES,
    WHOLE_FILE_MAX_ROWS,
    DossierImport,
    LegacyFileError,
    RowError,
)

SHOWN_ERRORS = 50


class Command(BaseCommand):
    help = (
        "Import historic dossiers from a legacy system's CSV file; invalid rows are reported "
        "with their line and column and not imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Import nothing if any row is invalid (the file is checked first)",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing")
        parser.add_argument(
            "--errors-file",
            type=Path,
            help="Write every error to this CSV file (line,column,message)",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--commit",
            choices=COMMIT_MODES,
            help=(
                "file: one transaction for the whole file, all or nothing; batch: one per batch, "
                "earlier batches kept if the file breaks later (default: file up to "
                f"{WHOLE_FILE_MAX_ROWS:,} rows, batch above)"
            ),
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không có tệp / no such file: {path}")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size phải ≥ 1 / must be at least 1")
        started = time.perf_counter()
        try:
            run = DossierImport(path, batch_size=options["batch_size"])
        except LegacyFileError as exc:
            raise CommandError(f"Không nhập gì / nothing imported: {exc}") from None
        strict, dry_run = options["strict"], options["dry_run"]
        passes = 2 if strict and not dry_run else 1
        with tqdm(
            total=run.total_rows * passes,
            unit=" dòng/rows",
            file=sys.stderr,
            disable=options["no_progress"] or options["verbosity"] == 0,
            mininterval=0.5,
        ) as bar:
            try:
                report = run.run(
                    strict=strict, dry_run=dry_run, commit=options["commit"], progress=bar.update
                )
            except LegacyFileError as exc:
                raise CommandError(f"Dừng / stopped: {exc}; {kept(exc)}") from None
        elapsed = time.perf_counter() - started
        self.report_errors(report.errors, options["errors_file"])

        verb = "sẽ nhập / would import" if dry_run else "đã nhập / imported"
        summary = (
            f"{report.source}: {report.rows} dòng / rows; {verb} {report.imported}; "
            f"đã có, bỏ qua / already present, skipped {report.skipped}; "
            f"không hợp lệ / invalid {report.invalid}; "
            f"{elapsed:.1f} s ({report.rows / elapsed if elapsed else 0:,.0f} dòng/s / rows/s)."
        )
        if report.invalid:
            self.stdout.write(summary)
            if strict or dry_run:
                outcome = "không nhập gì / nothing imported"
            else:
                outcome = (
                    f"đã nhập {report.imported} hồ sơ từ các dòng hợp lệ / "
                    f"{report.imported} dossier(s) from the valid rows imported"
                )
            raise CommandError(f"{report.invalid} dòng không hợp lệ / invalid row(s); {outcome}")
        self.stdout.write(self.style.SUCCESS(summary))

    def report_errors(self, errors: list[RowError], errors_file: Path | None) -> None:
        """Every error to ``errors_file`` (if given) as CSV; the first ``SHOWN_ERRORS`` to
        stderr, and how many more there are."""
        if errors_file:
            with errors_file.open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(["line", "column", "message"])
                writer.writerows((e.line, csv_text(e.column), csv_text(e.message)) for e in errors)
        for error in errors[:SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if len(errors) > SHOWN_ERRORS:
            more = len(errors) - SHOWN_ERRORS
            self.stderr.write(
                f"… và {more} lỗi nữa / and {more} more"
                + ("" if errors_file else " (--errors-file FILE)")
            )


def kept(error: LegacyFileError) -> str:
    """What a stopped import left in the database, exactly."""
    if not error.imported:
        return "không nhập gì / nothing imported"
    n, line = error.imported, error.kept_through
    return (
        f"giữ {n} hồ sơ đã nhập từ các dòng đến dòng {line}, không nhập gì sau dòng {line} / "
        f"kept {n} dossier(s) imported from the rows up to line {line}, nothing after line "
        f"{line}; sửa tệp rồi chạy lại, mã đã nhập được bỏ qua / fix the file and run again: "
        "imported codes are skipped"
    )
