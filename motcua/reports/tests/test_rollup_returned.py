"""The ``returned`` and ``returned_electronic`` rollup counters: kept by the same deltas as the
others, on the local day the result was returned, and rebuilt alike."""

import datetime as dt

from motcua.dossiers import services
from motcua.dossiers.rollup import Fact, fact_of, rebuild
from motcua.dossiers.rollup_models import DailyRollup
from motcua.dossiers.tests.factories import at
from motcua.reports.tests.factories import cases, receive, sign
from motcua.testing import Cast


def returned_by_day() -> dict[dt.date, tuple[int, int]]:
    return {
        day: (returned, electronic)
        for day, returned, electronic in DailyRollup.objects.filter(returned__gt=0).values_list(
            "day", "returned", "returned_electronic"
        )
    }


def test_a_result_returned_electronically_counts_on_its_local_day(cast: Cast) -> None:
    case = cases(cast)[0]
    online = receive(cast, case, at("2026-03-02T09:00"))
    desk = receive(cast, case, at("2026-03-02T10:00"))
    for d in (online, desk):
        sign(cast, d, at("2026-03-04T10:00"))
    assert returned_by_day() == {}  # processed (9), not yet returned
    # 23:30 on 5 March in Vietnam is still 5 March, though 16:30 UTC.
    services.return_result(
        online,
        actor=cast.alice,
        method="electronic",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-05T23:30"),
    )
    services.return_result(
        desk,
        actor=cast.alice,
        method="in_person",
        unpaid_reason="Miễn lệ phí",
        now=at("2026-03-06T08:00"),
    )
    assert returned_by_day() == {dt.date(2026, 3, 5): (1, 1), dt.date(2026, 3, 6): (1, 0)}

    counters = set(DailyRollup.objects.values_list("day", "returned", "returned_electronic"))
    rebuild()
    assert set(DailyRollup.objects.values_list("day", "returned", "returned_electronic")) == (
        counters
    )


def test_only_status_10_counts_as_returned() -> None:
    """A return date on a dossier in another status (a legacy row) is not a returned result."""
    when = dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC)

    def fact(status: str) -> Fact | None:
        return fact_of(agency_id=1, version_id=1, channel="online", status=status,
                       received_at=when, due_at=None, finished_at=when, returned_at=when,
                       return_method="electronic")  # fmt: skip

    processed, returned = fact("9"), fact("10")
    assert processed is not None and processed.returned is None
    assert returned is not None
    assert (returned.returned, returned.returned_electronic) == (dt.date(2026, 3, 5), True)
