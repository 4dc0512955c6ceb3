"""The processing report (Tình hình, kết quả giải quyết TTHC; domain §5), read from the daily
rollups only: its cost grows with groups × days, never with the dossiers.

For a period [start, end] of local dates, per group (sums of ``DailyRollup`` counters, see
``rollup.py`` for the keys; "before" means day < start, "in" start ≤ day ≤ end, "by" day ≤ end):

- carried_over = received before − finished before (a dossier finishes on or after the day it
  was received, so what finished before ``start`` was received before it);
- received_online, received_direct_or_postal = received in, by channel;
- resolved_early / on_time / late = finished_* in;
- pending_total = received by − finished by = carried_over + received in − resolved;
- pending_overdue = overdue_from by − overdue_closed by: dossiers due before ``end``, received
  by it, and not finished by it;
- pending_in_time = pending_total − pending_overdue;
- pending_paused = paused by (a paused dossier is not finished, so it is pending).
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, UnitLevel
from motcua.catalogue.models import Field, Procedure, ProcedureVersion
from motcua.dossiers.workflow import Channel
from motcua.reports.models import DailyRollup

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
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

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
            "pending_in_time": self.pending_in_time,
            "pending_overdue": self.pending_overdue,
            "pending_paused": self.pending_paused,
            "pending_total": self.pending_total,
            "on_time_rate": float(rate) if rate is not None else None,
        }


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

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "group_by": self.group_by,
            "rows": [r.as_dict() for r in self.rows],
            "totals": self.totals.as_dict(),
        }


def _sum(column: str, condition: Q) -> Coalesce:
    return Coalesce(Sum(column, filter=condition), Value(0), output_field=IntegerField())


def processing_report(
    start: dt.date,
    end: dt.date,
    group_by: str = "agency",
    *,
    agency_ids: set[int] | None = None,
) -> Report:
    """The report for [start, end] grouped by ``group_by`` (one of ``GROUPINGS``), over the
    dossiers received by the agencies ``agency_ids`` (all when ``None``). Two queries."""
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPINGS)}")
    if end < start:
        raise ValueError("the period ends before it starts")
    before, within = Q(day__lt=start), Q(day__gte=start)
    online = Q(channel=Channel.ONLINE)
    rows = DailyRollup.objects.filter(day__lte=end)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=sorted(agency_ids))
    dimension = _DIMENSION[group_by]
    sums = (
        rows.values(dimension)
        .annotate(
            received_before=_sum("received", before),
            finished_early_before=_sum("finished_early", before),
            finished_on_time_before=_sum("finished_on_time", before),
            finished_late_before=_sum("finished_late", before),
            received_online=_sum("received", within & online),
            received_other=_sum("received", within & ~online),
            early=_sum("finished_early", within),
            on_time=_sum("finished_on_time", within),
            late=_sum("finished_late", within),
            overdue_from=_sum("overdue_from", Q()),
            overdue_closed=_sum("overdue_closed", Q()),
            paused=_sum("paused", Q()),
        )
        .order_by(dimension)
    )
    report = Report(start, end, group_by)
    found: dict[Any, Counts] = {}
    for s in sums:
        carried = s["received_before"] - (
            s["finished_early_before"] + s["finished_on_time_before"] + s["finished_late_before"]
        )
        counts = Counts(
            carried_over=carried,
            received_online=s["received_online"],
            received_direct_or_postal=s["received_other"],
            resolved_early=s["early"],
            resolved_on_time=s["on_time"],
            resolved_late=s["late"],
            pending_overdue=s["overdue_from"] - s["overdue_closed"],
            pending_paused=s["paused"],
        )
        pending = counts.received_total - counts.resolved_total
        counts.pending_in_time = pending - counts.pending_overdue
        if counts == Counts():
            continue  # a group whose rows all went back to zero
        key = s[dimension]
        if group_by == "level" and key is None:
            key = OTHER_LEVEL
        found.setdefault(key, Counts()).add(counts)
    labels = _labels(group_by, set(found))
    for key, counts in found.items():
        code, label = labels.get(key, (str(key), str(key)))
        report.rows.append(Row(code, label, counts))
        report.totals.add(counts)
    report.rows.sort(key=lambda r: r.key)
    return report


def _labels(group_by: str, keys: set[Any]) -> dict[Any, tuple[str, str]]:
    """(key, Vietnamese label) of each group key: codes for agencies, fields, procedures."""
    if group_by == "agency":
        return {
            pk: (code, name)
            for pk, code, name in Agency.objects.filter(pk__in=keys).values_list(
                "pk", "code", "name"
            )
        }
    if group_by == "field":
        return {
            pk: (code, name)
            for pk, code, name in Field.objects.filter(pk__in=keys).values_list(
                "pk", "code", "name"
            )
        }
    if group_by == "procedure":
        codes = dict(Procedure.objects.filter(pk__in=keys).values_list("pk", "code"))
        names: dict[int, str] = {}
        for procedure_id, name in (
            ProcedureVersion.objects.filter(procedure_id__in=keys)
            .order_by("procedure_id", "number")
            .values_list("procedure_id", "name")
        ):
            names[procedure_id] = name  # the latest version's name wins
        return {pk: (codes[pk], names.get(pk, codes[pk])) for pk in codes}
    if group_by == "level":
        levels = dict(UnitLevel.choices)
        return {k: (k, str(levels[k]) if k in levels else _("other")) for k in keys}
    channels = dict(Channel.choices)
    return {k: (k, str(channels.get(k, k))) for k in keys}
