"""Publicity (công khai): a month's processing figures and the Decision 766/QĐ-TTg service index
for the province and for each receiving agency, read from the reports (``processing_report``
and ``service_index``, both on the rollups) and never from the dossiers themselves.

Decree 118/2025 and Decision 766/QĐ-TTg (2023) make the results of handling procedures public;
the portal shows the same figures the reports give the officers."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from motcua.accounts.models import Agency
from motcua.reports.index766 import Scorecard, service_index
from motcua.reports.processing import Counts, Row, processing_report
from motcua.workdays.bounds import EARLIEST_DATE

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Month:
    first: dt.date
    last: dt.date  # the month's last day, or today for the current month

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"


def month_of(text: str, today: dt.date) -> Month | None:
    """The month ``YYYY-MM`` (default: this month) up to today; ``None`` if it is not such a
    month, lies in the future or before the supported range."""
    if not text:
        first = today.replace(day=1)
    else:
        match = MONTH_RE.match(text)
        if match is None or not 1 <= int(match[2]) <= 12:
            return None
        first = dt.date(int(match[1]), int(match[2]), 1)
    if first < EARLIEST_DATE or first > today:
        return None
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return Month(first, min(last, today))


def recent_months(today: dt.date, count: int = 12) -> list[Month]:
    """This month and the ``count`` − 1 before it, latest first, for the month picker."""
    months = []
    first = today.replace(day=1)
    for _ in range(count):
        found = month_of(f"{first:%Y-%m}", today)
        if found is not None:
            months.append(found)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months


@dataclass
class AgencyLine:
    row: Row
    points: float | None


@dataclass
class Province:
    month: Month
    totals: Counts
    lines: list[AgencyLine]
    index: Scorecard


def province(month: Month) -> Province:
    report = processing_report(month.first, month.last, "agency")
    index = service_index(month.first, month.last)
    points = {card.key: float(card.points) for card in index.agencies}
    lines = [AgencyLine(row, points.get(row.key)) for row in report.rows]
    return Province(month, report.totals, lines, index.totals)


@dataclass
class AgencyFigures:
    month: Month
    agency: Agency
    totals: Counts
    index: Scorecard | None


def agency_figures(agency: Agency, month: Month) -> AgencyFigures:
    report = processing_report(month.first, month.last, "agency", agency_ids={agency.pk})
    index = service_index(month.first, month.last, agency_ids={agency.pk})
    card = next((c for c in index.agencies if c.key == agency.code), None)
    return AgencyFigures(month, agency, report.totals, card)


def public_agency(code: str) -> Agency | None:
    """An agency whose figures are public: one that receives dossiers (or did)."""
    return Agency.objects.filter(code=code, procedure_assignments__isnull=False).distinct().first()
