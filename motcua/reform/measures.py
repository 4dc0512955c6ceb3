"""The targets the system measures, read live from the dossier reports for one agency and one
year's annual reporting window (``reports.windows``, 15/12 → 14/12), never stored.

* on time: (early + on time) ÷ resolved, the processing report's rate;
* online payment: dossiers with fees paid in the window that were paid online ÷ dossiers with
  fees paid (the Decision 766 index's measure, ``reports.payments_collected``);
* full online [I]: dossiers received online for procedures offered fully online (Decree
  42/2022/NĐ-CP art. 11) ÷ dossiers received, from the daily rollups;
* apologies: late dossiers (resolved late, or pending past due) that were given an apology
  letter ÷ late dossiers (Decree 118/2025/NĐ-CP: every late dossier is apologised for in
  writing); 100% when none was late;
* digitised and re-use: no digitisation records yet, so not measured (and not counted).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency
from motcua.catalogue.models import OnlineLevel
from motcua.dossiers.rollup_models import DailyRollup
from motcua.dossiers.workflow import Channel
from motcua.reform.target_models import Metric
from motcua.reports.behind import Period, apology_events
from motcua.reports.payments_collected import paid_by_agency
from motcua.reports.processing import Counts, processing_report
from motcua.reports.windows import window

# The province's 2025 targets (ONE-STOP.md §5), proposed when the office sets an agency's year.
STANDARD_THRESHOLDS: dict[Metric, Decimal] = {
    Metric.ON_TIME: Decimal(98),
    Metric.ONLINE_PAYMENT: Decimal(60),
    Metric.FULL_ONLINE: Decimal(70),
    Metric.APOLOGIES: Decimal(100),
    Metric.DIGITISED: Decimal(80),
    Metric.REUSE: Decimal(50),
}


@dataclass(frozen=True)
class Measured:
    """A measured figure: ``numerator`` of ``denominator`` as a percentage, or no data."""

    numerator: int | None
    denominator: int | None
    reason: str = ""

    @property
    def percent(self) -> Decimal | None:
        if self.numerator is None or self.denominator is None:
            return None
        if not self.denominator:
            return None
        share = Decimal(100 * self.numerator) / self.denominator
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def year_window(year: int) -> tuple[dt.date, dt.date]:
    return window("annual", year)


def _counts(agency: Agency, start: dt.date, end: dt.date, today: dt.date | None) -> Counts:
    report = processing_report(start, end, "agency", agency_ids={agency.pk}, today=today)
    return report.rows[0].counts if report.rows else Counts()


def _full_online(agency: Agency, start: dt.date, end: dt.date) -> Measured:
    full = Q(channel=Channel.ONLINE, version__online_level=OnlineLevel.FULL)
    sums = DailyRollup.objects.filter(agency=agency, day__gte=start, day__lte=end).aggregate(
        total=Sum("received"), full=Sum("received", filter=full)
    )
    return Measured(sums["full"] or 0, sums["total"] or 0)


def _apologies(agency: Agency, counts: Counts, start: dt.date, end: dt.date) -> Measured:
    late = counts.resolved_late + counts.pending_overdue
    if not late:
        return Measured(1, 1)
    given = apology_events(Period(start, end), {agency.pk}).values("dossier_id").distinct().count()
    return Measured(min(given, late), late)


def measure_all(agency: Agency, year: int, today: dt.date | None = None) -> dict[str, Measured]:
    """Every metric of ``agency`` in ``year``'s annual window (judged on ``today``)."""
    start, end = year_window(year)
    counts = _counts(agency, start, end, today)
    paid, online, _procedures = paid_by_agency(start, end, {agency.pk}).get(
        agency.pk, (set(), set(), set())
    )
    no_digitisation = _("no digitisation records yet")
    return {
        Metric.ON_TIME: Measured(
            counts.resolved_early + counts.resolved_on_time, counts.resolved_total
        ),
        Metric.ONLINE_PAYMENT: Measured(len(online), len(paid)),
        Metric.FULL_ONLINE: _full_online(agency, start, end),
        Metric.APOLOGIES: _apologies(agency, counts, start, end),
        Metric.DIGITISED: Measured(None, None, no_digitisation),
        Metric.REUSE: Measured(None, None, no_digitisation),
    }
