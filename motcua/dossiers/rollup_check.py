"""The rollups against the dossiers: recount every rollup row from the dossiers' report facts
and compare it with the row the incremental deltas (``rollup.py``) left in the table.

The incremental maintenance is exact by construction and tested (``reports/tests/
test_exactness.py``), but a production database can still drift: an edit by hand, a restore of
one table, a bug in a future writer. The nightly job (``motcua.jobs.tasks.check_rollups``) runs
:func:`compare_rollups` and records and reports any difference; ``motcua rebuild-rollups``
repairs one. The count runs in one snapshot of the database (REPEATABLE READ on PostgreSQL, a
deferred read transaction on SQLite's WAL), so changes committed meanwhile neither block it nor
show up as false differences."""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet

from motcua.dossiers.models import Dossier
from motcua.dossiers.rollup import (
    AGENCY_COUNTERS,
    COUNTERS,
    FACT_COLUMNS,
    DailyKey,
    Fact,
    agency_rows,
    facts,
    group_rows,
)
from motcua.dossiers.rollup_models import OUTSIDE, AgencyRollup, DailyRollup, GroupRollup

SAMPLE_SIZE = 20
Rows = dict[tuple[Any, ...], list[int]]


@dataclass(frozen=True)
class Difference:
    """One rollup row whose stored counters are not the recounted ones (zeros when absent)."""

    table: str
    key: tuple[str, ...]
    stored: tuple[int, ...]
    expected: tuple[int, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "key": list(self.key),
            "stored": list(self.stored),
            "expected": list(self.expected),
        }


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare_rollups`: the dossiers counted, the rows compared (stored
    or expected, in the three tables), how many differ and the first ``SAMPLE_SIZE`` of them."""

    dossiers: int
    rows: int
    mismatched: int
    sample: list[Difference]

    @property
    def ok(self) -> bool:
        return self.mismatched == 0


def add_facts(rows: dict[DailyKey, list[int]], found: Iterable[Fact]) -> None:
    """Count these facts into ``DailyRollup`` rows (``COUNTERS``), as a rebuild would."""
    for f in found:
        for agency, version, channel, day, column in f.keys():  # noqa: SIM118 - a Fact
            row = rows.setdefault((agency, version, channel, day), [0] * len(COUNTERS))
            row[COUNTERS.index(column)] += 1


def _expected_daily(chunk: int) -> tuple[int, dict[DailyKey, list[int]]]:
    """The dossiers counted and their daily rows, read ``chunk`` dossiers at a time."""
    dossiers = Dossier.objects.exclude(status__in=sorted(OUTSIDE)).filter(received_at__isnull=False)
    rows: dict[DailyKey, list[int]] = {}
    counted, last = 0, 0
    while batch := list(
        dossiers.filter(pk__gt=last).order_by("pk").values_list(*FACT_COLUMNS)[:chunk]
    ):
        last = batch[-1][0]
        found = facts(batch)
        counted += len(found)
        add_facts(rows, found)
    return counted, rows


def _stored(queryset: "QuerySet[Any]", keys: Sequence[str], counters: Sequence[str]) -> Rows:
    """The table's rows by key, leaving out rows whose counters are all zero (deltas that
    cancelled out leave such rows behind; a rebuild does not write them)."""
    rows: Rows = {}
    for values in queryset.values_list(*keys, *counters).iterator(chunk_size=10000):
        counts = list(values[len(keys) :])
        if any(counts):
            rows[tuple(values[: len(keys)])] = counts
    return rows


def _differences(table: str, stored: Rows, expected: Rows, width: int) -> list[Difference]:
    zeros = [0] * width
    found = []
    for key in sorted(stored.keys() | expected.keys(), key=lambda k: tuple(map(str, k))):
        have, want = stored.get(key, zeros), expected.get(key, zeros)
        if have != want:
            found.append(Difference(table, tuple(map(str, key)), tuple(have), tuple(want)))
    return found


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent read of the database that does not block writers."""
    if connection.in_atomic_block:  # a caller's transaction (tests): read within it
        yield
        return
    if connection.vendor == "sqlite":
        if not hasattr(connection, "transaction_mode"):
            connection.get_connection_params()
        # SQLite's wrapper only: BEGIN IMMEDIATE (settings.py) would lock the writers out.
        mode = getattr(connection, "transaction_mode")  # noqa: B009
        setattr(connection, "transaction_mode", "DEFERRED")  # noqa: B010
        try:
            with transaction.atomic():
                yield
        finally:
            setattr(connection, "transaction_mode", mode)  # noqa: B010
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def compare_rollups(chunk: int = 20000) -> Comparison:
    """Recount the three rollup tables from the dossiers and compare them with the stored rows."""
    with _snapshot():
        counted, daily = _expected_daily(chunk)
        tables: list[tuple[type[Model], Sequence[str], Sequence[str], Rows]] = [
            (DailyRollup, ("agency_id", "version_id", "channel", "day"), COUNTERS, dict(daily)),
            (AgencyRollup, ("agency_id", "grain", "start"), AGENCY_COUNTERS, agency_rows(daily)),
            (
                GroupRollup,
                ("dimension", "key", "grain", "start"),
                AGENCY_COUNTERS,
                group_rows(daily),
            ),
        ]
        found: list[Difference] = []
        compared = 0
        for model, keys, counters, expected in tables:
            stored = _stored(model._default_manager.all(), keys, counters)
            compared += len(stored.keys() | expected.keys())
            found.extend(_differences(model._meta.db_table, stored, expected, len(counters)))
    return Comparison(
        dossiers=counted, rows=compared, mismatched=len(found), sample=found[:SAMPLE_SIZE]
    )
