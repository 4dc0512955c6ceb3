"""Keeping ``DailyRollup`` exact: each dossier's report *fact*, and deltas between facts.

A dossier is in the processing report once received (``received_at`` set) unless its status is
1 (not yet received) or 3 (refused at the desk). Its fact, in local dates (Asia/Ho_Chi_Minh):
group = (receiving agency, procedure version, channel); r = day received; f = day finished
when the status is 7, 9 or 10 (8, stopped, is paused, not finished); d = due day (if any); the
outcome by ``deadlines.standing`` (the rule the dossier's ``timeliness`` follows too): early /
on time / late when processed or returned (9, 10), withdrawn (7, not graded); paused when the
status is 5, 6 or 8. The fact puts +1 on these (column, day) keys of its group:

- ``received`` at r;
- ``finished_<outcome>`` at f, or ``withdrawn`` at f when withdrawn;
- ``overdue_from`` at max(d + 1, r), when d exists and the dossier's clock is not stopped
  (status 5 or 6: it waits for the applicant and stays in time): from that report date on,
  the dossier is overdue while open (due before the report date and received by it);
- ``overdue_closed`` at max(d + 1, r, f), when d exists and it is finished;
- ``paused`` at r, when paused;
- ``returned`` at t = day the result was returned (``returned_at``), when the status is 10, and
  ``returned_electronic`` at t too when it was returned electronically (``return_method``):
  the Decision 766 index counts results returned in a period and those returned electronically
  (``index766.py``).

The callers (``transitions.acting``, ``intake.start_clock``, ``reschedule``, ``legacy``) take
the fact before and after a change and call :func:`apply` in the change's transaction: −1 on
the keys of the old fact, +1 on those of the new one, as one upsert per touched row. So a
report sums counters over days (``processing.py``) and never scans dossiers. ``rebuild``
recomputes every counter from the dossiers (installs, repairs).

Each delta is also applied, in the same statement batch and transaction, to ``AgencyRollup``:
the same counters with version and channel summed out (plus ``received_online``), on the rows
of the key's agency for its year, its month and its day (``agency_rows``), so that the reports
grouped by agency read a prefix sum from few rows however many dossiers and versions there are;
and likewise to ``GroupRollup``, summed over agencies per field, per procedure (both through the
version) and per channel (``group_rows``), which the reports grouped by those read.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Field

from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers.deadlines import Apart, Finished, local_date, standing
from motcua.dossiers.models import Dossier, ReturnMethod

# The counted statuses and the counters are the rollups' schema; re-exported for the writers.
from motcua.dossiers.rollup_models import AGENCY_COUNTERS as AGENCY_COUNTERS
from motcua.dossiers.rollup_models import COUNTERS as COUNTERS
from motcua.dossiers.rollup_models import (
    FINISHED,
    OUTSIDE,
    PAUSED,
    AgencyGroupRollup,
    AgencyRollup,
    DailyRollup,
    Dimension,
    Grain,
    GroupRollup,
)
from motcua.dossiers.workflow import Channel, Status

ONE_DAY = dt.timedelta(days=1)

Key = tuple[int, int, str, dt.date, str]  # agency, version, channel, day, column
DailyKey = tuple[int, int, str, dt.date]  # agency, version, channel, day
AgencyKey = tuple[int, str, dt.date]  # agency, grain, first day
GroupKey = tuple[str, str, str, dt.date]  # dimension, group key, grain, first day
# agency, inter-agency, dimension, group key, grain, first day
AgencyGroupKey = tuple[int, bool, str, str, str, dt.date]


@dataclass(frozen=True)
class Fact:
    """What the processing report needs to know of one dossier."""

    agency_id: int
    version_id: int
    channel: str
    received: dt.date
    finished: dt.date | None
    outcome: str | None
    due: dt.date | None
    paused: bool
    returned: dt.date | None = None
    returned_electronic: bool = False
    clock_stopped: bool = False

    def keys(self) -> list[Key]:
        group = (self.agency_id, self.version_id, self.channel)
        keys: list[Key] = [(*group, self.received, "received")]
        if self.finished is not None:
            column = "withdrawn" if self.outcome == Apart.WITHDRAWN else f"finished_{self.outcome}"
            keys.append((*group, self.finished, column))
        if self.due is not None and not self.clock_stopped:
            overdue = max(self.due + ONE_DAY, self.received)
            keys.append((*group, overdue, "overdue_from"))
            if self.finished is not None:
                keys.append((*group, max(overdue, self.finished), "overdue_closed"))
        if self.paused:
            keys.append((*group, self.received, "paused"))
        if self.returned is not None:
            keys.append((*group, self.returned, "returned"))
            if self.returned_electronic:
                keys.append((*group, self.returned, "returned_electronic"))
        return keys


def fact_of(
    *,
    agency_id: int,
    version_id: int,
    channel: str,
    status: str,
    received_at: dt.datetime | None,
    due_at: dt.datetime | None,
    finished_at: dt.datetime | None,
    returned_at: dt.datetime | None = None,
    return_method: str = "",
) -> Fact | None:
    """The fact of a dossier with these columns, or ``None`` when it is outside the report.

    ``returned_at`` and ``return_method`` count only in status 10 (result returned)."""
    if received_at is None or status in OUTSIDE:
        return None
    received = local_date(received_at)
    # The report date does not matter here: an open dossier's standing moves with the report
    # date, which the ``overdue_*`` keys encode.
    stands = standing(
        status, received_at=received_at, due_at=due_at, finished_at=finished_at, on=received
    )
    finished = finished_at if status in FINISHED else None
    outcome = stands.value if isinstance(stands, Finished) or stands == Apart.WITHDRAWN else None
    returned = returned_at if status == Status.RETURNED.value else None
    return Fact(
        agency_id=agency_id,
        version_id=version_id,
        channel=channel,
        received=received,
        finished=local_date(finished) if finished is not None and outcome else None,
        outcome=outcome if finished is not None else None,
        due=local_date(due_at) if due_at is not None else None,
        paused=status in PAUSED,
        returned=local_date(returned) if returned is not None else None,
        returned_electronic=returned is not None and return_method == ReturnMethod.ELECTRONIC,
        clock_stopped=stands == Apart.PAUSED,
    )


def fact(dossier: Dossier) -> Fact | None:
    """The report fact of ``dossier`` as it is in memory now."""
    return fact_of(
        agency_id=dossier.receiving_agency_id,
        version_id=dossier.version_id,
        channel=dossier.channel,
        status=dossier.status,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        return_method=dossier.return_method,
    )


def apply(before: Fact | None, after: Fact | None) -> None:
    """Move the counters from ``before`` to ``after`` (either may be ``None``)."""
    if before != after:
        apply_many([(before, after)])


def record_due_change(dossier: Dossier, due_before: dt.datetime | None) -> None:
    """``dossier``'s due instant moved from ``due_before`` (a calendar change)."""
    after = fact(dossier)
    if after is None:
        return
    before = fact_of(
        agency_id=dossier.receiving_agency_id,
        version_id=dossier.version_id,
        channel=dossier.channel,
        status=dossier.status,
        received_at=dossier.received_at,
        due_at=due_before,
        finished_at=dossier.finished_at,
        returned_at=dossier.returned_at,
        return_method=dossier.return_method,
    )
    apply(before, after)


def apply_many(changes: Iterable[tuple[Fact | None, Fact | None]]) -> None:
    """Apply many changes at once: deltas are summed per row first (a batch of imports
    touches each group-day row once)."""
    deltas: Counter[Key] = Counter()
    for before, after in changes:
        if before == after:
            continue
        for key in before.keys() if before is not None else ():
            deltas[key] -= 1
        for key in after.keys() if after is not None else ():
            deltas[key] += 1
    rows: dict[DailyKey, list[int]] = {}
    for (agency, version, channel, day, column), delta in deltas.items():
        if delta:
            row = rows.setdefault((agency, version, channel, day), [0] * len(COUNTERS))
            row[COUNTERS.index(column)] += delta
    if rows:
        # Daily rows, then agency rows, each sorted: one lock order for every transaction.
        _upsert(DailyRollup, ("agency", "version", "channel", "day"), COUNTERS, rows)
        _upsert(AgencyRollup, ("agency", "grain", "start"), AGENCY_COUNTERS, agency_rows(rows))
        groups, agency_groups = group_rows(rows), agency_group_rows(rows)
        _upsert(GroupRollup, GROUP_KEY, AGENCY_COUNTERS, groups)
        _upsert(AgencyGroupRollup, AGENCY_GROUP_KEY, AGENCY_COUNTERS, agency_groups)


GROUP_KEY = ("dimension", "key", "grain", "start")
AGENCY_GROUP_KEY = ("agency", "inter_agency", "dimension", "key", "grain", "start")


def periods(day: dt.date) -> tuple[tuple[str, dt.date], ...]:
    """The (grain, first day) of the three ``AgencyRollup`` rows that contain ``day``."""
    return (
        (Grain.YEAR.value, day.replace(month=1, day=1)),
        (Grain.MONTH.value, day.replace(day=1)),
        (Grain.DAY.value, day),
    )


def agency_rows(rows: dict[DailyKey, list[int]]) -> dict[AgencyKey, list[int]]:
    """The ``AgencyRollup`` deltas (``AGENCY_COUNTERS``) of daily deltas (``COUNTERS``):
    summed over versions and channels into each day's year, month and day rows; rows whose
    deltas cancel out are left out."""
    online = str(Channel.ONLINE.value)
    found: dict[AgencyKey, list[int]] = {}
    for (agency, _version, channel, day), values in rows.items():
        extended = [values[0], values[0] if channel == online else 0, *values[1:]]
        for grain, start in periods(day):
            row = found.setdefault((agency, grain, start), [0] * len(AGENCY_COUNTERS))
            for i, value in enumerate(extended):
                row[i] += value
    return {key: values for key, values in found.items() if any(values)}


def version_groups(version_ids: Iterable[int]) -> dict[int, tuple[int, int, bool]]:
    """(field id, procedure id, inter-agency) of each procedure version."""
    return {
        pk: (field_id, procedure_id, inter_agency)
        for pk, field_id, procedure_id, inter_agency in ProcedureVersion.objects.filter(
            pk__in=sorted(set(version_ids))
        ).values_list("pk", "field_id", "procedure_id", "inter_agency")
    }


def group_rows(rows: dict[DailyKey, list[int]]) -> dict[GroupKey, list[int]]:
    """The ``GroupRollup`` deltas (``AGENCY_COUNTERS``) of daily deltas (``COUNTERS``): summed
    over agencies into the year, month and day rows of each day's field and procedure (through
    its version) and channel; rows whose deltas cancel out are left out."""
    online = str(Channel.ONLINE.value)
    versions = version_groups(version for _agency, version, _channel, _day in rows)
    found: dict[GroupKey, list[int]] = {}
    for (_agency, version, channel, day), values in rows.items():
        extended = [values[0], values[0] if channel == online else 0, *values[1:]]
        field_id, procedure_id, _inter_agency = versions[version]
        for dimension, key in (
            (Dimension.FIELD.value, str(field_id)),
            (Dimension.PROCEDURE.value, str(procedure_id)),
            (Dimension.CHANNEL.value, str(channel)),
        ):
            for grain, start in periods(day):
                row = found.setdefault((dimension, key, grain, start), [0] * len(AGENCY_COUNTERS))
                for i, value in enumerate(extended):
                    row[i] += value
    return {key: values for key, values in found.items() if any(values)}


def agency_group_rows(rows: dict[DailyKey, list[int]]) -> dict[AgencyGroupKey, list[int]]:
    """The ``AgencyGroupRollup`` deltas (``AGENCY_COUNTERS``) of daily deltas (``COUNTERS``):
    per agency and kind of version (inter-agency or not), summed into the year, month and day
    rows of each day's field, procedure and channel; rows whose deltas cancel out are left
    out."""
    versions = version_groups(version for _agency, version, _channel, _day in rows)
    found: dict[AgencyGroupKey, list[int]] = {}
    for (agency, version, channel, day), values in rows.items():
        extended = [values[0], values[0] if channel == Channel.ONLINE else 0, *values[1:]]
        field_id, procedure_id, inter_agency = versions[version]
        for dimension, key in (
            (Dimension.FIELD.value, str(field_id)),
            (Dimension.PROCEDURE.value, str(procedure_id)),
            (Dimension.CHANNEL.value, str(channel)),
        ):
            for grain, start in periods(day):
                row = found.setdefault(
                    (agency, inter_agency, dimension, key, grain, start),
                    [0] * len(AGENCY_COUNTERS),
                )
                for i, value in enumerate(extended):
                    row[i] += value
    return {key: values for key, values in found.items() if any(values)}


RollupModel = type[DailyRollup] | type[AgencyRollup] | type[GroupRollup] | type[AgencyGroupRollup]


def _upsert(
    model: RollupModel,
    key_names: tuple[str, ...],
    counter_names: tuple[str, ...],
    rows: Mapping[tuple[Any, ...], list[int]],
) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding the deltas (PostgreSQL and SQLite ≥ 3.24)."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, Field)  # noqa: S101 - concrete columns of the model
        return quote(str(field.column))

    keys = [column(n) for n in key_names]
    counters = [column(n) for n in counter_names]
    table = quote(meta.db_table)
    marks = ", ".join(["%s"] * (len(keys) + len(counters)))
    adds = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counters)
    # Names come from the model, values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(keys + counters)}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {adds}"
    )
    adapt = connection.ops.adapt_datefield_value
    # Sorted: concurrent transactions touch shared rows in one order (no deadlock).
    params = [
        (*key[:-1], adapt(key[-1]), *values)  # the day comes last
        for key, values in sorted(rows.items())
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


FACT_COLUMNS = (
    "pk",
    "receiving_agency_id",
    "version_id",
    "channel",
    "status",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "return_method",
)

_When = dt.datetime | None
Columns = tuple[int, int, int, str, str, _When, _When, _When, _When, str]


def facts(dossiers: Iterable[Columns]) -> list[Fact]:
    """Facts of dossier rows as ``values_list(*FACT_COLUMNS)`` gives them."""
    found = []
    for row in dossiers:
        agency, version, channel, status, received, due, finished, returned, method = row[1:]
        f = fact_of(agency_id=agency, version_id=version, channel=channel, status=status,
                    received_at=received, due_at=due, finished_at=finished,
                    returned_at=returned, return_method=method)  # fmt: skip
        if f is not None:
            found.append(f)
    return found


def rebuild(chunk: int = 20000) -> int:
    """Recompute every counter from the dossiers, in one transaction; the dossiers counted."""
    counted = 0
    with transaction.atomic():
        DailyRollup.objects.all().delete()
        AgencyRollup.objects.all().delete()
        GroupRollup.objects.all().delete()
        AgencyGroupRollup.objects.all().delete()
        rows = Dossier.objects.exclude(status__in=sorted(OUTSIDE)).filter(received_at__isnull=False)
        last = 0
        while True:
            batch = list(rows.filter(pk__gt=last).order_by("pk").values_list(*FACT_COLUMNS)[:chunk])
            if not batch:
                break
            last = batch[-1][0]
            found = facts(batch)
            counted += len(found)
            apply_many((None, f) for f in found)
    return counted
