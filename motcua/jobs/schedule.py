"""The periodic schedule that ``motcua worker`` runs in its own loop: each entry's task is
enqueued when due, through the configured tasks backend.

Several workers may run the schedule at once (one per machine). Each entry has a row
(``ScheduledTask``) holding the instant it is next due; a worker that finds it due moves it on
with a compare-and-set on the instant it read, in the transaction that enqueues the task, and
enqueues only when its update took. So a run is enqueued once however many workers look. A
worker that was stopped for a while enqueues one run on its return, not one per missed turn."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import Task, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone

from motcua.integration import tasks as integration_tasks
from motcua.jobs import tasks
from motcua.jobs.models import ScheduledTask


@dataclass(frozen=True)
class Every:
    """Every ``period``, the first run at once."""

    period: dt.timedelta

    def first(self, now: dt.datetime) -> dt.datetime:
        return now

    def after(self, now: dt.datetime) -> dt.datetime:
        return now + self.period


@dataclass(frozen=True)
class DailyAt:
    """Once a day at ``at`` in the site's time zone (``TIME_ZONE``, Vietnam)."""

    at: dt.time

    def first(self, now: dt.datetime) -> dt.datetime:
        local = timezone.localtime(now)
        today = local.replace(hour=self.at.hour, minute=self.at.minute, second=0, microsecond=0)
        return today if today > local else self.after(now)

    def after(self, now: dt.datetime) -> dt.datetime:
        local = timezone.localtime(now)
        day = local.date() + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day, self.at), local.tzinfo)


@dataclass(frozen=True)
class Entry:
    name: str
    task: Task[[], Any]
    when: Every | DailyAt


SCHEDULE = (
    # The outbox: new notices go out after their commit; this sends what that missed and the
    # failed ones due for a retry (docs/notifications.md).
    Entry("deliver-notifications", tasks.deliver_notifications, Every(dt.timedelta(minutes=1))),
    # The national portal's outbox (docs/integration.md): each dossier's messages in order,
    # failures retried with back-off.
    Entry("deliver-national", integration_tasks.deliver_national, Every(dt.timedelta(minutes=1))),
    Entry("scan-deadlines", tasks.scan_deadlines, Every(dt.timedelta(minutes=5))),
    # Online payments whose IPN never came, asked about once 15 minutes old (the setting): with
    # the IPN lost, a paid dossier still resumes within 15 + 5 minutes (docs/payments.md).
    Entry("reconcile-payments", tasks.reconcile_payments, Every(dt.timedelta(minutes=5))),
    # The gateway's settlement file of the day before, ready in the early morning
    # (docs/payments.md): every unmatched transaction is recorded for the agencies' leaders.
    Entry("compare-settlement", tasks.compare_settlement_file, DailyAt(dt.time(4, 0))),
    # At night, when few dossiers change: it reads every dossier once.
    Entry("check-rollups", tasks.check_rollups, DailyAt(dt.time(2, 0))),
    # Reform tasks and remediation reports are due on dates: once a day, just after midnight.
    Entry("scan-reform", tasks.scan_reform_deadlines, DailyAt(dt.time(0, 15))),
    Entry("prune-task-results", tasks.prune_task_results, DailyAt(dt.time(3, 0))),
    # The national catalogue, pulled into pending changes the catalogue officer decides on
    # (docs/integration.md); early, before the offices open.
    Entry(
        "pull-national-catalogue",
        integration_tasks.pull_national_catalogue,
        DailyAt(dt.time(4, 0)),
    ),
    # Personal data is kept no longer than its purpose needs (docs/privacy.md).
    Entry("purge-access-log", tasks.purge_access_log, DailyAt(dt.time(3, 30))),
)


def _row(entry: Entry, now: dt.datetime) -> ScheduledTask:
    try:
        with transaction.atomic():
            row, _created = ScheduledTask.objects.get_or_create(
                name=entry.name, defaults={"next_run_at": entry.when.first(now)}
            )
    except IntegrityError:  # another worker created it between the look-up and the insert
        row = ScheduledTask.objects.get(name=entry.name)
    return row


def _still_waiting(entry: Entry, task_id: str) -> bool:
    """The run enqueued last has not started yet (a busy queue): another would only pile up.
    One that started and never finished (a killed worker) does not hold the next one back."""
    if not task_id or not entry.task.get_backend().supports_get_result:
        return False
    try:
        return entry.task.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:  # pruned
        return False


def claim_and_enqueue(entry: Entry, seen: dt.datetime, now: dt.datetime) -> bool:
    """Move ``entry`` on from the due instant ``seen`` (as read) and enqueue its task, in one
    transaction; ``False``, enqueuing nothing, when another worker moved it first or when its
    last run still waits in the queue."""
    with transaction.atomic():
        claimed = ScheduledTask.objects.filter(name=entry.name, next_run_at=seen).update(
            next_run_at=entry.when.after(now)
        )
        last = ScheduledTask.objects.values_list("last_task_id", flat=True).get(name=entry.name)
        if not claimed or _still_waiting(entry, last):
            return False
        result = entry.task.enqueue()
        ScheduledTask.objects.filter(name=entry.name).update(
            last_task_id=str(result.id)[:64], last_enqueued_at=now
        )
    return True


Schedule = tuple[Entry, ...]


def due(now: dt.datetime, schedule: Schedule = SCHEDULE) -> list[tuple[Entry, dt.datetime]]:
    """The entries due at ``now``, each with the due instant as read."""
    found = []
    for entry in schedule:
        row = _row(entry, now)
        if row.next_run_at <= now:
            found.append((entry, row.next_run_at))
    return found


def enqueue_due(now: dt.datetime | None = None, schedule: Schedule = SCHEDULE) -> list[str]:
    """Enqueue every entry due at ``now``; the names of those this worker enqueued."""
    now = now or timezone.now()
    return [entry.name for entry, seen in due(now, schedule) if claim_and_enqueue(entry, seen, now)]
