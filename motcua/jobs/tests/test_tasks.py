"""The background tasks through the default backend (django-tasks-db's database queue), on
SQLite and on PostgreSQL alike: enqueued as rows of the queue table, run by the worker's loop,
their results recorded; the deadline scan queues notices and the delivery task sends them."""

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from motcua.dossiers import intake, services
from motcua.dossiers.access_models import AccessKind, DossierAccess
from motcua.dossiers.models import Dossier
from motcua.dossiers.rollup_models import DailyRollup
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.jobs import heartbeat, tasks
from motcua.jobs.models import RollupCheck, ScheduledTask, WorkerHeartbeat
from motcua.jobs.schedule import SCHEDULE
from motcua.jobs.worker import Loop
from motcua.notifications.models import Notification
from motcua.testing import Cast


@pytest.fixture
def overdue(cast: Cast) -> Dossier:
    """Received in March 2026 with 5 working days: long overdue when the tasks run."""
    case = household_business_case(cast.agency)
    d = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-02T09:00")
    )
    services.forward(d, actor=cast.alice, now=at("2026-03-02T10:00"))
    Notification.objects.all().delete()  # the receipt notice: these tests count the scan's
    return d


def test_the_default_backend_is_the_database_queue() -> None:
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def test_an_enqueued_task_waits_in_the_table_until_the_worker_runs_it(
    db: None, overdue: Dossier
) -> None:
    result = tasks.scan_deadlines.enqueue()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.READY
    assert row.task_path == "motcua.jobs.tasks.scan_deadlines"
    assert not Notification.objects.exists()

    assert Loop().run_one() is True
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["overdue_dossiers"] == 1
    assert result.return_value["queued"] == Notification.objects.count() > 0
    assert Loop().run_one() is False  # nothing else is queued


def test_the_scan_then_the_delivery_send_the_notices(db: None, overdue: Dossier) -> None:
    scan = tasks.scan_deadlines.enqueue()
    Loop().run_one()
    scan.refresh()
    queued = scan.return_value["queued"]
    # Delivery after commit does not happen inside the test's transaction: the outbox waits.
    assert Notification.objects.filter(sent_at__isnull=True).count() == queued
    send = tasks.deliver_notifications.enqueue()
    Loop().run_one()
    send.refresh()
    assert send.status == TaskResultStatus.SUCCESSFUL
    emails = Notification.objects.filter(channel="email").count()
    assert send.return_value == {"sent": queued, "failed": 0}
    assert len(mail.outbox) == emails > 0
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_failing_task_is_recorded_as_failed_and_the_worker_goes_on(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task's exception is its result's, not the worker's: the loop runs the next one."""

    def broken(now: dt.datetime | None = None) -> None:
        raise RuntimeError("SMTP down")

    monkeypatch.setattr(tasks, "deliver_pending", broken)
    failing = tasks.deliver_notifications.enqueue()
    following = tasks.check_rollups.enqueue()
    loop = Loop()
    assert loop.run_one() and loop.run_one()
    failing.refresh()
    following.refresh()
    assert failing.status == TaskResultStatus.FAILED
    assert "SMTP down" in failing.errors[0].traceback
    assert following.status == TaskResultStatus.SUCCESSFUL


def test_the_nightly_check_records_a_match_and_mails_nobody(
    db: None, overdue: Dossier, settings: SettingsWrapper
) -> None:
    settings.ADMINS = ["ops@example.vn"]
    result = tasks.check_rollups.enqueue()
    Loop().run_one()
    result.refresh()
    check = RollupCheck.objects.get()
    assert result.return_value == {"id": check.pk, "dossiers": 1, "mismatched": 0}
    assert (check.dossiers, check.mismatched, check.sample) == (1, 0, [])
    assert mail.outbox == []


def test_the_nightly_check_records_a_mismatch_logs_it_and_mails_the_administrators(
    db: None, overdue: Dossier, settings: SettingsWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    settings.ADMINS = ["ops@example.vn"]
    DailyRollup.objects.filter(received__gt=0).update(received=F("received") + 2)
    result = tasks.check_rollups.enqueue()
    Loop().run_one()
    result.refresh()
    check = RollupCheck.objects.get()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert check.mismatched == result.return_value["mismatched"] == 1
    assert check.sample[0]["table"] == "reports_dailyrollup"
    assert check.sample[0]["stored"][0] == check.sample[0]["expected"][0] + 2
    [message] = mail.outbox
    assert message.to == ["ops@example.vn"]
    assert "1 of " in message.body and "motcua rebuild-rollups" in message.body
    assert any(
        r.levelname == "ERROR" and "report rollup rows differ" in r.getMessage()
        for r in caplog.records
    )


def test_with_another_backend_the_worker_keeps_the_schedule_and_leaves_the_running_to_it(
    db: None, settings: SettingsWrapper
) -> None:
    """A broker-backed backend has its own workers: ``motcua worker`` enqueues what is due and
    beats, but claims nothing. Django's immediate backend stands for the broker here (it runs
    each task as it is enqueued)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    loop = Loop()
    assert loop.turn() is False
    assert not DBTaskResult.objects.exists()
    assert ScheduledTask.objects.filter(last_enqueued_at__isnull=False).count() == 4
    assert WorkerHeartbeat.objects.filter(worker_id=loop.worker_id).exists()


def test_the_nightly_pruning_drops_old_finished_results_and_gone_workers_only(
    db: None, settings: SettingsWrapper
) -> None:
    settings.MOTCUA_TASK_RESULT_DAYS = 30
    old, recent, waiting = (tasks.deliver_notifications.enqueue() for _ in range(3))
    loop = Loop()
    assert loop.run_one() and loop.run_one()
    now = timezone.now()
    DBTaskResult.objects.filter(id=old.id).update(finished_at=now - dt.timedelta(days=31))
    DBTaskResult.objects.filter(id=recent.id).update(finished_at=now - dt.timedelta(days=29))
    DBTaskResult.objects.filter(id=waiting.id).update(enqueued_at=now - dt.timedelta(days=60))
    heartbeat.beat("gone", started_at=now, now=now - dt.timedelta(days=2))
    heartbeat.beat("alive", started_at=now, now=now)
    assert tasks.prune_task_results.call() == {"results": 1, "heartbeats": 1}
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {
        uuid.UUID(recent.id),
        uuid.UUID(waiting.id),
    }
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["alive"]


def test_the_nightly_purge_of_the_access_log_keeps_the_retention_period(
    cast: Cast, settings: SettingsWrapper
) -> None:
    settings.MOTCUA_ACCESS_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    for days in (31, 29):
        DossierAccess(
            at=now - dt.timedelta(days=days), actor=cast.bob, agency=cast.agency,
            kind=AccessKind.VIEW,
        ).save()  # fmt: skip
    assert tasks.purge_access_log.call() == {"deleted": 1}
    kept = DossierAccess.objects.exclude(kind=AccessKind.PURGE).get()
    assert kept.at == now - dt.timedelta(days=29)
    assert "purge-access-log" in {entry.name for entry in SCHEDULE}
