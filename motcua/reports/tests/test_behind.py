"""``behind.dossiers_behind``: for every metric, exactly the dossiers the processing report (read
from the rollups) counts, after random histories through the real services; the step and
apology metrics against a direct count; scopes, local-day boundaries and unknown metrics."""

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import Agency
from motcua.catalogue.models import Case
from motcua.dossiers import services
from motcua.dossiers.deadlines import local_date
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.legacy import DossierImport
from motcua.dossiers.models import DossierEvent, DossierStep
from motcua.dossiers.tests.factories import at
from motcua.reports.behind import Key, Period, UnknownMetric, dossiers_behind, parse_key
from motcua.reports.processing import Counts, processing_report
from motcua.reports.tests.factories import cases, receive
from motcua.testing import Cast, make_agency

BASE = dt.datetime(2026, 2, 20, 8, 0, tzinfo=dt.UTC)


def life(cast: Cast, case: Case, rng: random.Random, start: dt.datetime) -> None:
    """A dossier received at ``start``, then up to nine random actions hours apart (apologies
    included); an action the workflow refuses at that point is not taken."""
    dossier = receive(cast, case, start, rng.choice(["in_person", "online", "post"]))
    now = start + dt.timedelta(hours=1)
    actions: list[Callable[[dt.datetime], object]] = [
        lambda t: services.forward(dossier, actor=cast.alice, now=t),
        lambda t: services.forward(dossier, actor=cast.bob, now=t),
        lambda t: services.forward(dossier, actor=cast.carol, now=t),
        lambda t: services.approve(dossier, actor=cast.dave, result="Kết quả", now=t),
        lambda t: services.return_result(
            dossier, actor=cast.alice, method="post", unpaid_reason="Miễn lệ phí", now=t
        ),
        lambda t: services.extend(
            dossier, actor=cast.dave, reason="Chậm", now=t, new_return_at=t + dt.timedelta(days=12)
        ),
        lambda t: services.request_supplement(dossier, actor=cast.bob, items=["x"], now=t),
        lambda t: services.resubmit(dossier, actor=cast.alice, now=t),
        lambda t: services.withdraw(dossier, actor=cast.alice, reason="Rút", now=t),
        lambda t: services.stop(dossier, actor=cast.dave, reason="Dừng", now=t),
        lambda t: services.request_payment(
            dossier, actor=cast.bob, amount=Decimal(1000), reason="Nghĩa vụ tài chính", now=t
        ),
    ]
    weights = [6, 6, 6, 5, 3, 2, 1, 2, 0.8, 0.3, 0.7]
    if rng.random() < 0.4:  # a smooth path first: desk, specialist, head, signature
        for action in actions[:4]:
            now += dt.timedelta(hours=rng.randint(1, 30))
            action(now)
    for _ in range(rng.randint(0, 9)):
        now += dt.timedelta(hours=rng.randint(1, 70))
        try:
            rng.choices(actions, weights)[0](now)
        except (ActionRefused, ValidationError):
            continue


def history(cast: Cast, seed: int, count: int = 26) -> random.Random:
    """``count`` dossiers at H56.22 over about ten weeks from 20 February 2026."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    catalogue = cases(cast)
    for start in sorted(BASE + dt.timedelta(hours=rng.randint(0, 24 * 70)) for _ in range(count)):
        life(cast, rng.choice(catalogue), rng, start)
    return rng


def import_other_agency(tmp_path: Path) -> None:
    """Three dossiers received by H56.23 (historic import): one overdue, one late, one online."""
    make_agency("H56.23")
    path = tmp_path / "h5623.csv"
    path.write_text(
        "code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status\n"
        "IMP-1,2.000720,H56.23,bcci,2026-03-04T09:00:00+07:00,2026-03-11T09:00:00+07:00,,4\n"
        "IMP-2,2.000720,H56.23,truc_tiep,2026-03-05T09:00:00+07:00,2026-03-09T09:00:00+07:00,"
        "2026-03-12T09:00:00+07:00,10\n"
        "IMP-3,1.001193,H56.23,truc_tuyen,2026-03-06T09:00:00+07:00,2026-03-20T09:00:00+07:00,,2\n",
        encoding="utf-8",
    )
    assert DossierImport(path).run().imported == 3


def expected(counts: Counts) -> dict[str, int]:
    return {
        "received": counts.received_online + counts.received_direct_or_postal,
        "resolved": counts.resolved_total,
        "resolved_in_time": counts.resolved_early + counts.resolved_on_time,
        "resolved_late": counts.resolved_late,
        "withdrawn": counts.withdrawn,
        "pending_overdue": counts.pending_overdue,
    }


def behind_counts(scope: set[int] | None, period: Period, key: Key) -> dict[str, int]:
    return {
        metric: dossiers_behind(metric, scope, period, key).count()
        for metric in ("received", "resolved", "resolved_in_time", "resolved_late",
                       "withdrawn", "pending_overdue")
    }  # fmt: skip


def random_periods(rng: random.Random, count: int) -> list[Period]:
    first = dt.date(2026, 2, 18)
    periods = []
    for _ in range(count):
        start = first + dt.timedelta(days=rng.randint(0, 75))
        periods.append(Period(start, start + dt.timedelta(days=rng.randint(0, 45))))
    return periods


@pytest.mark.parametrize("seed", [3, 2026])
def test_each_metric_lists_as_many_dossiers_as_the_processing_report_counts(
    cast: Cast, seed: int, tmp_path: Path
) -> None:
    """For random periods, every row of the report grouped by agency, procedure and channel
    (and its total) equals the count of the dossiers behind it, metric by metric."""
    rng = history(cast, seed)
    import_other_agency(tmp_path)
    checked = dict.fromkeys(
        ("received", "resolved_in_time", "resolved_late", "withdrawn", "pending_overdue"), 0
    )
    for period in random_periods(rng, 6):
        for group_by in ("agency", "procedure", "channel"):
            report = processing_report(period.start, period.end, group_by)
            for row in report.rows:
                key = Key(group_by, row.key)
                assert behind_counts(None, period, key) == expected(row.counts), (period, key)
            assert behind_counts(None, period, Key()) == expected(report.totals), period
            for metric in checked:
                checked[metric] += expected(report.totals)[metric]
    assert all(checked.values()), checked  # the data exercised every metric


def test_a_scope_keeps_only_the_dossiers_received_by_its_agencies(
    cast: Cast, tmp_path: Path
) -> None:
    history(cast, 7, count=8)
    import_other_agency(tmp_path)
    period = Period(dt.date(2026, 2, 15), dt.date(2026, 5, 14))
    other = Agency.objects.get(code="H56.23").pk
    for scope in ({cast.agency.pk}, {other}):
        report = processing_report(period.start, period.end, "agency", agency_ids=scope)
        assert behind_counts(scope, period, Key()) == expected(report.totals)
        codes = set(
            dossiers_behind("received", scope, period).values_list(
                "receiving_agency__code", flat=True
            )
        )
        assert codes == set(Agency.objects.filter(pk__in=scope).values_list("code", flat=True))
    assert dossiers_behind("received", {other}, period, "agency:H56.22").count() == 0


def test_late_steps_are_the_dossiers_with_a_late_hand_over_at_that_step_and_agency(
    cast: Cast,
) -> None:
    history(cast, 11)
    steps = list(DossierStep.objects.exclude(timeliness="").select_related("agency"))
    assert any(s.timeliness == "late" for s in steps)
    for period in random_periods(random.Random(1), 5):  # noqa: S311
        judged = [s for s in steps if period.start <= local_date(s.finished_at) <= period.end]  # type: ignore[arg-type]
        for name in {s.name for s in steps}:
            key = Key("step", cast.agency.code, name)
            late = {s.dossier_id for s in judged if s.name == name and s.timeliness == "late"}
            handed = {s.dossier_id for s in judged if s.name == name}
            assert set(dossiers_behind("steps_late", None, period, key).values_list(
                "pk", flat=True)) == late  # fmt: skip
            assert dossiers_behind("steps_handed_over", None, period, key).count() == len(handed)
        assert dossiers_behind("steps_late", {cast.other_agency.pk}, period).count() == 0


def test_apologies_are_the_dossiers_given_a_letter_in_the_period(cast: Cast) -> None:
    history(cast, 5)
    events = list(DossierEvent.objects.filter(action="extend"))
    assert events
    for period in random_periods(random.Random(2), 5):  # noqa: S311
        inside = {e.dossier_id for e in events if period.start <= local_date(e.at) <= period.end}
        found = dossiers_behind("apologies", None, period, f"agency:{cast.agency.code}")
        assert set(found.values_list("pk", flat=True)) == inside


def test_days_are_local_days(cast: Cast) -> None:
    """A dossier received at 23:30 on the 31st (Vietnam time) belongs to the 31st."""
    case = cases(cast)[0]
    receive(cast, case, at("2026-03-31T23:30"))
    receive(cast, case, at("2026-04-01T00:10"))
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert dossiers_behind("received", None, march).count() == 1
    april = Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert dossiers_behind("received", None, april).count() == 1


def test_unknown_metrics_and_keys_are_refused() -> None:
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    for metric, key in [
        ("everything", ""),
        ("received", "planet:earth"),
        ("received", "step:H56.22|Ký duyệt"),
        ("apologies", "procedure:1.001193"),
        ("received", "channel:pigeon"),
        ("steps_late", "step:H56.22"),
    ]:
        with pytest.raises(UnknownMetric):
            dossiers_behind(metric, None, period, key)
    assert parse_key("step:H56.22|Ký duyệt | lần 2") == Key("step", "H56.22", "Ký duyệt | lần 2")
    assert str(parse_key("agency:H56.22")) == "agency:H56.22"
    with pytest.raises(ValueError, match="ends before"):
        Period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))
