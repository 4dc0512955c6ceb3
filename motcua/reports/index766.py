"""The Decision 766/QĐ-TTg service index (Bộ chỉ số phục vụ người dân, doanh nghiệp; domain §5)
per receiving agency and for all agencies together, over a period of local dates.

Each component of the scoring table (``index766_scoring``) names a measure: a numerator and a
denominator computed here, or "no data yet" with the reason. A component without data scores 0
and says so; nothing is invented. The inputs are read without scanning dossiers where the
rollups hold them:

- dossier counts from ``processing_report`` (the daily rollups, grouped by agency);
- which procedures had dossiers in the period from the same rollup rows (agency × version ×
  channel × day);
- procedures in force at the end of the period, and their online level, from the catalogue
  (receiving assignments × versions in force);
- results returned in the period, and those returned electronically, from the rollup counters
  ``returned`` and ``returned_electronic`` (keyed by the day the result was returned), read as
  prefix sums from the agency rollups (year, month and day rows per agency);
- satisfaction ratings made in the period, and those very satisfied or satisfied, per receiving
  agency, from ``satisfaction.queries`` (one grouped count; ratings are few beside dossiers);
- payments recorded in the period on the agency's dossiers, online or at the desk, from the
  engine's payment events (``payments_collected``); fee-bearing procedures are those whose
  version in force has a fee or charge above zero;
- the digitisation components (results issued electronically, dossiers digitised, re-use of
  digitised papers) from the register of digitised papers and its re-use log
  (``reports/digitised.py``: two grouped queries over the dossiers received and returned).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency
from motcua.catalogue.models import (
    AssignmentRole,
    Fee,
    OnlineLevel,
    ProcedureAssignment,
    ProcedureVersion,
)
from motcua.dossiers.rollup_models import DailyRollup
from motcua.dossiers.workflow import Channel
from motcua.reports.digitised import Digitisation, digitisation_by_agency
from motcua.reports.index766_scoring import Component, Group, scoring_table
from motcua.reports.payments_collected import paid_by_agency
from motcua.reports.processing import Counts, agency_prefix_sums, processing_report
from motcua.satisfaction.queries import satisfaction_by_agency

NO_DATA = "chưa có dữ liệu / no data yet"
CENT = Decimal("0.01")
ONLINE_LEVELS = (OnlineLevel.FULL.value, OnlineLevel.PARTIAL.value)


@dataclass
class Inputs:
    """What the measures need to know of one agency (or of all agencies together)."""

    counts: Counts = field(default_factory=Counts)
    procedures: set[int] = field(default_factory=set)  # in force, received here
    online: set[int] = field(default_factory=set)  # of those, offered online
    with_dossiers: set[int] = field(default_factory=set)  # had dossiers received in period
    with_online_dossiers: set[int] = field(default_factory=set)
    returned: int = 0
    returned_electronic: int = 0
    rated: int = 0  # satisfaction ratings made in the period
    satisfied: int = 0  # of those, very satisfied or satisfied
    with_fees: set[int] = field(default_factory=set)  # in force, with a fee or charge > 0
    paid_online: set[int] = field(default_factory=set)  # procedures with an online payment
    dossiers_paid: set[int] = field(default_factory=set)  # a payment recorded in the period
    dossiers_paid_online: set[int] = field(default_factory=set)  # of those, one online
    digitisation: Digitisation = field(default_factory=Digitisation)

    def add(self, other: "Inputs") -> None:
        self.counts.add(other.counts)
        self.procedures |= other.procedures
        self.online |= other.online
        self.with_dossiers |= other.with_dossiers
        self.with_online_dossiers |= other.with_online_dossiers
        self.returned += other.returned
        self.returned_electronic += other.returned_electronic
        self.rated += other.rated
        self.satisfied += other.satisfied
        self.with_fees |= other.with_fees
        self.paid_online |= other.paid_online
        self.dossiers_paid |= other.dossiers_paid
        self.dossiers_paid_online |= other.dossiers_paid_online
        self.digitisation.add(other.digitisation)


@dataclass(frozen=True)
class Measure:
    """numerator ÷ denominator, or no data (both ``None``) with the reason."""

    numerator: int | None
    denominator: int | None
    reason: str = ""

    @property
    def has_data(self) -> bool:
        return self.numerator is not None and self.denominator is not None


def _no_data(reason: str) -> Callable[[Inputs], Measure]:
    return lambda _inputs: Measure(None, None, reason)


def _in_time(i: Inputs) -> Measure:
    c = i.counts
    # Withdrawn dossiers are not graded: out of both sides.
    graded = c.received_total - c.withdrawn
    return Measure(c.pending_in_time + c.resolved_early + c.resolved_on_time, graded)


def _dossiers_online(i: Inputs) -> Measure:
    c = i.counts
    return Measure(c.received_online, c.received_online + c.received_direct_or_postal)


def _satisfaction(i: Inputs) -> Measure:
    if not i.rated:
        return Measure(None, None, NO_RATINGS)
    return Measure(i.satisfied, i.rated)


NO_RATINGS = "chưa có đánh giá hài lòng trong kỳ / no satisfaction ratings in the period"
NO_NATIONAL_PORTAL = (
    "chưa kết nối nền tảng thanh toán của Cổng Dịch vụ công quốc gia / not connected to the "
    "National Portal's payment platform"
)

# name → (what it measures, how to compute it)
MEASURES: dict[str, tuple[str, Callable[[Inputs], Measure]]] = {
    "in_time": (
        "(pending in time + resolved early or on time) ÷ received (processing report)",
        _in_time,
    ),
    "procedures_online": (
        "procedures in force offered online (full or partial) ÷ procedures in force",
        lambda i: Measure(len(i.online), len(i.procedures)),
    ),
    "online_procedures_with_dossiers": (
        "online procedures with dossiers received in the period ÷ online procedures",
        lambda i: Measure(len(i.online & i.with_dossiers), len(i.online)),
    ),
    "online_procedures_with_online_dossiers": (
        "online procedures with online dossiers received in the period ÷ online procedures",
        lambda i: Measure(len(i.online & i.with_online_dossiers), len(i.online)),
    ),
    "dossiers_online": (
        "dossiers received online in the period ÷ dossiers received in the period",
        _dossiers_online,
    ),
    "electronic_results": (
        "results returned in the period that were issued as an electronic document (the "
        "result in the register of digitised papers) ÷ results returned in the period",
        lambda i: Measure(i.digitisation.results_electronic, i.returned),
    ),
    "publicity": (
        "publicity and transparency",
        _no_data("chưa ghi nhận dữ liệu công khai / no publicity data is recorded yet"),
    ),
    "procedures_paid_online": (
        "fee-bearing procedures in force with a payment made online in the period ÷ "
        "fee-bearing procedures in force",
        lambda i: Measure(len(i.with_fees & i.paid_online), len(i.with_fees)),
    ),
    "national_portal_payment": ("payable on the National Portal", _no_data(NO_NATIONAL_PORTAL)),
    "dossiers_paid_online": (
        "dossiers with fees or charges paid in the period that were paid online ÷ dossiers "
        "with fees or charges paid in the period",
        lambda i: Measure(len(i.dossiers_paid_online), len(i.dossiers_paid)),
    ),
    "satisfaction": (
        "ratings very satisfied or satisfied ÷ satisfaction ratings made in the period",
        _satisfaction,
    ),
    "digitised": (
        "dossiers received in the period each of whose papers handed in has its electronic copy "
        "(scanned, uploaded or re-used) ÷ dossiers received in the period",
        lambda i: Measure(i.digitisation.digitised, i.digitisation.received),
    ),
    "reuse": (
        "dossiers received in the period that re-used a digitised paper of the applicant ÷ "
        "dossiers received in the period whose applicant had a paper digitised before",
        lambda i: Measure(i.digitisation.reused, i.digitisation.could_reuse),
    ),
    "unspecified": (
        "criteria the scoring table does not define",
        _no_data(
            "cách tính chưa được xác định / the vendor approximation does not say how these "
            "points are earned"
        ),
    ),
}


def _number(value: Decimal) -> str:
    """2 decimals at most, trailing zeros dropped: 90, 66.67, 1.6."""
    text = f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _points(value: Decimal) -> str:
    text = _number(value)
    return text if "." in text else f"{text}.0"


def _percent(share: Decimal) -> str:
    return f"{_number(share * 100)} %"


def rule_text(c: Component) -> str:
    """The rule of ``c`` in words."""
    if c.rule == "linear":
        return f"share × {_number(c.points)}"
    assert c.threshold is not None  # noqa: S101 - checked when the table is read
    return f"{_number(c.points)} if share ≥ {_percent(c.threshold)}, else {_number(c.else_points)}"


@dataclass
class ComponentScore:
    component: Component
    measure: Measure
    points: Decimal
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        c, m = self.component, self.measure
        share = (
            float(Decimal(m.numerator) / m.denominator)
            if m.numerator is not None and m.denominator
            else None
        )
        return {
            "key": c.key,
            "name_vi": c.name_vi,
            "name_en": c.name_en,
            "measure": c.measure,
            "measure_description": MEASURES[c.measure][0],
            "rule": c.rule,
            "rule_text": rule_text(c),
            "has_data": m.has_data,
            "numerator": m.numerator,
            "denominator": m.denominator,
            "share": share,
            "points": float(self.points),
            "max_points": float(c.points),
            "explanation": self.explanation,
        }


def score_component(c: Component, m: Measure) -> ComponentScore:
    """Points of ``c`` for measure ``m`` and how they were earned."""
    if not m.has_data:
        return ComponentScore(c, m, Decimal(0), f"{NO_DATA}: {m.reason} → 0.0")
    assert m.numerator is not None and m.denominator is not None  # noqa: S101
    fraction = f"{m.numerator}/{m.denominator}"
    if m.denominator == 0:
        return ComponentScore(c, m, Decimal(0), f"{fraction}: nothing to measure → 0.0")
    share = Decimal(m.numerator) / m.denominator
    if c.rule == "linear":
        points = (share * c.points).quantize(CENT, rounding=ROUND_HALF_UP)
        text = f"{fraction} = {_percent(share)} × {_number(c.points)} = {_points(points)}"
        return ComponentScore(c, m, points, text)
    assert c.threshold is not None  # noqa: S101
    reached = share >= c.threshold
    points = c.points if reached else c.else_points
    sign = "≥" if reached else "<"
    text = f"{fraction} = {_percent(share)} {sign} {_percent(c.threshold)} → {_points(points)}"
    return ComponentScore(c, m, points, text)


@dataclass
class GroupScore:
    group: Group
    components: list[ComponentScore]

    @property
    def points(self) -> Decimal:
        return sum((c.points for c in self.components), Decimal(0))

    def as_dict(self) -> dict[str, Any]:
        g = self.group
        return {
            "key": g.key,
            "name_vi": g.name_vi,
            "name_en": g.name_en,
            "weight": float(g.weight),
            "points": float(self.points),
            "components": [c.as_dict() for c in self.components],
        }


@dataclass
class Scorecard:
    """The index of one agency, or of all agencies together."""

    key: str
    label: str
    groups: list[GroupScore]

    @property
    def points(self) -> Decimal:
        return sum((g.points for g in self.groups), Decimal(0))

    @property
    def max_points(self) -> Decimal:
        return sum((g.group.weight for g in self.groups), Decimal(0))

    def group(self, key: str) -> GroupScore:
        return next(g for g in self.groups if g.group.key == key)

    def component(self, key: str) -> ComponentScore:
        return next(c for g in self.groups for c in g.components if c.component.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "points": float(self.points),
            "max_points": float(self.max_points),
            "groups": [g.as_dict() for g in self.groups],
        }


@dataclass
class Index766:
    start: dt.date
    end: dt.date
    agencies: list[Scorecard]
    totals: Scorecard

    def agency(self, code: str) -> Scorecard:
        return next(a for a in self.agencies if a.key == code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "agencies": [a.as_dict() for a in self.agencies],
            "totals": self.totals.as_dict(),
        }


def scorecard(key: str, label: str, inputs: Inputs, table: tuple[Group, ...]) -> Scorecard:
    groups = [
        GroupScore(g, [score_component(c, MEASURES[c.measure][1](inputs)) for c in g.components])
        for g in table
    ]
    return Scorecard(key, label, groups)


def _count_procedures_in_force(
    inputs: defaultdict[int, Inputs], end: dt.date, agency_ids: set[int] | None
) -> None:
    """Each agency's procedures received there with a version in force at ``end``, and those
    of them offered online."""
    assignments = ProcedureAssignment.objects.filter(role=AssignmentRole.RECEIVING)
    if agency_ids is not None:
        assignments = assignments.filter(agency_id__in=sorted(agency_ids))
    in_force = (
        ProcedureVersion.objects.filter(
            procedure__in=assignments.values("procedure_id"), effective_from__lte=end
        )
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=end))
        .order_by("procedure_id", "number")
        .values_list("procedure_id", "pk", "online_level")
    )
    # The latest version in force wins.
    level = {procedure_id: (pk, online) for procedure_id, pk, online in in_force}
    versions_with_fees = set(
        Fee.objects.filter(
            case__version_id__in=sorted(pk for pk, _online in level.values()), amount__gt=0
        ).values_list("case__version_id", flat=True)
    )
    for agency_id, procedure_id in assignments.values_list("agency_id", "procedure_id"):
        if procedure_id in level:
            version_id, online = level[procedure_id]
            inputs[agency_id].procedures.add(procedure_id)
            if online in ONLINE_LEVELS:
                inputs[agency_id].online.add(procedure_id)
            if version_id in versions_with_fees:
                inputs[agency_id].with_fees.add(procedure_id)


def _count_procedures_used(
    inputs: defaultdict[int, Inputs], start: dt.date, end: dt.date, agency_ids: set[int] | None
) -> None:
    """Each agency's procedures that received dossiers in [start, end], and those of them
    that received some online."""
    used = DailyRollup.objects.filter(day__gte=start, day__lte=end, received__gt=0)
    if agency_ids is not None:
        used = used.filter(agency_id__in=sorted(agency_ids))
    for agency_id, procedure_id, channel in used.values_list(
        "agency_id", "version__procedure_id", "channel"
    ).distinct():
        inputs[agency_id].with_dossiers.add(procedure_id)
        if channel == Channel.ONLINE:
            inputs[agency_id].with_online_dossiers.add(procedure_id)


def _count_returned(
    inputs: defaultdict[int, Inputs], start: dt.date, end: dt.date, agency_ids: set[int] | None
) -> None:
    """Each agency's results returned in [start, end], and how many of them electronically."""
    counters = ("returned", "returned_electronic")
    for agency_id, r in agency_prefix_sums(
        start, end, counters, counters, agency_ids=agency_ids
    ).items():
        total = r["returned_by"] - r["returned_before"]
        electronic = r["returned_electronic_by"] - r["returned_electronic_before"]
        if total or electronic:
            inputs[agency_id].returned = total
            inputs[agency_id].returned_electronic = electronic


def _count_ratings(
    inputs: defaultdict[int, Inputs], start: dt.date, end: dt.date, agency_ids: set[int] | None
) -> None:
    """Each receiving agency's satisfaction ratings made in [start, end], and how many of them
    were very satisfied or satisfied."""
    for agency_id, (rated, satisfied) in satisfaction_by_agency(start, end, agency_ids).items():
        inputs[agency_id].rated = rated
        inputs[agency_id].satisfied = satisfied


def _count_payments(
    inputs: defaultdict[int, Inputs], start: dt.date, end: dt.date, agency_ids: set[int] | None
) -> None:
    """Each receiving agency's dossiers with a payment recorded in [start, end], those paid
    online, and the procedures paid online."""
    for agency_id, (paid, online, procedures) in paid_by_agency(start, end, agency_ids).items():
        inputs[agency_id].dossiers_paid = paid
        inputs[agency_id].dossiers_paid_online = online
        inputs[agency_id].paid_online = procedures


def service_index(start: dt.date, end: dt.date, agency_ids: set[int] | None = None) -> Index766:
    """The index for [start, end] of each receiving agency in ``agency_ids`` (all when
    ``None``) that has procedures in force or dossiers, and of all of them together."""
    if end < start:
        raise ValueError("the period ends before it starts")
    table = scoring_table(frozenset(MEASURES))
    inputs: defaultdict[int, Inputs] = defaultdict(Inputs)

    agencies = Agency.objects.all()
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=sorted(agency_ids))
    by_code = {code: (pk, name) for pk, code, name in agencies.values_list("pk", "code", "name")}

    report = processing_report(start, end, "agency", agency_ids=agency_ids)
    for row in report.rows:
        if row.key in by_code:
            inputs[by_code[row.key][0]].counts = row.counts

    _count_procedures_in_force(inputs, end, agency_ids)
    _count_procedures_used(inputs, start, end, agency_ids)
    _count_returned(inputs, start, end, agency_ids)
    _count_ratings(inputs, start, end, agency_ids)
    _count_payments(inputs, start, end, agency_ids)
    for agency_id, counts in digitisation_by_agency(start, end, agency_ids).items():
        inputs[agency_id].digitisation = counts

    names = {pk: (code, name) for code, (pk, name) in by_code.items()}
    cards: list[Scorecard] = []
    everything = Inputs()
    for agency_id, agency_inputs in inputs.items():
        if agency_id not in names:
            continue
        code, name = names[agency_id]
        cards.append(scorecard(code, name, agency_inputs, table))
        everything.add(agency_inputs)
    cards.sort(key=lambda c: c.key)
    return Index766(start, end, cards, scorecard("total", _("All agencies"), everything, table))
