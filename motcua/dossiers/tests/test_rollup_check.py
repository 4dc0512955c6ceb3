"""The rollup check (the nightly job's): the rollups kept by the services equal a recount from
the dossiers; a row changed, added or removed behind the services' back shows as a difference
in its table, with the stored and the expected counters; a rebuild repairs it."""

import pytest
from django.db.models import F

from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rollup import COUNTERS, rebuild
from motcua.dossiers.rollup_check import compare_rollups
from motcua.dossiers.rollup_models import AgencyRollup, DailyRollup, GroupRollup
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.testing import Cast


def histories(cast: Cast) -> None:
    """Three dossiers: one open, one forwarded, one withdrawn, on two days."""
    case = household_business_case(cast.agency)
    for day in ("2026-03-02T09:00", "2026-03-02T10:00", "2026-03-03T09:00"):
        intake.receive_new_dossier(
            complete_intake(case), agency=cast.agency, actor=cast.alice, now=at(day)
        )
    first, second, _third = Dossier.objects.order_by("pk")
    services.forward(first, actor=cast.alice, now=at("2026-03-02T11:00"))
    services.withdraw(second, actor=cast.alice, reason="Người nộp rút", now=at("2026-03-04T09:00"))


def test_the_rollups_kept_by_the_services_equal_the_recount(cast: Cast) -> None:
    histories(cast)
    result = compare_rollups()
    assert result.ok and result.mismatched == 0 and result.sample == []
    assert result.dossiers == 3
    assert result.rows == (
        DailyRollup.objects.count() + AgencyRollup.objects.count() + GroupRollup.objects.count()
    )


def test_a_counter_changed_by_hand_is_a_difference_in_its_table(cast: Cast) -> None:
    histories(cast)
    row = DailyRollup.objects.get(day="2026-03-03")
    DailyRollup.objects.filter(pk=row.pk).update(received=F("received") + 1)
    result = compare_rollups()
    assert not result.ok and result.mismatched == 1
    [difference] = result.sample
    assert difference.table == "reports_dailyrollup"
    assert difference.key == (str(cast.agency.pk), str(row.version_id), row.channel, "2026-03-03")
    received = COUNTERS.index("received")
    assert difference.stored[received] == difference.expected[received] + 1 == 2
    assert difference.as_json()["table"] == "reports_dailyrollup"


def test_a_lost_row_and_an_extra_row_are_differences_and_a_rebuild_repairs_them(
    cast: Cast,
) -> None:
    histories(cast)
    AgencyRollup.objects.filter(grain="month").delete()
    extra = GroupRollup.objects.filter(grain="year").first()
    assert extra is not None
    GroupRollup.objects.create(
        dimension=extra.dimension, key="999", grain="year", start=extra.start, received=5
    )
    result = compare_rollups()
    tables = sorted(d.table for d in result.sample)
    assert tables == ["dossiers_grouprollup", "reports_agencyrollup"]
    lost = next(d for d in result.sample if d.table == "reports_agencyrollup")
    assert set(lost.stored) == {0} and lost.expected[0] == 3
    added = next(d for d in result.sample if d.table == "dossiers_grouprollup")
    assert added.stored[0] == 5 and set(added.expected) == {0}
    rebuild()
    assert compare_rollups().ok


@pytest.mark.django_db(transaction=True)
def test_the_check_reads_one_snapshot_outside_a_transaction_on_either_database() -> None:
    """Run as the nightly job runs it, not inside a test's transaction: REPEATABLE READ on
    PostgreSQL, a deferred read transaction on SQLite."""
    cast = Cast()
    histories(cast)
    result = compare_rollups()
    assert result.ok and result.dossiers == 3
    DailyRollup.objects.filter(day="2026-03-02").update(paused=7)
    assert compare_rollups().mismatched >= 1
