"""Migration dossiers 0012: existing rollups move to issue 11's rules (withdrawn apart, no
``overdue_from`` while the clock is stopped) exactly as a rebuild would count them."""

import importlib
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Sum

from motcua.dossiers import services
from motcua.dossiers.rollup import AGENCY_COUNTERS, COUNTERS, rebuild
from motcua.dossiers.rollup_models import AgencyRollup, DailyRollup
from motcua.dossiers.tests.factories import at
from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast

fill = importlib.import_module("motcua.dossiers.migrations.0015_fill_rollup_withdrawn")


def rows() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    daily = DailyRollup.objects.values_list("agency_id", "version_id", "channel", "day", *COUNTERS)
    agency = AgencyRollup.objects.values_list("agency_id", "grain", "start", *AGENCY_COUNTERS)
    return set(daily), set(agency)


def total(column: str) -> int:
    return int(DailyRollup.objects.aggregate(n=Sum(column))["n"] or 0)


def test_the_fill_moves_old_counters_to_the_new_rules(cast: Cast) -> None:
    case = cases(cast)[0]  # 5 working days: received 2 March → due 9 March
    done = receive(cast, case, at("2026-03-02T09:00"))
    sign(cast, done, at("2026-03-05T10:00"))
    for day in ("02", "03"):
        gone = receive(cast, case, at(f"2026-03-{day}T09:00"))
        services.withdraw(gone, actor=cast.alice, reason="Rút", now=at("2026-03-12T09:00"))
    waiting = receive(cast, case, at("2026-03-02T09:00"))
    services.forward(waiting, actor=cast.alice, now=at("2026-03-03T09:00"))
    services.request_payment(waiting, actor=cast.bob, amount=Decimal(1000), reason="Thuế",
                             now=at("2026-03-04T09:00"))  # fmt: skip
    assert rebuild() == 4
    new = rows()
    assert (total("withdrawn"), total("finished_late"), total("overdue_from")) == (2, 0, 3)
    # As the counters stood before 0011/0012: withdrawals graded (late), the paused one due.
    fill.backward(apps, None)
    assert (total("withdrawn"), total("finished_late"), total("overdue_from")) == (0, 2, 4)
    assert rows() != new
    fill.forward(apps, None)
    assert rows() == new
