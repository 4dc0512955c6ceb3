"""The figures of the reports dashboard (``/workspace/reports/``), as dataclasses the page
renders as charts and tables. Every count is one of ``behind.METRICS`` with a key, so the page
links each number to exactly the dossiers behind it (``behind.dossiers_behind``).

Cost: a fixed number of queries whatever the number of dossiers. The on-time trend, overdue
dossiers, procedures and channels come from the daily rollups (``processing_report`` and one
sum per day); the slowest steps from the steps handed over in the period (hand-over results of
Form 05, attributed to the step's agency); apologies from the ``extend`` events of the period
(the (action, at) index).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, IntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce

from motcua.dossiers.deadlines import local_date
from motcua.dossiers.models import Timeliness
from motcua.dossiers.rollup_models import DailyRollup
from motcua.dossiers.workflow import Channel
from motcua.reports import windows
from motcua.reports.behind import Key, Period, apology_events, handed_over_steps
from motcua.reports.processing import processing_report

TOP = 10  # rows of the "slowest" tables


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` ÷ ``whole`` as a percentage with two decimals; ``None`` when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Month:
    """One reporting month of the period (clipped to it), labelled by the month it closes."""

    label: str
    period: Period


@dataclass
class MonthRate:
    """Resolutions of one month: (early + on time) ÷ resolved, as the processing report;
    withdrawals beside them, not graded."""

    month: Month
    resolved: int = 0
    in_time: int = 0
    late: int = 0
    withdrawn: int = 0

    @property
    def rate(self) -> Decimal | None:
        return percent(self.in_time, self.resolved)


@dataclass
class AgencyOverdue:
    """Dossiers received by an agency, pending and overdue at the end of the period."""

    key: Key
    code: str
    name: str
    overdue: int
    pending: int

    @property
    def share(self) -> Decimal | None:
        return percent(self.overdue, self.pending)


@dataclass
class ProcedureLateness:
    """Resolutions of one procedure in the period and how many were late."""

    key: Key
    code: str
    name: str
    resolved: int
    late: int

    @property
    def late_rate(self) -> Decimal | None:
        return percent(self.late, self.resolved)


@dataclass
class StepLateness:
    """Dossiers with a step of this name handed over at this agency in the period, and those
    whose hand-over was late: lateness attributed to the step's agency."""

    key: Key
    agency_code: str
    agency_name: str
    step: str
    handed_over: int
    late: int

    @property
    def late_rate(self) -> Decimal | None:
        return percent(self.late, self.handed_over)


@dataclass
class ApologyCount:
    """Dossiers given an apology letter (Form 04) by one agency in one month."""

    month: Month
    key: Key
    code: str
    name: str
    dossiers: int


@dataclass
class ChannelCount:
    """Dossiers received in the period through one channel."""

    key: Key
    channel: str
    label: str
    received: int

    share: Decimal | None = None


@dataclass
class Dashboard:
    """Everything the dashboard shows for one period and scope."""

    period: Period
    months: list[MonthRate] = field(default_factory=list)
    overdue: list[AgencyOverdue] = field(default_factory=list)
    procedures: list[ProcedureLateness] = field(default_factory=list)
    steps: list[StepLateness] = field(default_factory=list)
    apologies: list[ApologyCount] = field(default_factory=list)
    channels: list[ChannelCount] = field(default_factory=list)

    @property
    def apology_months(self) -> list[tuple[Month, int]]:
        """Apology letters per month (all agencies), for the chart."""
        totals: dict[Month, int] = {}
        for row in self.apologies:
            totals[row.month] = totals.get(row.month, 0) + row.dossiers
        return list(totals.items())

    @property
    def resolved_total(self) -> int:
        return sum(m.resolved for m in self.months)

    @property
    def rate(self) -> Decimal | None:
        return percent(sum(m.in_time for m in self.months), self.resolved_total)


def months(period: Period) -> list[Month]:
    """The reporting months of ``period`` (the windows' cut-off day: 15th → 14th by default,
    calendar months with ``cutoff_day`` 1), each clipped to the period and labelled MM/YYYY by
    the month it closes, as the monthly window of that number."""
    cutoff = int(windows.config()["cutoff_day"])
    found = []
    start = period.start
    while start <= period.end:
        year, month = start.year, start.month
        if start.day >= cutoff and cutoff > 1:
            month += 1  # from the cut-off on, a day belongs to the next month's window
        if month > 12:
            year, month = year + 1, 1
        if cutoff == 1:
            following = dt.date(year + month // 12, month % 12 + 1, 1)
        else:
            following = dt.date(year, month, cutoff)
        end = min(following - dt.timedelta(days=1), period.end)
        found.append(Month(f"{month:02d}/{year}", Period(start, end, period.interagency)))
        start = end + dt.timedelta(days=1)
    return found


def _sum(column: str) -> Coalesce:
    return Coalesce(Sum(column), Value(0), output_field=IntegerField())


def on_time_by_month(period: Period, scope: set[int] | None) -> list[MonthRate]:
    """Resolutions per reporting month from the rollups: one query summing per day."""
    rows = DailyRollup.objects.filter(day__gte=period.start, day__lte=period.end)
    if scope is not None:
        rows = rows.filter(agency_id__in=sorted(scope))
    if period.interagency is not None:
        rows = rows.filter(version__inter_agency=period.interagency)
    per_day = (
        rows.values("day")
        .annotate(
            early=_sum("finished_early"),
            on_time=_sum("finished_on_time"),
            late=_sum("finished_late"),
            withdrawn=_sum("withdrawn"),
        )
        .order_by("day")
    )
    rates = [MonthRate(m) for m in months(period)]
    index = 0
    for day in per_day:
        while rates[index].month.period.end < day["day"]:
            index += 1
        rate = rates[index]
        rate.in_time += day["early"] + day["on_time"]
        rate.late += day["late"]
        rate.withdrawn += day["withdrawn"]
        rate.resolved += day["early"] + day["on_time"] + day["late"]
    return rates


def overdue_by_agency(period: Period, scope: set[int] | None) -> list[AgencyOverdue]:
    """Pending overdue dossiers at the end of the period per receiving agency, most first."""
    report = processing_report(
        period.start, period.end, "agency", agency_ids=scope, interagency=period.interagency
    )
    rows = [
        AgencyOverdue(Key("agency", r.key), r.key, r.label, r.counts.pending_overdue,
                      r.counts.pending_total)
        for r in report.rows
        if r.counts.pending_overdue
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.overdue, r.code))
    return rows


def slowest_procedures(period: Period, scope: set[int] | None) -> list[ProcedureLateness]:
    """Procedures with late resolutions in the period, most late first (then by late rate)."""
    report = processing_report(
        period.start, period.end, "procedure", agency_ids=scope, interagency=period.interagency
    )
    rows = [
        ProcedureLateness(Key("procedure", r.key), r.key, r.label, r.counts.resolved_total,
                          r.counts.resolved_late)
        for r in report.rows
        if r.counts.resolved_late
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.late, -(r.late_rate or 0), r.code))
    return rows[:TOP]


def slowest_steps(period: Period, scope: set[int] | None) -> list[StepLateness]:
    """(Agency, step name) pairs with late hand-overs in the period, most late first."""
    grouped = (
        handed_over_steps(period, scope)
        .values("agency__code", "agency__name", "name")
        .annotate(
            handed=Count("dossier", distinct=True),
            late=Count("dossier", distinct=True, filter=Q(timeliness=Timeliness.LATE)),
        )
        .filter(late__gt=0)
        .order_by("-late", "agency__code", "name")
    )
    rows = [
        StepLateness(Key("step", g["agency__code"], g["name"]), g["agency__code"],
                     g["agency__name"], g["name"], g["handed"], g["late"])
        for g in grouped
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.late, -(r.late_rate or 0), r.agency_code, r.step))
    return rows[:TOP]


def apologies_by_month(period: Period, scope: set[int] | None) -> list[ApologyCount]:
    """Dossiers given an apology letter per month and issuing agency. Apologies are rare: the
    events of the period are read (one query) and counted per month here."""
    found: dict[tuple[Month, str], set[int]] = {}
    names: dict[str, str] = {}
    month_list = months(period)
    events = apology_events(period, scope).values_list(
        "dossier_id", "agency__code", "agency__name", "at"
    )
    for dossier_id, code, name, at in events:
        day = local_date(at)
        month = next(m for m in month_list if m.period.start <= day <= m.period.end)
        found.setdefault((month, code or ""), set()).add(dossier_id)
        names[code or ""] = name or ""
    order = {m: i for i, m in enumerate(month_list)}
    return [
        ApologyCount(month, Key("agency", code), code, names[code], len(ids))
        for (month, code), ids in sorted(found.items(), key=lambda kv: (order[kv[0][0]], kv[0][1]))
    ]


def channel_mix(period: Period, scope: set[int] | None) -> list[ChannelCount]:
    """Dossiers received in the period by channel (online, in person, post), all channels."""
    report = processing_report(
        period.start, period.end, "channel", agency_ids=scope, interagency=period.interagency
    )
    received = {
        r.key: r.counts.received_online + r.counts.received_direct_or_postal for r in report.rows
    }
    total = sum(received.values())
    return [
        ChannelCount(Key("channel", str(value)), str(value), str(label), received.get(value, 0),
                     percent(received.get(value, 0), total))
        for value, label in (
            (Channel.ONLINE, Channel.ONLINE.label),
            (Channel.IN_PERSON, Channel.IN_PERSON.label),
            (Channel.POST, Channel.POST.label),
        )
    ]  # fmt: skip


def dashboard(period: Period, scope: set[int] | None) -> Dashboard:
    """All the dashboard's figures for ``period`` over the agencies of ``scope`` (all when
    ``None``)."""
    return Dashboard(
        period=period,
        months=on_time_by_month(period, scope),
        overdue=overdue_by_agency(period, scope),
        procedures=slowest_procedures(period, scope),
        steps=slowest_steps(period, scope),
        apologies=apologies_by_month(period, scope),
        channels=channel_mix(period, scope),
    )
