"""The periodic schedule of ``motcua worker``: a due task is enqueued once, however many
workers look at the schedule at the same moment, and not again before its next turn; a daily
task fires at its hour in Vietnam's time."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.jobs import schedule
from motcua.jobs.models import ScheduledTask
from motcua.jobs.schedule import SCHEDULE, DailyAt, Every, claim_and_enqueue, due, enqueue_due
from motcua.jobs.worker import Loop

# Thursday 3 December 2026, 10:00 in Vietnam.
T0 = dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def queued(path: str) -> int:
    return DBTaskResult.objects.filter(task_path=f"motcua.jobs.tasks.{path}").count()


def run_queue() -> None:
    """Run every ready task, as the worker does between looks at the schedule."""
    loop = Loop()
    while loop.run_one():
        pass


def test_the_schedule_holds_the_scan_the_delivery_and_the_nightly_jobs() -> None:
    assert {entry.name: entry.when for entry in SCHEDULE} == {
        "deliver-notifications": Every(dt.timedelta(minutes=1)),
        "deliver-national": Every(dt.timedelta(minutes=1)),
        "scan-deadlines": Every(dt.timedelta(minutes=5)),
        "reconcile-payments": Every(dt.timedelta(minutes=5)),
        "scan-reform": DailyAt(dt.time(0, 15)),
        "check-rollups": DailyAt(dt.time(2, 0)),
        "prune-task-results": DailyAt(dt.time(3, 0)),
        "purge-access-log": DailyAt(dt.time(3, 30)),
        "pull-national-catalogue": DailyAt(dt.time(4, 0)),
        "compare-settlement": DailyAt(dt.time(4, 0)),
    }


@pytest.mark.django_db
def test_interval_tasks_fire_at_once_then_each_period_and_once_per_turn() -> None:
    assert enqueue_due(T0) == [
        "deliver-notifications",
        "deliver-national",
        "scan-deadlines",
        "reconcile-payments",
    ]
    run_queue()
    assert enqueue_due(T0) == []
    assert enqueue_due(T0 + 30 * dt.timedelta(seconds=1)) == []
    assert enqueue_due(T0 + MINUTE) == ["deliver-notifications", "deliver-national"]
    run_queue()
    assert enqueue_due(T0 + 5 * MINUTE) == [
        "deliver-notifications",
        "deliver-national",
        "scan-deadlines",
        "reconcile-payments",
    ]
    assert (queued("deliver_notifications"), queued("scan_deadlines")) == (3, 2)
    row = ScheduledTask.objects.get(name="scan-deadlines")
    assert row.next_run_at == T0 + 10 * MINUTE and row.last_enqueued_at == T0 + 5 * MINUTE
    assert DBTaskResult.objects.filter(id=row.last_task_id).exists()


@pytest.mark.django_db
def test_a_worker_back_after_an_hour_fires_once_not_once_per_missed_turn() -> None:
    enqueue_due(T0)
    run_queue()
    assert enqueue_due(T0 + 60 * MINUTE) == [
        "deliver-notifications",
        "deliver-national",
        "scan-deadlines",
        "reconcile-payments",
    ]
    assert queued("deliver_notifications") == 2
    assert ScheduledTask.objects.get(name="deliver-notifications").next_run_at == T0 + 61 * MINUTE


@pytest.mark.django_db
def test_the_rollup_check_fires_at_two_in_the_night_in_vietnam() -> None:
    enqueue_due(T0)
    assert queued("check_rollups") == 0
    two_am = dt.datetime(2026, 12, 3, 19, 0, tzinfo=dt.UTC)  # 4 December 02:00 in Vietnam
    assert ScheduledTask.objects.get(name="check-rollups").next_run_at == two_am
    assert "check-rollups" not in enqueue_due(two_am - MINUTE)
    assert "check-rollups" in enqueue_due(two_am + MINUTE)
    assert "check-rollups" not in enqueue_due(two_am + 60 * MINUTE)
    assert ScheduledTask.objects.get(name="check-rollups").next_run_at == two_am + dt.timedelta(
        days=1
    )
    assert queued("check_rollups") == 1


@pytest.mark.django_db
def test_of_two_workers_that_both_saw_a_task_due_only_one_enqueues_it() -> None:
    """Both read the schedule before either moved it on: the second's compare-and-set finds
    the instant changed and enqueues nothing."""
    first, second = due(T0), due(T0)
    assert [e.name for e, _ in first] == [e.name for e, _ in second]
    assert [claim_and_enqueue(entry, seen, T0) for entry, seen in first] == [True] * 4
    assert [claim_and_enqueue(entry, seen, T0) for entry, seen in second] == [False] * 4
    assert (queued("deliver_notifications"), queued("scan_deadlines")) == (1, 1)


@pytest.mark.django_db
def test_a_run_still_waiting_in_a_busy_queue_holds_back_the_next_but_a_started_one_does_not() -> (
    None
):
    enqueue_due(T0)
    assert enqueue_due(T0 + MINUTE) == []  # the first delivery has not run yet
    assert queued("deliver_notifications") == 1
    row = ScheduledTask.objects.get(name="deliver-notifications")
    assert row.next_run_at == T0 + 2 * MINUTE  # the turn was used up all the same
    DBTaskResult.objects.filter(id=row.last_task_id).update(status=TaskResultStatus.RUNNING)
    assert enqueue_due(T0 + 2 * MINUTE) == ["deliver-notifications"]
    assert queued("deliver_notifications") == 2


@pytest.mark.django_db(transaction=True)
def test_workers_running_the_schedule_at_the_same_moment_enqueue_each_run_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Four threads, each with its own database connection, read the schedule (all find it
    due), wait for each other, then claim: each due task is enqueued exactly once."""
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:":
        pytest.skip("threads need a database file")
    enqueue_due(T0 - 10 * MINUTE)  # the rows exist, due again at T0
    run_queue()
    before = DBTaskResult.objects.count()
    barrier = threading.Barrier(4)
    real_due = schedule.due

    def due_then_wait(
        now: dt.datetime, s: schedule.Schedule = SCHEDULE
    ) -> list[tuple[schedule.Entry, dt.datetime]]:
        found = real_due(now, s)
        barrier.wait(timeout=30)
        return found

    monkeypatch.setattr(schedule, "due", due_then_wait)
    enqueued: list[list[str]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            enqueued.append(enqueue_due(T0))
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert sorted(name for names in enqueued for name in names) == [
        "deliver-national",
        "deliver-notifications",
        "reconcile-payments",
        "scan-deadlines",
    ]
    assert DBTaskResult.objects.count() - before == 4
