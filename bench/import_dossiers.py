"""Benchmark of ``motcua import-dossiers``: ``.venv/bin/python bench/import_dossiers.py``.

Loads the demo (units, agencies, catalogue) into a fresh SQLite database under a temporary
directory (or into ``DATABASE_URL`` if set, which must be an empty database), writes ``--rows``
(default 1,000,000) realistic legacy rows to a temporary CSV file — the demo's procedures at the
agencies that receive them, received on working hours of weekdays while the version is in force,
mostly returned, some late, some still open — then imports it, re-runs the import (everything
skipped) and prints rows per second, elapsed times and the process's peak memory.
"""

import argparse
import csv
import datetime as dt
import io
import os
import platform
import random
import resource
import sqlite3
import sys
import tempfile
import time
from contextlib import redirect_stderr
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LAST_DAY = dt.date(2026, 11, 20)
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Yến"]
CHANNELS = ["truc_tiep"] * 5 + ["truc_tuyen"] * 4 + ["bcci"]
# Mostly returned; a few still open, paused, refused, withdrawn or stopped.
STATUSES = ["10"] * 70 + ["9"] * 8 + ["4"] * 6 + ["2"] * 3 + ["5"] * 2 + ["6"]
STATUSES += ["3"] * 4 + ["7"] * 3 + ["8"] * 2 + ["1"]


def targets() -> list[tuple[str, str, list[dt.date], int]]:
    """(procedure code, receiving agency code, weekdays its version is in force, statutory
    days) for every procedure at every agency that receives it."""
    from motcua.catalogue.models import AssignmentRole, ProcedureAssignment, ProcedureVersion

    found = []
    assignments = ProcedureAssignment.objects.filter(role=AssignmentRole.RECEIVING)
    for procedure_code, agency_code, procedure_id in assignments.values_list(
        "procedure__code", "agency__code", "procedure_id"
    ):
        for version in ProcedureVersion.objects.filter(procedure_id=procedure_id):
            first = max(version.effective_from, dt.date(2025, 7, 1))
            last = min(version.effective_to or LAST_DAY, LAST_DAY)
            case = version.cases.order_by("code").first()
            days = int(case.processing_time or 5) if case else 5
            weekdays = [
                first + dt.timedelta(days=i)
                for i in range((last - first).days + 1)
                if (first + dt.timedelta(days=i)).weekday() < 5
            ]
            if weekdays:
                found.append((procedure_code, agency_code, weekdays, max(days, 1)))
    return found


def write_rows(path: Path, n: int, seed: int = 2026) -> None:
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    choices = targets()
    assert choices, "the demo catalogue has no receiving assignments"
    # The demo received a few dossiers already: continue after them, as a legacy system's
    # numbering would have.
    from motcua.dossiers.legacy import REQUIRED_COLUMNS
    from motcua.dossiers.models import DossierCounter

    sequences = {
        (agency, day): last
        for agency, day, last in DossierCounter.objects.values_list("agency__code", "day", "last")
    }
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        # The historic import's own columns, in its order, and the applicant.
        writer.writerow([*REQUIRED_COLUMNS, "applicant_name", "applicant_id_number"])
        for _ in range(n):
            procedure, agency, weekdays, days = rng.choice(choices)
            day = rng.choice(weekdays)
            seq = sequences.get((agency, day), 0) + 1
            sequences[(agency, day)] = seq
            received = dt.datetime.combine(day, dt.time(7, 30), TZ) + dt.timedelta(
                minutes=rng.randrange(9 * 60)
            )
            status = rng.choice(STATUSES)
            due = received + dt.timedelta(days=days + days * 2 // 5)
            finished = None
            if status in {"3"}:
                finished = received + dt.timedelta(minutes=rng.randrange(5, 60))
            elif status in {"7", "8", "9", "10"}:
                # About 1 in 9 finishes after its due instant.
                spread = (due - received).total_seconds()
                finished = received + dt.timedelta(seconds=rng.uniform(0.2, 1.1) * spread)
            writer.writerow(
                [
                    f"{agency}-{day:%y%m%d}-{seq:04d}",
                    procedure,
                    agency,
                    rng.choice(CHANNELS),
                    received.isoformat(timespec="seconds"),
                    "" if status in {"1", "3"} else due.isoformat(timespec="seconds"),
                    finished.isoformat(timespec="seconds") if finished else "",
                    status,
                    f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    f"0{rng.randrange(10**10, 10**11)}",
                ]
            )


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--progress", action="store_true", help="show the import's progress bar")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="motcua-bench-import-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.demo.services import load_demo
    from motcua.dossiers.models import Dossier, DossierCounter, DossierEvent

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_demo(progress=lambda s: None)
    demo_s = time.perf_counter() - started

    path = workdir / "legacy.csv"
    started = time.perf_counter()
    write_rows(path, args.rows)
    write_s = time.perf_counter() - started
    size_mib = path.stat().st_size / 2**20
    before_mib = peak_mib()

    results: list[tuple[str, str]] = []
    flags = [] if args.progress else ["--no-progress"]
    for label in ("first run", "re-run (every code already present)"):
        out = io.StringIO()
        started = time.perf_counter()
        with redirect_stderr(sys.stderr):
            call_command("import-dossiers", str(path), *flags, stdout=out)
        elapsed = time.perf_counter() - started
        print(out.getvalue().strip(), file=sys.stderr)
        results.append(
            (
                f"import-dossiers, {label}",
                f"{elapsed:.1f} s ({args.rows / elapsed:,.0f} rows/s)",
            )
        )
    assert Dossier.objects.filter(imported=True).count() == args.rows
    assert DossierEvent.objects.filter(action="imported").count() == args.rows

    vendor = connection.vendor
    version = (
        sqlite3.sqlite_version if vendor == "sqlite" else str(getattr(connection, "pg_version", ""))
    )
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; database: {vendor} {version}"
    )
    print(
        f"Demo loaded in {demo_s:.1f} s; {args.rows:,} rows ({size_mib:.0f} MiB CSV) written in "
        f"{write_s:.1f} s; {DossierCounter.objects.count():,} daily counters after the import"
    )
    print()
    print("| measure | result |")
    print("|---|---|")
    for name, value in results:
        print(f"| {name} | {value} |")
    print(f"| peak memory before the import (demo + CSV writer) | {before_mib:.0f} MiB |")
    print(f"| peak memory of the benchmark process | {peak_mib():.0f} MiB |")


if __name__ == "__main__":
    main()
