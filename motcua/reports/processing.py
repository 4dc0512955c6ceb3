"""The processing report (Tình hình, kết quả giải quyết TTHC; domain §5), read from the
rollups only: its cost grows with groups × periods, never with the dossiers.

For a period [start, end] of local dates, per group (sums of the rollups' counters, see
``rollup.py`` for the keys; "before" means day < start, "in" start ≤ day ≤ end, "by" day ≤ end):

- carried_over = received before − finished before (a dossier finishes on or after the day it
  was received, so what finished before ``start`` was received before it);
- received_online, received_direct_or_postal = received in, by channel;
- resolved_early / on_time / late = finished_* in; withdrawn = withdrawn in (status 7: not
  graded, so neither resolved nor pending; received_total = resolved_total + withdrawn +
  pending_total);
- pending_total = received by − finished by − withdrawn by = carried_over + received in −
  resolved − withdrawn;
- pending_overdue = overdue_from by − overdue_closed by: dossiers due before ``end``, received
  by it, not finished by it and whose clock runs (a dossier waiting for a supplement or a
  payment, status 5 or 6, has no ``overdue_from``: it is pending in time);
- pending_in_time = pending_total − pending_overdue;
- pending_paused = paused by (a paused dossier is not finished, so it is pending).

A period that ends after today is judged today: "by" means by today (nothing is received or
finished after today, but ``overdue_from`` keys lie ahead), so a yearly report run on 4
December does not count as overdue the dossiers due from 5 December on.

Grouped by agency or by level (and so for the totals of those reports), the sums come from
``AgencyRollup`` instead: "before" is the prefix sum at start − 1 and "by" the prefix sum at
end, "in" their difference, each prefix read from the year, month and day rows
(``prefix_ranges``: signed ranges, the shorter way to each date), both in one query
(``agency_prefix_sums``); the rows read are bounded by agencies × (years + 2 × (1 + 7 + 16)),
whatever the number of dossiers and procedure versions.

Grouped by field, procedure or channel over all agencies, the same prefix sums come from
``GroupRollup`` (``group_prefix_sums``): rows read bounded by groups × (years + 2 × (1 + 7 +
16)). Each of these statements returns one row per group (the sums at both dates side by
side), and the indexes cover what they read.

Restricted to some agencies (``agency_ids``) by field, procedure or channel, or to the
dossiers of inter-agency (liên thông) procedure versions (``interagency`` true) or of the
others (false) by any grouping, the same prefix sums come from ``AgencyGroupRollup``: per
agency, kind of version and field, procedure or channel (by agency or level: its channel
rows), rows read bounded by the chosen agencies' groups × (years + 2 × (1 + 7 + 16)).
"""

import datetime as dt
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any

from django.db import connection, connections, router
from django.db.models import Field as DbField
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, UnitLevel
from motcua.catalogue.models import Field, ProcedureVersion
from motcua.dossiers.deadlines import local_date
from motcua.dossiers.rollup_models import (
    AgencyGroupRollup,
    AgencyRollup,
    Grain,
    GroupRollup,
)
from motcua.dossiers.workflow import Channel

GROUPINGS = ("agency", "field", "procedure", "level", "channel")
OTHER_LEVEL = "other"
_DIMENSION = {
    "agency": "agency_id",
    "field": "version__field_id",
    "procedure": "version__procedure_id",
    "level": "agency__unit__level",
    "channel": "channel",
}


@dataclass
class Counts:
    """The figures of one row of the report (or of its total)."""

    carried_over: int = 0
    received_online: int = 0
    received_direct_or_postal: int = 0
    resolved_early: int = 0
    resolved_on_time: int = 0
    resolved_late: int = 0
    withdrawn: int = 0
    pending_in_time: int = 0
    pending_overdue: int = 0
    pending_paused: int = 0

    @property
    def received_total(self) -> int:
        return self.carried_over + self.received_online + self.received_direct_or_postal

    @property
    def resolved_total(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending_total(self) -> int:
        return self.pending_in_time + self.pending_overdue

    @property
    def on_time_rate(self) -> Decimal | None:
        """(early + on time) ÷ resolved, as a percentage with two decimals; None if none."""
        if not self.resolved_total:
            return None
        rate = Decimal(100 * (self.resolved_early + self.resolved_on_time)) / self.resolved_total
        return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def add(self, other: "Counts") -> None:
        for name in _COUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        rate = self.on_time_rate
        return {
            "carried_over": self.carried_over,
            "received_online": self.received_online,
            "received_direct_or_postal": self.received_direct_or_postal,
            "received_total": self.received_total,
            "resolved_early": self.resolved_early,
            "resolved_on_time": self.resolved_on_time,
            "resolved_late": self.resolved_late,
            "resolved_total": self.resolved_total,
            "withdrawn": self.withdrawn,
            "pending_in_time": self.pending_in_time,
            "pending_overdue": self.pending_overdue,
            "pending_paused": self.pending_paused,
            "pending_total": self.pending_total,
            "on_time_rate": float(rate) if rate is not None else None,
        }


_COUNT_FIELDS = tuple(f.name for f in fields(Counts))
_COUNT_VALUES = attrgetter(*_COUNT_FIELDS)


@dataclass
class Row:
    key: str
    label: str
    counts: Counts

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, **self.counts.as_dict()}


@dataclass
class Report:
    start: dt.date
    end: dt.date
    group_by: str
    rows: list[Row] = field(default_factory=list)
    totals: Counts = field(default_factory=Counts)
    interagency: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "group_by": self.group_by,
            "interagency": self.interagency,
            "rows": [r.as_dict() for r in self.rows],
            "totals": self.totals.as_dict(),
        }


# Groupings that depend on the agency only: read from AgencyRollup (the others from
# GroupRollup, over all agencies).
_BY_AGENCY = frozenset({"agency", "level"})
ONE_DAY = dt.timedelta(days=1)


def _sums(
    start: dt.date,
    end: dt.date,
    group_by: str,
    agency_ids: set[int] | None,
    interagency: bool | None,
) -> list[dict[str, Any]]:
    """The summed counters per group, from the cheapest rollup that answers: the agency
    rollups by agency or level, the group rollups by field, procedure or channel over every
    agency, the agency group rollups otherwise (some agencies only, or one kind of version)."""
    if interagency is None and group_by in _BY_AGENCY:
        return _agency_sums(start, end, _DIMENSION[group_by], agency_ids)
    if interagency is None and agency_ids is None:
        return _group_sums(start, end, group_by)
    return _agency_group_sums(start, end, group_by, agency_ids, interagency)


def _counts(s: dict[str, Any]) -> Counts:
    """One group's counts from its summed counters: carried over = received before the period
    less finished or withdrawn before it; pending in time = pending less overdue."""
    carried = s["received_before"] - (
        s["finished_early_before"]
        + s["finished_on_time_before"]
        + s["finished_late_before"]
        + s["withdrawn_before"]
    )
    counts = Counts(
        carried_over=carried,
        received_online=s["received_online"],
        received_direct_or_postal=s["received_other"],
        resolved_early=s["early"],
        resolved_on_time=s["on_time"],
        resolved_late=s["late"],
        withdrawn=s["withdrawn"],
        pending_overdue=s["overdue_from"] - s["overdue_closed"],
        pending_paused=s["paused"],
    )
    pending = counts.received_total - counts.resolved_total - counts.withdrawn
    counts.pending_in_time = pending - counts.pending_overdue
    return counts


def processing_report(
    start: dt.date,
    end: dt.date,
    group_by: str = "agency",
    *,
    agency_ids: set[int] | None = None,
    interagency: bool | None = None,
    today: dt.date | None = None,
) -> Report:
    """The report for [start, end] grouped by ``group_by`` (one of ``GROUPINGS``), over the
    dossiers received by the agencies ``agency_ids`` (all when ``None``), of inter-agency
    procedures only (``interagency`` true), of the others (false) or of all (``None``), judged
    on ``today`` (the local date now by default) when the period ends after it. Two queries
    (three by level: agencies are mapped to their level)."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPINGS)}")
    if end < start:
        raise ValueError("the period ends before it starts")
    report = Report(start, end, group_by, interagency=interagency)
    today = today or local_date(timezone.now())
    if end > today:
        # Judged today: sums by today, and the period's days after today hold nothing (a
        # period wholly ahead has nothing in it and carries over what stands today).
        start, end = min(start, today + ONE_DAY), today
    dimension = _DIMENSION[group_by]
    sums = _sums(start, end, group_by, agency_ids, interagency)
    found: dict[Any, Counts] = {}
    for s in sums:
        counts = _counts(s)
        if counts == Counts():
            continue  # a group whose rows all went back to zero
        key = s[dimension]
        if group_by == "level" and key is None:
            key = OTHER_LEVEL
        if key in found:
            found[key].add(counts)  # levels: several agencies
        else:
            found[key] = counts
    labels = _labels(group_by, set(found))
    for key, counts in found.items():
        code, label = labels.get(key, (str(key), str(key)))
        report.rows.append(Row(code, label, counts))
    # Column sums in one pass (thousands of procedures: ``add`` per row showed in profiles).
    columns = zip(*(_COUNT_VALUES(c) for c in found.values()), strict=True)
    report.totals = Counts(*(sum(column) for column in columns)) if found else Counts()
    report.rows.sort(key=lambda r: r.key)
    return report


Term = tuple[int, str, dt.date | None, dt.date]  # sign, grain, first start or None, last start


def prefix_ranges(day: dt.date) -> list[Term]:
    """Signed ranges of ``AgencyRollup`` rows whose sum is the prefix sum of every day ≤
    ``day``, as (sign, grain, first start or None, last start), bounds included, empty ranges
    left out. Always +the years before its year; then whichever is shorter of two ways to reach
    the end of the month before (+its year's earlier months, or +its year −its month and the
    later ones) or the end of its month (+its year's months to it, or +its year −the later
    months); then +the days of its month to it from the first, or −the days after it from the
    second. Sums are linear, so subtracting rows is exact (rows after ``day`` may hold counters,
    e.g. ``overdue_from`` on future days). At most 1 + 7 + 16 ranges of rows per agency instead
    of 1 + 11 + 31."""
    year, month = day.replace(month=1, day=1), day.replace(day=1)
    year_end = day.replace(month=12, day=31)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    month_end = next_month - ONE_DAY
    m = day.month
    years: list[Term] = [(1, Grain.YEAR.value, None, year - ONE_DAY)]
    # Through the end of the month before: earlier months, or the year less this and later ones.
    to_before = (
        [(1, Grain.MONTH.value, year, month - ONE_DAY)]
        if m - 1 <= 14 - m
        else [(1, Grain.YEAR.value, year, year), (-1, Grain.MONTH.value, month, year_end)]
    )
    # Through the end of this month: months to it, or the year less the later months.
    to_end = (
        [(1, Grain.MONTH.value, year, month)]
        if m <= 13 - m
        else [(1, Grain.YEAR.value, year, year), (-1, Grain.MONTH.value, next_month, year_end)]
    )
    cost_before = min(m - 1, 14 - m) + day.day
    cost_end = min(m, 13 - m) + (month_end - day).days
    if cost_before <= cost_end:
        terms = [*years, *to_before, (1, Grain.DAY.value, month, day)]
    else:
        terms = [*years, *to_end, (-1, Grain.DAY.value, day + ONE_DAY, month_end)]
    return [(sign, g, lo, hi) for sign, g, lo, hi in terms if lo is None or lo <= hi]


def agency_prefix_sums(
    start: dt.date,
    end: dt.date,
    before: tuple[str, ...],
    by: tuple[str, ...],
    *,
    agency_ids: set[int] | None = None,
) -> dict[int, dict[str, int]]:
    """Per agency, in one query over ``AgencyRollup``: ``<c>_before`` = Σ c over the days
    < ``start`` for each counter c in ``before``, and ``<c>_by`` = Σ c over the days ≤ ``end``
    for each c in ``by``; agencies without rows are left out (``prefix_sums``)."""
    meta = AgencyRollup._meta
    agency = connection.ops.quote_name(_column(meta, "agency"))
    scope, scope_params = "", []
    if agency_ids is not None:
        scope_params = sorted(agency_ids)
        scope = (
            f" AND {agency} IN ({', '.join(['%s'] * len(scope_params))})"
            if scope_params
            else " AND 1 = 0"
        )
    return prefix_sums(meta, "agency", start, end, before, by, where=(scope, scope_params))


def group_prefix_sums(
    dimension: str, start: dt.date, end: dt.date, before: tuple[str, ...], by: tuple[str, ...]
) -> dict[str, dict[str, int]]:
    """``agency_prefix_sums`` per field, procedure or channel (``Dimension``): over
    ``GroupRollup``, keyed by the group's key (the id as text, or the channel)."""
    meta = GroupRollup._meta
    column = connection.ops.quote_name(_column(meta, "dimension"))
    return prefix_sums(
        meta, "key", start, end, before, by, where=(f" AND {column} = %s", [dimension])
    )


def prefix_sums(
    meta: Any,
    group: str,
    start: dt.date,
    end: dt.date,
    before: tuple[str, ...],
    by: tuple[str, ...],
    *,
    where: tuple[str, list[Any]] = ("", []),
) -> dict[Any, dict[str, int]]:
    """Per value of the column ``group`` of a year / month / day rollup (``meta``: that of
    ``AgencyRollup`` or ``GroupRollup``), in one query: ``<c>_before`` = Σ c over the days
    < ``start`` for each counter c in ``before``, and ``<c>_by`` = Σ c over the days ≤ ``end``
    for each c in ``by``; groups without rows are left out. ``where`` adds SQL conditions
    (starting with `` AND``) and their parameters to every range.

    The statement is a ``UNION ALL`` of the index range scans of ``prefix_ranges`` (grain =
    g AND start BETWEEN lo AND hi) at both dates, each putting its signed counters in the
    columns of its date (zeros in the other's), summed per group: one row per group. Conditional
    sums (``SUM … FILTER``) over the same rows gave the same figures but evaluated the range
    conditions again for every sum and row: twice as slow on SQLite."""
    quote = connection.ops.quote_name
    # The output columns: (date 0 or 1, counter) in order.
    outputs = [(0, name) for name in before] + [(1, name) for name in by]
    columns = {name: quote(str(_column(meta, name))) for name in {*before, *by}}
    key, grain, first = (quote(str(_column(meta, n))) for n in (group, "grain", "start"))
    table = quote(meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    scope, scope_params = where
    parts: list[str] = []
    params: list[Any] = []
    for point, day in enumerate((start - ONE_DAY, end)):
        for sign, g, lo, hi in prefix_ranges(day):
            lower = f" AND {first} >= %s" if lo is not None else ""
            mark = "" if sign > 0 else "-"
            signed = ", ".join(
                f"{mark + columns[name] if p == point else 0} AS c{i}"
                for i, (p, name) in enumerate(outputs)
            )
            parts.append(
                f"SELECT {key} AS grp, {signed} "  # noqa: S608
                f"FROM {table} WHERE {grain} = %s AND {first} <= %s{lower}{scope}"
            )
            params += [g, adapt(hi), *([adapt(lo)] if lo is not None else []), *scope_params]
    names = [f"{name}_{('before', 'by')[p]}" for p, name in outputs]
    sums = ", ".join(f"SUM(c{i})" for i in range(len(outputs)))
    # Names come from the model, values are parameters.
    sql = f"SELECT grp, {sums} FROM ({' UNION ALL '.join(parts)}) AS prefix GROUP BY grp"  # noqa: S608
    # The rollups' read connection: the replica while a report view reads (motcua/replica.py).
    with connections[router.db_for_read(meta.model)].cursor() as cursor:
        cursor.execute(sql, params)
        return {
            group_key: dict(zip(names, (int(v or 0) for v in values), strict=True))
            for group_key, *values in cursor.fetchall()
        }


def _column(meta: Any, name: str) -> str:
    field = meta.get_field(name)
    assert isinstance(field, DbField)  # noqa: S101 - concrete columns of the model
    return str(field.column)


_MOVING = (
    "received",
    "received_online",
    "finished_early",
    "finished_on_time",
    "finished_late",
    "withdrawn",
)
_AT_END = (*_MOVING, "overdue_from", "overdue_closed", "paused")


def _agency_sums(
    start: dt.date, end: dt.date, dimension: str, agency_ids: set[int] | None
) -> list[dict[str, Any]]:
    """The same sums as ``_daily_sums``, from ``AgencyRollup``: per agency, or per level
    (agencies mapped to their unit's level, ``None`` without a unit)."""
    return _by_agency(
        dimension, agency_prefix_sums(start, end, _MOVING, _AT_END, agency_ids=agency_ids)
    )


def _by_agency(dimension: str, sums: dict[int, dict[str, int]]) -> list[dict[str, Any]]:
    """Per-agency prefix sums as per-agency sums, or per level (``dimension``)."""
    keys: dict[int, Any] = {pk: pk for pk in sums}
    if dimension != "agency_id":
        agencies = _some(Agency.objects.all(), "pk", set(sums))
        keys = dict(agencies.values_list("pk", dimension[8:]))
    return [_from_prefix(dimension, keys[k], s) for k, s in sorted(sums.items())]


def _group_sums(start: dt.date, end: dt.date, group_by: str) -> list[dict[str, Any]]:
    """The same sums as ``_daily_sums``, from ``GroupRollup``: per field, procedure (their ids)
    or channel."""
    sums = group_prefix_sums(group_by, start, end, _MOVING, _AT_END)
    dimension = _DIMENSION[group_by]
    return [
        _from_prefix(dimension, k if group_by == "channel" else int(k), s)
        for k, s in sorted(sums.items())
    ]


def _agency_group_sums(
    start: dt.date,
    end: dt.date,
    group_by: str,
    agency_ids: set[int] | None,
    interagency: bool | None,
) -> list[dict[str, Any]]:
    """The same sums as the other paths, from ``AgencyGroupRollup``, over the agencies
    ``agency_ids`` (all when ``None``) and the versions of one kind (``interagency``; both when
    ``None``): per field, procedure or channel from those rows, per agency (or level) from the
    channel rows (every delta lands on exactly one channel)."""
    meta = AgencyGroupRollup._meta
    quote = connection.ops.quote_name
    by_agency = group_by in _BY_AGENCY
    dimension = "channel" if by_agency else group_by
    conditions = [f" AND {quote(_column(meta, 'dimension'))} = %s"]
    params: list[Any] = [dimension]
    if interagency is not None:
        conditions.append(f" AND {quote(_column(meta, 'inter_agency'))} = %s")
        params.append(interagency)
    if agency_ids is not None:
        chosen = sorted(agency_ids)
        marks = ", ".join(["%s"] * len(chosen))
        agency = quote(_column(meta, "agency"))
        conditions.append(f" AND {agency} IN ({marks})" if chosen else " AND 1 = 0")
        params += chosen
    group = "agency" if by_agency else "key"
    sums = prefix_sums(
        meta, group, start, end, _MOVING, _AT_END, where=("".join(conditions), params)
    )
    if by_agency:
        return _by_agency(_DIMENSION[group_by], sums)
    column = _DIMENSION[group_by]
    return [
        _from_prefix(column, k if group_by == "channel" else int(k), s)
        for k, s in sorted(sums.items())
    ]


def _from_prefix(dimension: str, key: Any, s: dict[str, int]) -> dict[str, Any]:
    """The sums of one group as ``_daily_sums`` names them, from its prefix sums."""
    within = {c: s[f"{c}_by"] - s[f"{c}_before"] for c in _MOVING}
    return {
        dimension: key,
        "received_before": s["received_before"],
        "finished_early_before": s["finished_early_before"],
        "finished_on_time_before": s["finished_on_time_before"],
        "finished_late_before": s["finished_late_before"],
        "withdrawn_before": s["withdrawn_before"],
        "received_online": within["received_online"],
        "received_other": within["received"] - within["received_online"],
        "early": within["finished_early"],
        "on_time": within["finished_on_time"],
        "late": within["finished_late"],
        "withdrawn": within["withdrawn"],
        "overdue_from": s["overdue_from_by"],
        "overdue_closed": s["overdue_closed_by"],
        "paused": s["paused_by"],
    }


# Above this many groups, the labels are read for the whole table (agencies, fields or
# procedures: a catalogue's size, not the dossiers') rather than through a list of ids: Django
# builds an ``IN`` of two thousand ids slower than the database reads every procedure.
_FEW = 100


def _some(rows: Any, column: str, keys: set[Any]) -> Any:
    return rows.filter(**{f"{column}__in": keys}) if len(keys) <= _FEW else rows


def _labels(group_by: str, keys: set[Any]) -> dict[Any, tuple[str, str]]:
    """(key, Vietnamese label) of each group key: codes for agencies, fields, procedures."""
    if group_by in ("agency", "field"):
        model = Agency if group_by == "agency" else Field
        rows = _some(model.objects.all(), "pk", keys).values_list("pk", "code", "name")
        return {pk: (code, name) for pk, code, name in rows if pk in keys}
    if group_by == "procedure":
        found: dict[int, tuple[str, str]] = {}
        versions = _some(ProcedureVersion.objects.all(), "procedure_id", keys)
        for procedure_id, code, name in versions.order_by("procedure_id", "number").values_list(
            "procedure_id", "procedure__code", "name"
        ):
            if procedure_id in keys:
                found[procedure_id] = (code, name)  # the latest version's name wins
        return found
    if group_by == "level":
        levels = dict(UnitLevel.choices)
        return {k: (k, str(levels[k]) if k in levels else _("other")) for k in keys}
    channels = dict(Channel.choices)
    return {k: (k, str(channels.get(k, k))) for k in keys}
