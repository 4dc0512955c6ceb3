"""The province-year benchmark (issue #5): ``.venv/bin/python bench/province_year.py --db sqlite``.

In one run:

1. a fresh database (``var/bench/province_year.sqlite3``, or the PostgreSQL database
   ``motcua_bench_province`` dropped and created on ``--pg-server``), migrated;
2. ``--agencies`` agencies (through ``accounts.services.create_agency``) and ``--procedures``
   procedures (through the catalogue interchange, ``import_catalogue``, as
   ``motcua import-catalogue`` does); a legacy CSV of ``--dossiers`` dossiers received on the
   weekdays of one year (21/11/2025 → 20/11/2026), with a seeded RNG;
3. ``motcua import-dossiers`` on that file (the historic import, timed);
4. the dossiers read back from the database and written to Parquet by DuckDB (receiving agency,
   channel, status, local received / due / finished dates);
5. the province-year processing report grouped by each of the five groupings (agency, field,
   procedure, level, channel; ``processing_report``, first run and best of ``--repeat`` warm
   runs) against a DuckDB full scan of the Parquet file computing the same report from the
   definitions, grouped the same way (best of ``--repeat``); also the scoped path that reports
   restricted to some agencies or to one kind of version take (``AgencyGroupRollup``), timed
   as the report on the versions that are not inter-agency (all of them here: the same
   figures, checked);
6. both answers compared row by row for every grouping: any difference fails the run;
7. a Markdown section printed and written to ``var/bench/province_year-<db>.md``.

The legacy CSV (``var/bench/province_year-<sizes>-<seed>.csv``) is kept and reused by the next
run with the same sizes and seed (``--fresh-csv`` rewrites it).
"""

import argparse
import csv
import datetime as dt
import io
import itertools
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "var" / "bench"
PG_DATABASE = "motcua_bench_province"  # --pg-database
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# One year of data; the report is the 2026 annual window (15/12 → 14/12, domain §5) up to the
# last day of data, so that dossiers received from 21/11 to 14/12/2025 can be carried over.
FIRST_DAY = dt.date(2025, 11, 21)
LAST_DAY = dt.date(2026, 11, 20)
PERIOD = (dt.date(2025, 12, 15), LAST_DAY)
LAST_INSTANT = dt.datetime.combine(LAST_DAY, dt.time(17, 0), TZ)
PROVINCE = "H99"

# Status mix after the seeds (/work/shared/seeds, domain §5: 85,020 received, 82,566 on time,
# 2,454 not yet due; provinces report 96.8–99.9 % on time): mostly returned, a few percent
# still open (some paused), a little refused at the desk, withdrawn or stopped.
STATUS_WEIGHTS = {
    "10": 80.0,
    "9": 6.0,
    "7": 1.5,
    "3": 1.5,
    "8": 0.5,
    "4": 6.0,
    "2": 2.0,
    "5": 1.5,
    "6": 0.5,
    "1": 0.5,
}
OPEN = frozenset({"1", "2", "4", "5", "6"})
LATE_SHARE = 0.03  # of finished dossiers (seeds: 0.04–3.2 % late)
STUCK_SHARE = 0.1  # of open dossiers, received any time in the year (hence overdue)
# Legacy channel codes: in person, online (≥ 50 % is the 766 index threshold), public post.
CHANNEL_WEIGHTS = {"truc_tiep": 50.0, "truc_tuyen": 45.0, "bcci": 5.0}
STATUTORY_DAYS = [1, 2, 3, 5, 7, 10, 15, 20, 30]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan", "Trương", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Ngọc", "Quốc", "Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Tâm", "Yến"]
FIGURES = (
    "carried_over",
    "received_online",
    "received_direct_or_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn",
    "pending_in_time",
    "pending_overdue",
    "pending_paused",
)
Figures = tuple[int, ...]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


# --- 1. the database -------------------------------------------------------------------------


def fresh_database(db: str, server: str, *, reuse: bool = False, name: str = PG_DATABASE) -> str:
    """A fresh, empty database (with ``reuse``: the previous run's, SQLite file or PostgreSQL
    database ``name``); its URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    if db == "sqlite":
        path = OUT / "province_year.sqlite3"
        if reuse:
            return f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    if reuse:
        return f"{server}/{name}"
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def drop_database(server: str, name: str = PG_DATABASE) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")


# --- 2. agencies, procedures and the legacy file ---------------------------------------------


def agency_specs(n: int) -> list[tuple[str, str, str, str | None]]:
    """(code, name, kind, parent code): the provincial People's Committee, its service centre,
    departments, then commune People's Committees (each receiving at its one-stop desk)."""
    from motcua.accounts.models import AgencyKind

    specs: list[tuple[str, str, str, str | None]] = [
        (PROVINCE, "UBND tỉnh Thử Nghiệm", AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, None),
        (
            f"{PROVINCE}.20",
            "Trung tâm Phục vụ hành chính công tỉnh Thử Nghiệm",
            AgencyKind.PUBLIC_ADMINISTRATION_SERVICE_CENTRE,
            PROVINCE,
        ),
    ]
    departments = min(30, max(n - 2, 0) // 5)
    for i in range(departments):
        code = f"{PROVINCE}.{21 + i}"
        specs.append((code, f"Sở số {i + 1} tỉnh Thử Nghiệm", AgencyKind.PROVINCIAL_DEPARTMENT,
                      PROVINCE))  # fmt: skip
    i = 0
    while len(specs) < n:
        specs.append((f"{PROVINCE}.{100 + i}", f"Ủy ban nhân dân xã số {i + 1}",
                      AgencyKind.COMMUNE_PEOPLES_COMMITTEE, PROVINCE))  # fmt: skip
        i += 1
    return specs[:n]


def create_agencies(n: int) -> list[tuple[str, str]]:
    """The agencies through the service (each with its event); (code, kind) of each."""
    from motcua.accounts.services import create_agency
    from motcua.workdays.models import Calendar

    calendar = Calendar.objects.get(code="VN")
    created: dict[str, Any] = {}
    for code, name, kind, parent in agency_specs(n):
        created[code] = create_agency(
            actor=None,
            code=code,
            name=name,
            kind=kind,
            parent=created[parent] if parent else None,
            calendar=calendar,
        )
    return [(code, agency.kind) for code, agency in created.items()]


def catalogue(n: int, rng: random.Random) -> tuple[dict[str, Any], list[tuple[str, bool, int]]]:
    """An interchange file of ``n`` procedures (70 % provincial, 30 % commune), each with one
    case; and (code, provincial, statutory working days) of each."""
    fields = [{"code": f"F{i:02d}", "name": f"Lĩnh vực {i}", "name_en": f"Field {i}"}
              for i in range(1, 31)]  # fmt: skip
    decision = "1/QĐ-UBND"
    procedures, found = [], []
    for i in range(n):
        code = f"9.{i:06d}"
        provincial = i % 10 < 7
        days = rng.choice(STATUTORY_DAYS)
        found.append((code, provincial, days))
        procedures.append(
            {
                "code": code,
                "name": f"Thủ tục thử nghiệm số {i + 1}",
                "field": fields[i % len(fields)]["code"],
                "levels": ["province"] if provincial else ["commune"],
                "competent_authority": "Ủy ban nhân dân tỉnh"
                if provincial
                else "Ủy ban nhân dân cấp xã",
                "online_level": rng.choice(["full", "partial", "none"]),
                "decision": decision,
                "cases": [
                    {
                        "code": "1",
                        "name": "Trường hợp chung",
                        "processing_time": str(days),
                        "time_unit": "working_days",
                    }
                ],
            }
        )
    data = {
        "format": "motcua-catalogue/1",
        "fields": fields,
        "decisions": [
            {
                "number": decision,
                "signed_on": "2025-06-20",
                "issuer": "Ủy ban nhân dân tỉnh Thử Nghiệm",
                "effective_from": "2025-07-01",
                "title": "Công bố danh mục thủ tục hành chính (thử nghiệm)",
            }
        ],
        "procedures": procedures,
    }
    return data, found


def weekdays() -> list[dt.date]:
    days = [FIRST_DAY + dt.timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]
    return [d for d in days if d.weekday() < 5]


def write_legacy(
    path: Path,
    n: int,
    agencies: list[tuple[str, str]],
    procedures: list[tuple[str, bool, int]],
    rng: random.Random,
) -> None:
    """``n`` legacy rows: Zipf-like popularity of procedures and agencies (a few procedures and
    the service centre take most dossiers), provincial procedures at the centre and departments,
    commune procedures at the communes."""
    from motcua.accounts.models import AgencyKind
    from motcua.dossiers.legacy import REQUIRED_COLUMNS

    provincial = [p for p in procedures if p[1]]
    communal = [p for p in procedures if not p[1]]
    # Cumulative weights, computed once (``choices`` would sum them at every call).
    provincial_w = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(provincial))))
    communal_w = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(communal))))
    agency_w = []
    for rank, (_code, kind) in enumerate(agencies):
        if kind == AgencyKind.PUBLIC_ADMINISTRATION_SERVICE_CENTRE:
            agency_w.append(60.0)
        elif kind == AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE:
            agency_w.append(0.5)
        else:
            agency_w.append(1 + 3 / (rank + 1) ** 0.5)
    kinds = dict(agencies)
    codes = [a for a, _ in agencies]
    days = weekdays()
    recent = [d for d in days if (LAST_DAY - d).days <= 60]
    statuses, status_w = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    channels, channel_w = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
    sequences: dict[tuple[str, dt.date], int] = {}
    chunk = 10000
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        # The historic import's own columns, in its order, and the applicant.
        writer.writerow([*REQUIRED_COLUMNS, "applicant_name", "applicant_id_number"])
        done = 0
        while done < n:
            size = min(chunk, n - done)
            done += size
            agency_pick = rng.choices(codes, agency_w, k=size)
            status_pick = rng.choices(statuses, status_w, k=size)
            channel_pick = rng.choices(channels, channel_w, k=size)
            for agency, status, channel in zip(agency_pick, status_pick, channel_pick, strict=True):
                provincial_agency = kinds[agency] != AgencyKind.COMMUNE_PEOPLES_COMMITTEE
                pool, weights = (
                    (provincial, provincial_w) if provincial_agency else (communal, communal_w)
                )
                procedure, _prov, statutory = rng.choices(pool, cum_weights=weights)[0]
                span = statutory + statutory * 2 // 5  # working days → calendar days, roughly
                if status in OPEN and rng.random() > STUCK_SHARE:
                    # Open and not stuck: received within its processing time before the end.
                    day = recent[-1 - rng.randrange(min(span * 5 // 7 + 1, len(recent)))]
                else:
                    day = rng.choice(days)
                seq = sequences.get((agency, day), 0) + 1
                sequences[(agency, day)] = seq
                received = dt.datetime.combine(day, dt.time(7, 30), TZ) + dt.timedelta(
                    minutes=rng.randrange(9 * 60)
                )
                due = received + dt.timedelta(days=span)  # the legacy system's own due date
                finished: dt.datetime | None = None
                if status == "3":
                    finished = received + dt.timedelta(minutes=rng.randrange(5, 60))
                elif status == "7":
                    finished = received + (due - received) * rng.random()
                elif status in {"8", "9", "10"}:
                    if rng.random() < LATE_SHARE:
                        finished = due + dt.timedelta(days=rng.randrange(1, 15))
                    else:
                        finished = received + (due - received) * rng.uniform(0.1, 1.0)
                if finished is not None:
                    finished = max(min(finished, LAST_INSTANT), received)
                if status == "1":
                    channel = "truc_tuyen"  # registered online, not yet received
                writer.writerow(
                    [
                        f"{agency}-{day:%y%m%d}-{seq:04d}",
                        procedure,
                        agency,
                        channel,
                        received.isoformat(timespec="seconds"),
                        "" if status in {"1", "3"} else due.isoformat(timespec="seconds"),
                        finished.isoformat(timespec="seconds") if finished else "",
                        status,
                        f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                        f"0{rng.randrange(10**10, 10**11)}",
                    ]
                )


# --- 4. Parquet ------------------------------------------------------------------------------

SCAN_COLUMNS = (
    "agency, field, procedure, level, channel, status, received_day, due_day, finished_day"
)
GROUPINGS = ("agency", "field", "procedure", "level", "channel")


def export_parquet(csv_path: Path, parquet_path: Path) -> int:
    """The imported dossiers, read back from the database, as Parquet (through a CSV that
    DuckDB converts): the receiving agency's code, the field's and procedure's codes, the
    agency's level (``other`` without a unit), the channel and the local dates the report
    needs."""
    import duckdb

    from motcua.accounts.models import Agency
    from motcua.catalogue.models import ProcedureVersion
    from motcua.dossiers.deadlines import local_date
    from motcua.dossiers.models import Dossier
    from motcua.reports.processing import OTHER_LEVEL

    codes = dict(Agency.objects.values_list("pk", "code"))
    levels = {
        pk: level or OTHER_LEVEL for pk, level in Agency.objects.values_list("pk", "unit__level")
    }
    versions = {
        pk: (field, procedure)
        for pk, field, procedure in ProcedureVersion.objects.values_list(
            "pk", "field__code", "procedure__code"
        )
    }
    rows = Dossier.objects.order_by().values_list(
        "receiving_agency_id",
        "version_id",
        "channel",
        "status",
        "received_at",
        "due_at",
        "finished_at",
    )
    count = 0
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(SCAN_COLUMNS.split(", "))
        for agency, version, channel, status, received, due, finished in rows.iterator(
            chunk_size=20000
        ):
            writer.writerow(
                [
                    codes[agency],
                    *versions[version],
                    levels[agency],
                    channel,
                    status,
                    local_date(received) if received else "",
                    local_date(due) if due else "",
                    local_date(finished) if finished else "",
                ]
            )
            count += 1
    parquet_path.unlink(missing_ok=True)
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM read_csv(?, header = true, columns = {"  # noqa: S608 - our path
        "'agency': 'VARCHAR', 'field': 'VARCHAR', 'procedure': 'VARCHAR', "
        "'level': 'VARCHAR', 'channel': 'VARCHAR', 'status': 'VARCHAR', "
        "'received_day': 'DATE', 'due_day': 'DATE', 'finished_day': 'DATE'})) "
        f"TO '{parquet_path}' (FORMAT parquet)",
        [str(csv_path)],
    )
    con.close()
    return count


# --- 5. the two reports ----------------------------------------------------------------------

# The processing report's definitions (docs/reports.md) over the dossiers themselves: outside
# the report are statuses 1 and 3; finished means 7, 9, 10 (8, stopped, stays pending and
# paused); early / on time / late compare the finished and due dates (domain §4) of 9 and 10;
# withdrawn (7) is counted apart; pending dossiers are overdue when due before the end (or
# today, if earlier: $judged) unless waiting for a supplement or a payment (5, 6).
DUCKDB_REPORT = """
WITH d AS (
    SELECT {group} AS grp, channel, status, received_day, due_day,
           CASE WHEN status IN ('7', '9', '10') THEN finished_day END AS fin
    FROM read_parquet($path)
    WHERE status NOT IN ('1', '3') AND received_day IS NOT NULL
)
SELECT grp,
    count(*) FILTER (WHERE received_day < $start AND (fin IS NULL OR fin >= $start)),
    count(*) FILTER (WHERE received_day BETWEEN $start AND $end AND channel = 'online'),
    count(*) FILTER (WHERE received_day BETWEEN $start AND $end AND channel <> 'online'),
    count(*) FILTER (WHERE fin BETWEEN $start AND $end AND status <> '7'
                     AND due_day IS NOT NULL AND fin < due_day),
    count(*) FILTER (WHERE fin BETWEEN $start AND $end AND status <> '7'
                     AND (due_day IS NULL OR fin = due_day)),
    count(*) FILTER (WHERE fin BETWEEN $start AND $end AND status <> '7' AND fin > due_day),
    count(*) FILTER (WHERE fin BETWEEN $start AND $end AND status = '7'),
    count(*) FILTER (WHERE received_day <= $end AND (fin IS NULL OR fin > $end)
                     AND NOT (due_day IS NOT NULL AND due_day < $judged
                              AND status NOT IN ('5', '6'))),
    count(*) FILTER (WHERE received_day <= $end AND (fin IS NULL OR fin > $end)
                     AND due_day < $judged AND status NOT IN ('5', '6')),
    count(*) FILTER (WHERE received_day <= $end AND status IN ('5', '6', '8'))
FROM d
GROUP BY grp
ORDER BY grp
"""


def duckdb_report(parquet_path: Path, group_by: str = "agency") -> dict[str, Figures]:
    import duckdb

    con = duckdb.connect()
    from django.utils import timezone

    from motcua.dossiers.deadlines import local_date

    judged = min(PERIOD[1], local_date(timezone.now()))  # a period ending after today
    assert group_by in GROUPINGS
    found = con.execute(
        DUCKDB_REPORT.format(group=group_by),
        {"path": str(parquet_path), "start": PERIOD[0], "end": PERIOD[1], "judged": judged},
    ).fetchall()
    con.close()
    return {
        str(agency): tuple(int(v) for v in values)
        for agency, *values in found
        if any(values)  # the report leaves out groups with nothing to show
    }


def our_report(group_by: str = "agency", interagency: bool | None = None) -> dict[str, Figures]:
    from motcua.reports.processing import processing_report

    report = processing_report(*PERIOD, group_by, interagency=interagency)
    return {row.key: tuple(int(v) for v in asdict(row.counts).values()) for row in report.rows}


def best_of(repeat: int, run: Callable[[], object]) -> float:
    return min(timed(run) for _ in range(repeat))


def compare(ours: dict[str, Figures], theirs: dict[str, Figures]) -> list[str]:
    problems = []
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key), theirs.get(key)
        if a != b:
            problems.append(f"{key}: processing_report {a} ≠ DuckDB {b}")
    return problems


# --- 7. the results --------------------------------------------------------------------------


def machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 2**20:.0f} GiB"
    except OSError:
        pass
    uname = subprocess.run(["/usr/bin/uname", "-srm"], capture_output=True, text=True, check=False)
    return f"{uname.stdout.strip()}, {os.cpu_count()} cores, {memory}"


def build(args: argparse.Namespace, step: Callable[[str], None]) -> tuple[str, str, str]:
    """Steps 2 and 3: agencies, procedures, the legacy file and its import; what each took."""
    from django.core.management import call_command

    from motcua.catalogue.interchange import import_catalogue

    rng = random.Random(args.seed)  # noqa: S311 - test data, not security
    step(f"{args.agencies} agencies and {args.procedures} procedures")
    started = time.perf_counter()
    agencies = create_agencies(args.agencies)
    data, procedures = catalogue(args.procedures, rng)
    import_catalogue(data, actor=None)
    setup_s = time.perf_counter() - started

    # The file depends only on the sizes and the seed: a second run (the other database)
    # reuses it unless --fresh-csv.
    legacy = OUT / (
        f"province_year-{args.dossiers}-{args.agencies}-{args.procedures}-{args.seed}.csv"
    )
    written = "reused (same sizes and seed)"
    if args.fresh_csv or not legacy.exists():
        step(f"writing {args.dossiers:,} legacy rows to {legacy}")
        partial = legacy.with_suffix(".part")
        write_s = timed(lambda: write_legacy(partial, args.dossiers, agencies, procedures, rng))
        partial.replace(legacy)
        written = f"written in {write_s:.1f} s"
    size_mib = legacy.stat().st_size / 2**20

    step("import-dossiers")
    out = io.StringIO()
    import_s = timed(
        lambda: call_command("import-dossiers", str(legacy), "--no-progress", stdout=out)
    )
    print(out.getvalue().strip(), file=sys.stderr)
    rate = args.dossiers / import_s
    return (
        f"{setup_s:.1f} s",
        f"{written} ({size_mib:,.0f} MiB)",
        f"{import_s:.1f} s ({rate:,.0f} rows/s)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--dossiers", type=int, default=2_000_000)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs of each report")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--pg-server",
        default="postgres://root@127.0.0.1:5432",
        help="PostgreSQL server URL without a database (for --db postgres)",
    )
    parser.add_argument("--pg-database", default=PG_DATABASE, help="for --db postgres")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--fresh-csv", action="store_true", help="rewrite the legacy CSV")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="keep the previous run's database (migrated, not re-imported; PostgreSQL: one "
        "kept with --keep) and only export and time the reports",
    )
    args = parser.parse_args()
    if args.agencies < 3:
        parser.error("--agencies must be at least 3")
    url = fresh_database(args.db, args.pg_server, reuse=args.reuse_db, name=args.pg_database)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    import duckdb
    from django.core.management import call_command
    from django.db import connection

    from motcua.dossiers.models import Dossier
    from motcua.dossiers.rollup_models import (
        AgencyGroupRollup,
        AgencyRollup,
        DailyRollup,
        GroupRollup,
    )

    def step(message: str) -> None:
        now = time.strftime("%H:%M:%S", time.gmtime())
        print(f"[{now}] {message}", file=sys.stderr, flush=True)

    results: list[tuple[str, str]] = []
    try:
        step(f"migrating {connection.vendor} ({url})")
        call_command("migrate", verbosity=0)
        if args.reuse_db:
            setup = written = import_text = "not repeated (`--reuse-db`)"
        else:
            setup, written, import_text = build(args, step)
        imported = Dossier.objects.count()
        assert imported == args.dossiers, f"{imported} dossiers imported of {args.dossiers}"
        rollups = DailyRollup.objects.count()
        agency_rows = AgencyRollup.objects.count()
        group_rows = GroupRollup.objects.count()
        scoped_rows = AgencyGroupRollup.objects.count()

        if connection.vendor == "postgresql":
            # What autovacuum does after a bulk load: statistics, and the visibility map that
            # lets the covering indexes answer without visiting the tables.
            step("VACUUM ANALYZE of the rollup tables")
            with connection.cursor() as cursor:
                for model in (DailyRollup, AgencyRollup, GroupRollup, AgencyGroupRollup):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        step("exporting to Parquet")
        parquet = OUT / f"province_year-{args.db}.parquet"
        scan_csv = OUT / f"province_year-{args.db}-scan.csv"
        export_s = timed(lambda: export_parquet(scan_csv, parquet))
        scan_csv.unlink()
        parquet_mib = parquet.stat().st_size / 2**20

        timings: list[tuple[str, int, float, float, float, float]] = []
        for group_by in GROUPINGS:
            step(f"timing the reports by {group_by}")
            connection.close()  # the first report opens a new connection (SQLite: cold cache)
            started = time.perf_counter()
            ours = our_report(group_by)
            first_s = time.perf_counter() - started
            ours_s = best_of(args.repeat, lambda g=group_by: our_report(g))  # type: ignore[misc]
            theirs = duckdb_report(parquet, group_by)
            duck_s = best_of(args.repeat, lambda g=group_by: duckdb_report(parquet, g))  # type: ignore[misc]
            problems = compare(ours, theirs)
            # The scoped path (``AgencyGroupRollup``: reports restricted to some agencies or to
            # one kind of version): no version here is inter-agency, so the report on the others
            # is the whole report; the same figures, checked.
            if our_report(group_by, False) != ours:
                raise SystemExit(f"FAILED by {group_by}: the scoped path differs")
            scoped_s = best_of(
                min(args.repeat, 3),
                lambda g=group_by: our_report(g, False),  # type: ignore[misc]
            )
            if problems:
                print("\n".join(problems[:50]), file=sys.stderr)
                raise SystemExit(
                    f"FAILED by {group_by}: the reports differ on {len(problems)} rows"
                )
            totals = [sum(v[i] for v in ours.values()) for i in range(len(FIGURES))]
            step(f"by {group_by}: equal on {len(ours)} rows; {ours_s * 1000:.1f} ms vs DuckDB "
                 f"{duck_s * 1000:.1f} ms; {dict(zip(FIGURES, totals, strict=True))}")  # fmt: skip
            timings.append((group_by, len(ours), first_s, ours_s, duck_s, scoped_s))
    finally:
        connection.close()
        if args.db == "postgres" and not args.keep:
            drop_database(args.pg_server, args.pg_database)

    version = (
        f"SQLite {sqlite3.sqlite_version}"
        if args.db == "sqlite"
        else f"PostgreSQL {connection.pg_version // 10000}"  # type: ignore[attr-defined]
    )
    results = [
        ("agencies and procedures (services, catalogue interchange)", setup),
        ("legacy CSV", written),
        (f"`import-dossiers`, {args.dossiers:,} rows", import_text),
        (
            "rollup rows (daily; by agency; by group; by agency and group)",
            f"{rollups:,}; {agency_rows:,}; {group_rows:,}; {scoped_rows:,}",
        ),
        ("dossiers exported to Parquet", f"{export_s:.1f} s ({parquet_mib:,.1f} MiB)"),
        ("peak memory of the benchmark process", f"{peak_mib():,.0f} MiB"),
    ]
    worst = max(ours_s / duck_s for _g, _n, _f, ours_s, duck_s, _d in timings)
    grouped = [
        f"| {g} | {n:,} | {f * 1000:,.1f} | **{o * 1000:,.1f}** | {d * 1000:,.1f} | "
        f"**{o / d:.3f}** ({'met' if o / d <= 0.1 else 'missed'}) | "
        + f"{old * 1000:,.1f} ({old / d:.2f} ×)"
        + " | yes |"
        for g, n, f, o, d, old in timings
    ]
    lines = [
        f"### {version}: {args.dossiers:,} dossiers, {args.agencies} agencies, "
        f"{args.procedures:,} procedures",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}; Python "
        f"{platform.python_version()}, DuckDB {duckdb.__version__}; report period "
        f"{PERIOD[0]:%d/%m/%Y} → {PERIOD[1]:%d/%m/%Y}; load average "
        f"{os.getloadavg()[0]:.1f} at the end.",
        "",
        "| measure | result |",
        "|---|---|",
        *(f"| {name} | {value} |" for name, value in results),
        "",
        f"| grouping | rows | report, first run (ms) | report, best of {args.repeat} (ms) | "
        f"DuckDB scan, best of {args.repeat} (ms) | ratio (target ≤ 0.1) | "
        "not inter-agency, scoped rows (ms; ÷ DuckDB) | rows equal |",
        "|---|---|---|---|---|---|---|---|",
        *grouped,
        "",
    ]
    text = "\n".join(lines)
    print(text)
    (OUT / f"province_year-{args.db}.md").write_text(text, encoding="utf-8")
    if worst > 0.1:
        print(f"target missed: up to {worst:.2f} × the DuckDB scan", file=sys.stderr)


if __name__ == "__main__":
    main()
