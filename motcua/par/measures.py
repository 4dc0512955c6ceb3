"""The figures the system measures for a PAR sub-criterion, read from the reports over the
year's annual reporting window (15 December of the previous year to 14 December, Decree
09/2019/NĐ-CP as configured in ``reports.windows``), and the points a figure earns.

A measured sub-criterion earns ``max × figure ÷ target``, at most its maximum (our reading of
the example set's guidance; a province's own file states its target per row). With no figure
(no dossier resolved, no rating, no feedback answered in the window) the sub-criterion is
scored by hand like the others."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency
from motcua.feedback.queries import report_by_agency
from motcua.par.models import Measure
from motcua.reports.processing import processing_report
from motcua.reports.windows import window
from motcua.satisfaction.queries import results as rating_results

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    """A measured percentage (``None`` when there is nothing to measure) and what it was
    computed from, shown next to the points."""

    percent: Decimal | None
    basis: str


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(CENT, rounding=ROUND_HALF_UP)


def period(year: int) -> tuple[dt.date, dt.date]:
    """The annual reporting window of ``year``."""
    return window("annual", year)


def _processing(agency: Agency, start: dt.date, end: dt.date, today: dt.date) -> Figure:
    counts = processing_report(start, end, "agency", agency_ids={agency.pk}, today=today).totals
    return Figure(
        counts.on_time_rate,
        _("%(done)s of %(resolved)s dossiers resolved early or on time")
        % {
            "done": counts.resolved_early + counts.resolved_on_time,
            "resolved": counts.resolved_total,
        },
    )


def _online(agency: Agency, start: dt.date, end: dt.date, today: dt.date) -> Figure:
    counts = processing_report(start, end, "agency", agency_ids={agency.pk}, today=today).totals
    received = counts.received_online + counts.received_direct_or_postal
    return Figure(
        _percent(counts.received_online, received),
        _("%(online)s of %(received)s dossiers received online")
        % {"online": counts.received_online, "received": received},
    )


def _satisfaction(agency: Agency, start: dt.date, end: dt.date) -> Figure:
    rows = rating_results(start, end, "agency", [agency.pk])
    satisfied = sum(row.tally.satisfied_total for row in rows)
    total = sum(row.tally.total for row in rows)
    return Figure(
        _percent(satisfied, total),
        _("%(satisfied)s of %(total)s ratings satisfied or very satisfied")
        % {"satisfied": satisfied, "total": total},
    )


def _feedback(agency: Agency, start: dt.date, end: dt.date, now: dt.datetime) -> Figure:
    tz = ZoneInfo(settings.TIME_ZONE)
    first = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    rows = [r for r in report_by_agency(first, after, now=now) if r.agency.pk == agency.pk]
    on_time = sum(r.on_time for r in rows)
    answered = on_time + sum(r.late for r in rows)
    return Figure(
        _percent(on_time, answered),
        _("%(on_time)s of %(answered)s feedback answered on time")
        % {"on_time": on_time, "answered": answered},
    )


def measure(kind: str, agency: Agency, year: int, now: dt.datetime) -> Figure:
    """The figure ``kind`` (a ``Measure``) of ``agency`` over ``year``'s window, judged at
    ``now`` when the window has not ended."""
    start, end = period(year)
    today = now.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    if kind == Measure.ON_TIME_RATE:
        return _processing(agency, start, end, today)
    if kind == Measure.ONLINE_SHARE:
        return _online(agency, start, end, today)
    if kind == Measure.SATISFACTION:
        return _satisfaction(agency, start, end)
    if kind == Measure.FEEDBACK_ON_TIME:
        return _feedback(agency, start, end, now)
    raise ValueError(kind)


def points_for(percent: Decimal, max_points: Decimal, target: Decimal | None) -> Decimal:
    """``max × percent ÷ target`` (target 100% when none), at most ``max``, to 0.01."""
    goal = target if target else Decimal(100)
    earned = min(max_points, max_points * percent / goal)
    return earned.quantize(CENT, rounding=ROUND_HALF_UP)
