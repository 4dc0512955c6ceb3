"""THE exactness test: the report read from the rollups equals a direct count over the dossiers,
written here straight from the definitions, for random periods and every grouping, after random
event sequences through the real services, a late historic import and a calendar change that
moves due dates; so do the results returned (electronically) that the Decision 766 index reads
from the rollups. The groupings by agency and level read the agency rollups (year, month and day
rows), those by field, procedure and channel the group rollups (the same grains), so periods
that cross year and month boundaries are checked too. And rebuilding the rollups from the
dossiers gives the same rows as the incremental maintenance."""

import datetime as dt
import itertools
import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import Agency
from motcua.catalogue.models import Case, ProcedureVersion
from motcua.dossiers import services
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.legacy import DossierImport
from motcua.dossiers.models import Dossier
from motcua.dossiers.rollup import AGENCY_COUNTERS, COUNTERS, rebuild
from motcua.dossiers.rollup_models import (
    AgencyGroupRollup,
    AgencyRollup,
    DailyRollup,
    GroupRollup,
)
from motcua.reports.index766 import service_index
from motcua.reports.processing import GROUPINGS, processing_report
from motcua.reports.tests.factories import cases, receive
from motcua.testing import Cast, make_agency
from motcua.workdays.services import add_override

BASE = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
FIELDS = (
    "carried_over",
    "received_online",
    "received_direct_or_postal",
    "received_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_total",
    "withdrawn",
    "pending_in_time",
    "pending_overdue",
    "pending_paused",
    "pending_total",
)


# The reference's own rules, written from the definitions (domain §4, issue 11 item 4) and not
# imported from the code under test: a mistake there (``<`` for ``<=``, UTC dates) shows here.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def local_date(instant: dt.datetime) -> dt.date:
    """The calendar day in Vietnam (UTC+7, no daylight saving)."""
    return (instant.astimezone(dt.UTC) + dt.timedelta(hours=7)).date()


def classify_finished(finished: dt.datetime, due: dt.datetime | None) -> str:
    """Early before the due day, on time on it, late after it; no due date is on time."""
    if due is None:
        return "on_time"
    done, by = local_date(finished), local_date(due)
    if by > done:
        return "early"
    return "on_time" if by == done else "late"


def today() -> dt.date:
    return dt.datetime.now(VIETNAM).date()


def group_key(d: Dossier, group_by: str) -> str:
    agency = d.receiving_agency
    return {
        "agency": agency.code,
        "field": d.version.field.code,
        "procedure": d.version.procedure.code,
        "level": agency.unit.level if agency.unit is not None else "other",
        "channel": d.channel,
    }[group_by]


# The report's scopes: every dossier, those of some agencies (by code), those of inter-agency
# procedure versions or of the others, and both restrictions at once.
Scope = tuple[frozenset[str] | None, bool | None]
SCOPES: list[Scope] = [
    (None, None),
    (frozenset({"H56.23"}), None),
    (None, True),
    (None, False),
    (frozenset({"H56.22"}), True),
]


def direct_count(
    start: dt.date, end: dt.date, group_by: str, scope: Scope = (None, None)
) -> dict[str, dict[str, Any]]:
    """The report counted dossier by dossier from issue 5's definitions, over the dossiers of
    ``scope`` (agency codes, inter-agency or not)."""
    rows: dict[str, dict[str, Any]] = {}
    dossiers = Dossier.objects.select_related(
        "receiving_agency__unit", "version__field", "version__procedure"
    )
    codes, interagency = scope
    for d in dossiers:
        if d.status in ("1", "3") or d.received_at is None:
            continue
        if codes is not None and d.receiving_agency.code not in codes:
            continue
        if interagency is not None and d.version.inter_agency != interagency:
            continue
        r = local_date(d.received_at)
        done = d.status in ("7", "9", "10")
        f = local_date(d.finished_at) if done and d.finished_at else None
        carried = r < start and not (f is not None and f < start)
        within = start <= r <= end
        if not (carried or within):
            continue
        c = rows.setdefault(group_key(d, group_by), dict.fromkeys(FIELDS, 0))
        c["received_total"] += 1
        if carried:
            c["carried_over"] += 1
        elif d.channel == "online":
            c["received_online"] += 1
        else:
            c["received_direct_or_postal"] += 1
        if f is not None and start <= f <= end:
            assert d.finished_at is not None
            if d.status == "7":  # withdrawn: its own column, not graded
                c["withdrawn"] += 1
                continue
            outcome = classify_finished(d.finished_at, d.due_at)
            c[f"resolved_{outcome}"] += 1
            c["resolved_total"] += 1
        elif f is None or f > end:
            c["pending_total"] += 1
            judged = min(end, today())  # a period ending after today is judged today
            stopped = d.status in ("5", "6")  # the clock stops for a supplement or a payment
            if d.due_at is not None and local_date(d.due_at) < judged and not stopped:
                c["pending_overdue"] += 1
            else:
                c["pending_in_time"] += 1
            if d.status in ("5", "6", "8"):
                c["pending_paused"] += 1
    for c in rows.values():
        c["on_time_rate"] = None
        if c["resolved_total"]:
            rate = Decimal(100 * (c["resolved_early"] + c["resolved_on_time"]))
            rate /= c["resolved_total"]
            c["on_time_rate"] = float(rate.quantize(Decimal("0.01"), ROUND_HALF_UP))
    return rows


def direct_returned(start: dt.date, end: dt.date) -> dict[str, tuple[int, int]]:
    """Per receiving agency: results returned (status 10) in [start, end] by the local day of
    ``returned_at``, and those returned electronically; counted dossier by dossier."""
    found: dict[str, tuple[int, int]] = {}
    for d in Dossier.objects.select_related("receiving_agency").filter(status="10"):
        if d.returned_at is None or not start <= local_date(d.returned_at) <= end:
            continue
        total, electronic = found.get(d.receiving_agency.code, (0, 0))
        found[d.receiving_agency.code] = (total + 1, electronic + (d.return_method == "electronic"))
    return found


def returned_from_rollups(start: dt.date, end: dt.date) -> dict[str, tuple[int, int]]:
    """The same, as the 766 index reads it (its electronic results measure)."""
    found = {}
    for card in service_index(start, end).agencies:
        measure = card.component("electronic_results").measure
        assert measure.numerator is not None and measure.denominator is not None
        if measure.denominator:
            found[card.key] = (measure.denominator, measure.numerator)
    return found


def from_rollups(
    start: dt.date, end: dt.date, group_by: str, scope: Scope = (None, None)
) -> dict[str, dict[str, Any]]:
    codes, interagency = scope
    agency_ids = None
    if codes is not None:
        agency_ids = set(Agency.objects.filter(code__in=codes).values_list("pk", flat=True))
    report = processing_report(start, end, group_by, agency_ids=agency_ids, interagency=interagency)
    found = {}
    for row in report.rows:
        data = row.as_dict()
        del data["key"], data["label"]
        found[row.key] = data
    return found


def random_life(cast: Cast, case: Case, rng: random.Random, start: dt.datetime) -> None:
    """A dossier received at ``start``, then up to eight random actions hours apart; an action
    the workflow refuses at that point is simply not taken."""
    channel = rng.choice(["in_person", "online", "post"])
    dossier = receive(cast, case, start, channel)
    now = start + dt.timedelta(hours=1)
    actions: list[Callable[[dt.datetime], object]] = [
        lambda t: services.forward(dossier, actor=cast.alice, now=t),
        lambda t: services.forward(dossier, actor=cast.bob, now=t),
        lambda t: services.forward(dossier, actor=cast.carol, now=t),
        lambda t: services.approve(dossier, actor=cast.dave, result="Kết quả", now=t),
        lambda t: services.return_result(
            dossier, actor=cast.alice, method="post", unpaid_reason="Miễn lệ phí", now=t
        ),
        lambda t: services.return_result(
            dossier, actor=cast.alice, method="electronic", unpaid_reason="Miễn lệ phí", now=t
        ),
        lambda t: services.request_supplement(dossier, actor=cast.bob, items=["x"], now=t),
        lambda t: services.resubmit(dossier, actor=cast.alice, now=t),
        lambda t: services.withdraw(dossier, actor=cast.alice, reason="Rút", now=t),
        lambda t: services.stop(dossier, actor=cast.dave, reason="Dừng", now=t),
        lambda t: services.request_payment(
            dossier, actor=cast.bob, amount=Decimal(1000), reason="Nghĩa vụ tài chính", now=t
        ),
    ]
    weights = [6, 6, 6, 5, 2, 2, 1, 2, 0.5, 0.3, 0.7]
    for _ in range(rng.randint(0, 8)):
        now += dt.timedelta(hours=rng.randint(1, 60))
        action = rng.choices(actions, weights)[0]
        try:
            action(now)
        except (ActionRefused, ValidationError):
            continue


def legacy_csv(path: Path, rng: random.Random, rows: int, base: dt.datetime = BASE) -> Path:
    lines = [
        "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status,returned_at"
    ]
    for i in range(rows):
        status = rng.choice(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "10"])
        received = base + dt.timedelta(hours=rng.randint(0, 24 * 45))
        due = received + dt.timedelta(hours=rng.randint(-30, 24 * 9))  # a few due before receipt
        finished = received + dt.timedelta(hours=rng.randint(0, 24 * 14))
        # Status 10 without returned_at is returned when finished; some were returned later.
        returned = finished + dt.timedelta(hours=rng.randint(1, 24 * 5))
        given = status == "10" and rng.random() < 0.5
        lines.append(
            ",".join(
                [
                    f"IMP-{i:04d}",
                    rng.choice(["2.000720", "1.001193"]),
                    rng.choice(["H56.22", "H56.23"]),
                    rng.choice(["truc_tiep", "truc_tuyen", "bcci"]),
                    received.isoformat(),
                    "" if status in ("1", "3") else due.isoformat(),
                    finished.isoformat() if status in ("3", "7", "8", "9", "10") else "",
                    status,
                    returned.isoformat() if given else "",
                ]
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rollup_rows() -> set[tuple[Any, ...]]:
    """The non-zero counters, as comparable tuples."""
    return {
        row
        for row in DailyRollup.objects.values_list(
            "agency_id", "version_id", "channel", "day", *COUNTERS
        )
        if any(row[4:])
    }


def agency_rollup_rows() -> set[tuple[Any, ...]]:
    return {
        row
        for row in AgencyRollup.objects.values_list("agency_id", "grain", "start", *AGENCY_COUNTERS)
        if any(row[3:])
    }


def agency_group_rollup_rows() -> set[tuple[Any, ...]]:
    return {
        row
        for row in AgencyGroupRollup.objects.values_list(
            "agency_id", "inter_agency", "dimension", "key", "grain", "start", *AGENCY_COUNTERS
        )
        if any(row[6:])
    }


def group_rollup_rows() -> set[tuple[Any, ...]]:
    return {
        row
        for row in GroupRollup.objects.values_list(
            "dimension", "key", "grain", "start", *AGENCY_COUNTERS
        )
        if any(row[4:])
    }


def inter_agency_cases(cast: Cast) -> list[Case]:
    """The two report cases, the second one's version inter-agency (before any dossier)."""
    catalogue = cases(cast)
    ProcedureVersion.objects.filter(pk=catalogue[1].version_id).update(inter_agency=True)
    return catalogue


def assert_period(start: dt.date, end: dt.date) -> None:
    for group_by, scope in itertools.product(GROUPINGS, SCOPES):
        assert from_rollups(start, end, group_by, scope) == direct_count(
            start, end, group_by, scope
        ), (start, end, group_by, scope)
    assert returned_from_rollups(start, end) == direct_returned(start, end), (start, end)


def assert_exact(
    rng: random.Random,
    periods: int,
    first: dt.date = dt.date(2026, 2, 25),
    last: dt.date = dt.date(2026, 5, 10),
) -> None:
    span = (last - first).days
    for _ in range(periods):
        start = first + dt.timedelta(days=rng.randint(0, span))
        assert_period(start, start + dt.timedelta(days=rng.randint(0, 40)))


# Periods whose prefix sums take every path through the year, month and day rows.
BOUNDARIES = [
    (dt.date(2025, 12, 28), dt.date(2026, 1, 3)),  # across the year
    (dt.date(2026, 1, 31), dt.date(2026, 3, 1)),  # across two months
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),  # a whole year
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),  # the year before, partly empty
    (dt.date(2025, 12, 31), dt.date(2025, 12, 31)),  # single days
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
    (dt.date(2026, 2, 14), dt.date(2026, 2, 14)),
    (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),  # from the 1st to the last day of a month
    (dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
    (dt.date(2025, 12, 1), dt.date(2026, 2, 28)),
    (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    (dt.date(2025, 12, 15), dt.date(2026, 2, 1)),
    (dt.date(2026, 1, 2), dt.date(2026, 1, 31)),
    (dt.date(2024, 6, 1), dt.date(2027, 1, 31)),  # years on both sides
]


@pytest.mark.parametrize("seed", [7, 1231])
def test_the_agency_rollups_are_exact_across_year_and_month_boundaries(
    cast: Cast, seed: int, tmp_path: Path
) -> None:
    """Histories from mid-December to February, a late import over the new year and a calendar
    change: the reports by agency and level (and every other grouping) equal the direct count
    for periods that start and end on year and month boundaries, and at random."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    make_agency("H56.23")
    catalogue = inter_agency_cases(cast)
    base = dt.datetime(2025, 12, 20, 8, 0, tzinfo=dt.UTC)
    for start in sorted(base + dt.timedelta(hours=rng.randint(0, 24 * 30)) for _ in range(16)):
        random_life(cast, rng.choice(catalogue), rng, start)
    for first, last in BOUNDARIES:
        assert_period(first, last)

    path = legacy_csv(tmp_path / "legacy.csv", rng, 30, base=base - dt.timedelta(days=10))
    assert DossierImport(path, batch_size=7).run().imported == 30
    add_override(cast.agency.calendar, actor=cast.grace, now=base + dt.timedelta(days=40),
                 date=dt.date(2026, 1, 5), kind="day_off", reason="Nghỉ bù")  # fmt: skip
    for start in sorted(base + dt.timedelta(hours=rng.randint(24 * 35, 24 * 45)) for _ in range(5)):
        random_life(cast, rng.choice(catalogue), rng, start)
    for first, last in BOUNDARIES:
        assert_period(first, last)
    assert_exact(rng, 4, dt.date(2025, 12, 1), dt.date(2026, 2, 28))

    incremental, groups = agency_rollup_rows(), group_rollup_rows()
    scoped = agency_group_rollup_rows()
    rebuild()
    assert agency_rollup_rows() == incremental
    assert group_rollup_rows() == groups
    assert agency_group_rollup_rows() == scoped


@pytest.mark.parametrize("seed", [5, 2026])
def test_the_rollup_report_equals_a_direct_count_after_random_histories(
    cast: Cast, seed: int, tmp_path: Path
) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    make_agency("H56.23")
    catalogue = inter_agency_cases(cast)
    starts = sorted(BASE + dt.timedelta(hours=rng.randint(0, 24 * 40)) for _ in range(22))
    for start in starts:
        random_life(cast, rng.choice(catalogue), rng, start)
    assert_exact(rng, 4)

    # A late historic import into both agencies, every status, some due before receipt.
    report = DossierImport(legacy_csv(tmp_path / "legacy.csv", rng, 40), batch_size=15).run()
    assert report.imported == 40
    assert_exact(rng, 4)

    # A day off announced inside open dossiers' time moves their due dates by a day.
    moved = Dossier.objects.filter(status__in=["2", "4"], imported=False).count()
    add_override(cast.agency.calendar, actor=cast.grace, now=BASE + dt.timedelta(days=50),
                 date=dt.date(2026, 3, 20), kind="day_off", reason="Nghỉ bù")  # fmt: skip
    assert moved == 0 or Dossier.objects.filter(events__action="deadline_moved").exists()
    for start in sorted(BASE + dt.timedelta(hours=rng.randint(24 * 40, 24 * 50)) for _ in range(6)):
        random_life(cast, rng.choice(catalogue), rng, start)
    assert_exact(rng, 6)

    incremental, agencies, groups = rollup_rows(), agency_rollup_rows(), group_rollup_rows()
    scoped = agency_group_rollup_rows()
    assert rebuild() == Dossier.objects.exclude(status__in=["1", "3"]).count()
    assert rollup_rows() == incremental
    assert agency_rollup_rows() == agencies
    assert group_rollup_rows() == groups
    assert agency_group_rollup_rows() == scoped


def test_an_imported_dossier_due_before_its_receipt_is_not_pending_before_it_came(
    cast: Cast, tmp_path: Path
) -> None:
    """Legacy data may give a due date before receipt: the dossier counts as overdue only from
    the day it was received."""
    cases(cast)
    path = tmp_path / "odd.csv"
    path.write_text(
        "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status\n"
        "IMP-1,2.000720,H56.22,truc_tiep,2026-03-10T09:00:00+07:00,2026-03-06T09:00:00+07:00,,4\n",
        encoding="utf-8",
    )
    assert DossierImport(path).run().imported == 1
    for day in range(6, 13):
        start = end = dt.date(2026, 3, day)
        assert from_rollups(start, end, "agency") == direct_count(start, end, "agency"), day
    assert from_rollups(dt.date(2026, 3, 9), dt.date(2026, 3, 9), "agency") == {}
