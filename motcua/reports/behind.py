"""The dossiers behind a number of the reports: for each metric the dashboard shows, the
queryset of exactly the dossiers it counts, written from the processing report's definitions
(docs/reports.md) so that a click on a number lists that many dossiers.

Periods are local dates (Asia/Ho_Chi_Minh); a day runs from 00:00 to 24:00 local time. A
dossier is in the processing report once received, unless in status 1 or 3
(``rollup_models.OUTSIDE``); it is finished in status 7, 9 or 10 (``rollup_models.FINISHED``),
graded in status 9 or 10 at date level against its due date (domain §4;
``deadlines.standing``), withdrawn (7) apart and never graded.

Metrics and the dossiers they count, over the agencies of ``scope`` (all when ``None``):

- ``received``: received in the period (the channel mix);
- ``resolved``, ``resolved_in_time`` (early or on time), ``resolved_late``: processed or
  returned (9, 10) in the period, whatever the day received;
- ``withdrawn``: withdrawn (7) in the period;
- ``pending_overdue``: received by the end of the period, not finished by it, due before its
  last day or today if earlier (a period ending after today is judged today), and not waiting
  for a supplement or a payment (5, 6: the clock is stopped) — the report's
  ``pending_overdue``;
- ``steps_handed_over``, ``steps_late``: dossiers with a step handed over (judged early / on
  time / late) in the period, late for the second, at the step's agency: lateness is attributed
  to the agency and step that caused it (Form 05);
- ``extra_papers``: dossiers in which an officer asked for a paper beyond the case's published
  list in the period (``ExtraPaperDemand``; Decree 61/2018 art. 5), by the agency where it
  was asked for; narrowed by ``agency:<code>`` or ``officer:<agency code>|<username>``;
- ``apologies``: dossiers for which an apology letter (Form 04, Decree 118/2025 art. 19(4)) was
  issued in the period, by the agency that held the dossier then.

A period may keep only the dossiers of inter-agency (liên thông) procedure versions
(``Period.interagency`` true) or only the others (false), as the processing report's
``interagency``; steps and apologies follow their dossier.

Keys narrow a metric: ``agency:<code>`` (the receiving agency for dossier metrics, the step's
agency for steps, the issuing agency for apologies), ``procedure:<code>``, ``channel:<channel>``
and, for steps, ``step:<agency code>|<step name>``.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from motcua.dossiers.deadlines import CLOCK_STOPPED, GRADED, VIETNAM, WITHDRAWN, local_date
from motcua.dossiers.extra_paper_models import ExtraPaperDemand
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, Timeliness
from motcua.dossiers.rollup_models import FINISHED, OUTSIDE
from motcua.dossiers.workflow import Action, Channel

DOSSIER_METRICS = (
    "received",
    "resolved",
    "resolved_in_time",
    "resolved_late",
    "withdrawn",
    "pending_overdue",
)
STEP_METRICS = ("steps_handed_over", "steps_late")
METRICS = (*DOSSIER_METRICS, *STEP_METRICS, "apologies", "extra_papers")
KEY_KINDS = {
    **dict.fromkeys(DOSSIER_METRICS, ("agency", "procedure", "channel")),
    **dict.fromkeys(STEP_METRICS, ("agency", "step")),
    "apologies": ("agency",),
    "extra_papers": ("agency", "officer"),
}
# Keys with a second part after "|": the step's name, the officer's username.
PAIRED = ("step", "officer")


class UnknownMetric(ValueError):
    """A metric or key the reports do not define."""


@dataclass(frozen=True)
class Period:
    """A period of local dates, both days included; ``interagency`` keeps the dossiers of
    inter-agency procedures only (true), the others (false) or all (``None``)."""

    start: dt.date
    end: dt.date
    interagency: bool | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")

    @property
    def low(self) -> dt.datetime:
        """The first instant of the period (00:00 local time on ``start``)."""
        return day_start(self.start)

    @property
    def high(self) -> dt.datetime:
        """The first instant after the period (00:00 local time the day after ``end``)."""
        return day_start(self.end + dt.timedelta(days=1))


@dataclass(frozen=True)
class Key:
    """What narrows a metric: a kind (``agency``, ``procedure``, ``channel``, ``step``) and
    its value(s); the empty key narrows nothing."""

    kind: str = ""
    value: str = ""
    step: str = ""

    def __str__(self) -> str:
        if not self.kind:
            return ""
        if self.kind in PAIRED:
            return f"{self.kind}:{self.value}|{self.step}"
        return f"{self.kind}:{self.value}"


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=VIETNAM)


def parse_key(text: str) -> Key:
    """``agency:H56.22`` → Key("agency", "H56.22"); ``step:H56.22|Ký duyệt`` → a step key."""
    if not text:
        return Key()
    kind, sep, value = text.partition(":")
    if not sep or not value or kind not in ("agency", "procedure", "channel", *PAIRED):
        raise UnknownMetric(f"unknown key '{text}'")
    if kind in PAIRED:
        agency, sep, name = value.partition("|")
        if not sep or not agency or not name:
            raise UnknownMetric(f"a {kind} key is {kind}:<agency code>|<name>")
        return Key(kind, agency, name)
    if kind == "channel" and value not in Channel.values:
        raise UnknownMetric(f"unknown channel '{value}'")
    return Key(kind, value)


def _in_report(period: Period) -> QuerySet[Dossier]:
    found = Dossier.objects.filter(received_at__isnull=False).exclude(status__in=sorted(OUTSIDE))
    if period.interagency is not None:
        found = found.filter(version__inter_agency=period.interagency)
    return found


def _dossier_metric(metric: str, period: Period) -> QuerySet[Dossier]:
    dossiers = _in_report(period)
    if metric == "received":
        return dossiers.filter(received_at__gte=period.low, received_at__lt=period.high)
    if metric == "pending_overdue":
        # Not finished by the end: open, paused or stopped, or finished after the period.
        not_finished = ~Q(status__in=sorted(FINISHED)) | Q(finished_at__gte=period.high)
        on = min(period.end, local_date(timezone.now()))
        return dossiers.filter(
            not_finished,
            received_at__lt=period.high,
            due_at__lt=day_start(on),  # due date before the last day (or today)
        ).exclude(status__in=sorted(CLOCK_STOPPED))
    within = Q(finished_at__gte=period.low, finished_at__lt=period.high)
    if metric == "withdrawn":
        return dossiers.filter(within, status=WITHDRAWN)
    resolved = dossiers.filter(within, status__in=sorted(GRADED))
    if metric == "resolved":
        return resolved
    judged = resolved.annotate(
        finished_day=TruncDate("finished_at", tzinfo=VIETNAM),
        due_day=TruncDate("due_at", tzinfo=VIETNAM),
    )
    if metric == "resolved_late":
        return judged.filter(due_at__isnull=False, finished_day__gt=F("due_day"))
    # Without a due date a dossier is never late.
    return judged.filter(Q(due_at__isnull=True) | Q(finished_day__lte=F("due_day")))


def _narrow_dossiers(dossiers: QuerySet[Dossier], key: Key) -> QuerySet[Dossier]:
    if key.kind == "agency":
        return dossiers.filter(receiving_agency__code=key.value)
    if key.kind == "procedure":
        return dossiers.filter(version__procedure__code=key.value)
    if key.kind == "channel":
        return dossiers.filter(channel=key.value)
    return dossiers


def handed_over_steps(period: Period, scope: set[int] | None) -> QuerySet[DossierStep]:
    """Steps handed over (with an early / on time / late label) in the period, at the
    agencies of ``scope``: what the slowest-steps chart counts."""
    steps = DossierStep.objects.filter(
        finished_at__gte=period.low, finished_at__lt=period.high
    ).exclude(timeliness="")
    if scope is not None:
        steps = steps.filter(agency_id__in=sorted(scope))
    if period.interagency is not None:
        steps = steps.filter(dossier__version__inter_agency=period.interagency)
    return steps


def apology_events(period: Period, scope: set[int] | None) -> QuerySet[DossierEvent]:
    """Apology letters (``extend`` events) issued in the period by the agencies of ``scope``;
    the (action, at) index bounds the scan."""
    events = DossierEvent.objects.filter(
        action=Action.EXTEND, at__gte=period.low, at__lt=period.high
    )
    if scope is not None:
        events = events.filter(agency_id__in=sorted(scope))
    if period.interagency is not None:
        events = events.filter(dossier__version__inter_agency=period.interagency)
    return events


def extra_paper_demands(period: Period, scope: set[int] | None) -> QuerySet[ExtraPaperDemand]:
    """Papers beyond the published list asked for in the period at the agencies of ``scope``;
    the (at, agency) index bounds the scan."""
    demands = ExtraPaperDemand.objects.filter(at__gte=period.low, at__lt=period.high)
    if scope is not None:
        demands = demands.filter(agency_id__in=sorted(scope))
    if period.interagency is not None:
        demands = demands.filter(dossier__version__inter_agency=period.interagency)
    return demands


def dossiers_behind(
    metric: str, scope: set[int] | None, period: Period, key: Key | str = ""
) -> QuerySet[Dossier]:
    """The dossiers ``metric`` counts for ``period`` over the agencies of ``scope`` (all when
    ``None``), narrowed by ``key``. Raises ``UnknownMetric`` for a metric or key kind the
    metric does not have."""
    if metric not in METRICS:
        raise UnknownMetric(f"unknown metric '{metric}'")
    key = parse_key(key) if isinstance(key, str) else key
    if key.kind and key.kind not in KEY_KINDS[metric]:
        raise UnknownMetric(f"'{metric}' is not narrowed by {key.kind}")
    if metric in STEP_METRICS:
        steps = handed_over_steps(period, scope)
        if metric == "steps_late":
            steps = steps.filter(timeliness=Timeliness.LATE)
        if key.kind:
            steps = steps.filter(agency__code=key.value)
        if key.kind == "step":
            steps = steps.filter(name=key.step)
        return Dossier.objects.filter(pk__in=steps.values("dossier_id"))
    if metric == "extra_papers":
        demands = extra_paper_demands(period, scope)
        if key.kind:
            demands = demands.filter(agency__code=key.value)
        if key.kind == "officer":
            demands = demands.filter(officer__username=key.step)
        return Dossier.objects.filter(pk__in=demands.values("dossier_id"))
    if metric == "apologies":
        events = apology_events(period, scope)
        if key.kind:
            events = events.filter(agency__code=key.value)
        return Dossier.objects.filter(pk__in=events.values("dossier_id"))
    dossiers = _dossier_metric(metric, period)
    if scope is not None:
        dossiers = dossiers.filter(receiving_agency_id__in=sorted(scope))
    return _narrow_dossiers(dossiers, key)
