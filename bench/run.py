"""Benchmarks for the foundation: ``make bench`` (or ``.venv/bin/python bench/run.py``).

Measures, on a fresh SQLite database (or ``DATABASE_URL`` if set):
- loading the 10,794 administrative units (target: under a minute), and re-loading them;
- importing the demo catalogue;
- due-date computations per second on the national calendar (mixed units, across Tết);
- the process's peak memory.
Prints a Markdown table to paste into bench/RESULTS.md.
"""

import datetime as dt
import json
import os
import platform
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    workdir = tempfile.mkdtemp(prefix="motcua-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.accounts.services import load_units
    from motcua.catalogue.interchange import import_catalogue
    from motcua.workdays import clock
    from motcua.workdays.calendars import spec_for_code

    call_command("migrate", verbosity=0)
    rows: list[tuple[str, str]] = []

    data = json.loads(
        (ROOT / "motcua/accounts/data/vn-admin-units-2025-03.json").read_text(encoding="utf-8")
    )
    started = time.perf_counter()
    counts = load_units(data, source="bench")
    rows.append(
        (
            f"load-units, first run ({counts['created']} units)",
            f"{time.perf_counter() - started:.2f} s",
        )
    )
    started = time.perf_counter()
    load_units(data, source="bench")
    rows.append(("load-units, re-run (nothing changes)", f"{time.perf_counter() - started:.2f} s"))

    catalogue = json.loads((ROOT / "motcua/demo/data/procedures.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    report = import_catalogue(catalogue, actor=None)
    rows.append(
        (
            f"import-catalogue, demo ({len(report.created)} procedures)",
            f"{time.perf_counter() - started:.2f} s",
        )
    )

    spec = spec_for_code("VN")
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    base = dt.datetime(2026, 1, 5, 8, 0, tzinfo=tz)
    units = ["working_days", "working_hours", "calendar_days"]
    n = 20_000
    started = time.perf_counter()
    for i in range(n):
        start = base + dt.timedelta(hours=7 * i % (24 * 400))
        clock.due(start, Decimal(1 + i % 20), units[i % 3], spec)
    elapsed = time.perf_counter() - started
    rows.append((f"due(), {n} mixed computations over 2026–2027", f"{n / elapsed:,.0f} per second"))

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows.append(("peak memory of the benchmark process", f"{peak_kib / 1024:.0f} MiB"))

    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"Database: {os.environ['DATABASE_URL'].split(':')[0]}")
    print()
    print("| measure | result |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
