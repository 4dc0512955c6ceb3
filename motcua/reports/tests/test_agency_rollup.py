"""The agency rollups: every daily delta lands on its agency's year, month and day rows (the
historic import's fast path included), and a report by agency reads a number of them bounded by
the days, not by the dossiers or the procedure versions. Exactness against a direct count over
the dossiers, boundaries included, is judged in ``test_exactness.py``."""

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Agency
from motcua.catalogue.specs import DocumentSpec
from motcua.dossiers.legacy import DossierImport
from motcua.dossiers.rollup import AGENCY_COUNTERS, COUNTERS, rebuild
from motcua.dossiers.rollup_models import AgencyRollup, DailyRollup
from motcua.dossiers.tests.factories import publish_case
from motcua.reports.processing import prefix_ranges, processing_report
from motcua.testing import Cast, make_agency

FIRST = dt.datetime(2025, 12, 10, 2, 0, tzinfo=dt.UTC)  # 09:00 in Hà Nội


def upto(day: dt.date) -> Q:
    """The rows ``prefix_ranges(day)`` reads, as a filter of ``AgencyRollup``."""
    found = Q(pk__in=[])
    for _sign, grain, lo, hi in prefix_ranges(day):
        found |= Q(grain=grain, start__lte=hi) & (Q(start__gte=lo) if lo is not None else Q())
    return found


def summed_daily_rows() -> set[tuple[Any, ...]]:
    """What the agency rollups must hold: the daily rows summed over versions and channels per
    agency into years, months and days (``received_online``: ``received`` of the online rows)."""
    found: dict[tuple[Any, ...], list[int]] = {}
    for agency, channel, day, *values in DailyRollup.objects.values_list(
        "agency_id", "channel", "day", *COUNTERS
    ):
        extended = [values[0], values[0] if channel == "online" else 0, *values[1:]]
        for grain, start in (
            ("year", dt.date(day.year, 1, 1)),
            ("month", dt.date(day.year, day.month, 1)),
            ("day", day),
        ):
            row = found.setdefault((agency, grain, start), [0] * len(extended))
            for i, value in enumerate(extended):
                row[i] += value
    return {(*key, *values) for key, values in found.items() if any(values)}


def agency_rows() -> set[tuple[Any, ...]]:
    return {
        row
        for row in AgencyRollup.objects.values_list("agency_id", "grain", "start", *AGENCY_COUNTERS)
        if any(row[3:])
    }


def write_csv(path: Path, plan: list[tuple[str, list[str], int]]) -> Path:
    """Per (agency, procedure codes, dossiers per day): on each of 45 days from 10 December,
    that many dossiers, cycling through the procedures, channels and statuses."""
    lines = ["code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status"]
    n = 0
    for agency, procedures, per_day in plan:
        for day in range(45):
            received = FIRST + dt.timedelta(days=day)
            for k in range(per_day):
                n += 1
                status = ("4", "10", "7", "5")[n % 4]
                finished = received + dt.timedelta(days=n % 9)
                lines.append(
                    ",".join(
                        [
                            f"IMP-{n:05d}",
                            procedures[(day + k) % len(procedures)],
                            agency,
                            ("truc_tiep", "truc_tuyen", "bcci")[n % 3],
                            received.isoformat(),
                            (received + dt.timedelta(days=5)).isoformat(),
                            finished.isoformat() if status in ("7", "10") else "",
                            status,
                        ]
                    )
                )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def procedures(cast: Cast, count: int) -> list[str]:
    codes = [f"9.{i:06d}" for i in range(count)]
    for code in codes:
        publish_case(
            cast.agency,
            code=code,
            name=f"Thủ tục {code}",
            field=("TN", "Thử nghiệm"),
            documents=(DocumentSpec("Đơn đề nghị", "original"),),
        )
    return codes


def test_the_agency_rows_are_the_daily_rows_summed_and_rebuild_gives_them_again(
    cast: Cast, tmp_path: Path
) -> None:
    make_agency("H56.23")
    codes = procedures(cast, 3)
    path = write_csv(tmp_path / "a.csv", [("H56.22", codes, 2), ("H56.23", codes[:1], 1)])
    assert DossierImport(path, batch_size=25).run().imported == 135
    expected = summed_daily_rows()
    assert {row[1] for row in expected} == {"year", "month", "day"}
    assert {row[2].year for row in expected} == {2025, 2026}
    assert agency_rows() == expected
    rebuild()
    assert summed_daily_rows() == expected
    assert agency_rows() == expected


def test_a_report_by_agency_reads_a_bounded_number_of_rows_for_2_or_20_versions_and_10_times_the_dossiers(  # noqa: E501
    cast: Cast, tmp_path: Path
) -> None:
    """Three agencies, dossiers on the same 45 days across the new year: H56.22 with 2
    procedures and 1 dossier a day, H56.23 with 20 procedures and 1 a day, H56.24 with 2
    procedures and 10 a day. The report by agency of each runs the same queries (none on the
    daily rows) over at most years + 2 × (1 + 7 + 16) agency rows: one row per period of the
    signed ranges, whatever the versions and dossiers (the count itself may differ by a row or
    two where a range after the date holds counters for one agency and not another)."""
    make_agency("H56.23")
    make_agency("H56.24")
    codes = procedures(cast, 20)
    plan = [("H56.22", codes[:2], 1), ("H56.23", codes, 1), ("H56.24", codes[:2], 10)]
    assert DossierImport(write_csv(tmp_path / "b.csv", plan), batch_size=200).run().imported == 540
    ids = dict(Agency.objects.values_list("code", "pk"))
    versions = {
        code: DailyRollup.objects.filter(agency_id=ids[code])
        .values("version_id")
        .distinct()
        .count()
        for code, _, _ in plan
    }
    assert versions == {"H56.22": 2, "H56.23": 20, "H56.24": 2}
    daily = {code: DailyRollup.objects.filter(agency_id=ids[code]).count() for code, _, _ in plan}
    assert daily["H56.23"] > daily["H56.22"]

    for start, end in [
        (dt.date(2026, 1, 14), dt.date(2026, 1, 20)),
        (dt.date(2025, 12, 28), dt.date(2026, 1, 3)),
        (dt.date(2025, 12, 1), dt.date(2026, 12, 31)),
    ]:
        queries: dict[str, list[str]] = {}
        rows_read: dict[str, int] = {}
        received: dict[str, int] = {}
        for code, _, _ in plan:
            with CaptureQueriesContext(connection) as captured:
                report = processing_report(start, end, "agency", agency_ids={ids[code]})
            # The same statements but for the agency's id.
            queries[code] = [
                re.sub(r"IN \(\d+\)", "IN (?)", q["sql"]) for q in captured.captured_queries
            ]
            rows_read[code] = (
                AgencyRollup.objects.filter(agency_id=ids[code])
                .filter(upto(start - dt.timedelta(days=1)) | upto(end))
                .count()
            )
            received[code] = report.totals.received_online + report.totals.received_direct_or_postal
        assert len(queries["H56.22"]) == 2  # the sums and the agency labels
        assert queries["H56.22"] == queries["H56.23"] == queries["H56.24"]
        assert all("dailyrollup" not in sql for sql in queries["H56.22"])
        for code in rows_read:
            assert 0 < rows_read[code] <= 2 + 2 * (1 + 7 + 16)  # data in two years
        assert received["H56.24"] == 10 * received["H56.22"] > 0


def test_the_report_by_level_and_the_index_766_do_not_read_the_daily_rows(
    cast: Cast, tmp_path: Path
) -> None:
    from motcua.reports.index766 import service_index

    codes = procedures(cast, 2)
    assert DossierImport(write_csv(tmp_path / "c.csv", [("H56.22", codes, 1)])).run().imported
    with CaptureQueriesContext(connection) as captured:
        level = processing_report(dt.date(2025, 12, 1), dt.date(2026, 1, 31), "level")
    assert level.totals.received_total == 45
    assert all("dailyrollup" not in q["sql"] for q in captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        index = service_index(dt.date(2025, 12, 1), dt.date(2026, 1, 31))
    measure = index.agency("H56.22").component("electronic_results").measure
    assert measure.denominator == 12  # status 10 every fourth dossier, returned when finished
    # Only which procedures had dossiers needs the daily rows (they are per version).
    assert sum("dailyrollup" in q["sql"] for q in captured.captured_queries) == 1
