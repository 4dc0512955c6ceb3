"""``motcua worker``'s loop: at every turn it runs the next queued task when the tasks backend
is the database one, and every ``housekeeping`` seconds (5) first writes its heartbeat and
enqueues the periodic tasks that are due (``schedule.py``); it sleeps only when there was
nothing to run. With a broker-backed backend the
broker's own workers run the tasks and this loop keeps the heartbeat and the schedule.

SIGTERM or SIGINT (systemd's stop, Ctrl+C) lets the running task finish, then the loop ends."""

import datetime as dt
import logging
import signal
import time
from dataclasses import dataclass, field
from types import FrameType

from django.db import OperationalError, close_old_connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from motcua.jobs import heartbeat, schedule

logger = logging.getLogger(__name__)


def runs_tasks(backend_name: str = DEFAULT_TASK_BACKEND_ALIAS) -> bool:
    """This process runs the queue only for the database backend (a broker has its own)."""
    return isinstance(task_backends[backend_name], DatabaseBackend)


@dataclass
class Loop:
    """One worker process: its id, the pause when idle, and whether to run queued tasks."""

    interval: float = 1.0
    # Seconds between heartbeats and looks at the schedule: the shortest period is a minute,
    # and a write each second would only load the database.
    housekeeping: float = 5.0
    last_housekeeping: float = -float("inf")
    worker_id: str = field(default_factory=lambda: get_random_string(32))
    backend_name: str = DEFAULT_TASK_BACKEND_ALIAS
    started_at: dt.datetime = field(default_factory=timezone.now)
    stopping: bool = False

    def run_one(self) -> bool:
        """Claim and run the next ready task of the database queue, if any; whether one ran.
        The claim is django-tasks-db's own (``db_worker``): a row lock, skipped by the other
        workers on PostgreSQL, an exclusive transaction on SQLite."""
        if not runs_tasks(self.backend_name):
            return False
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        try:
            with exclusive_transaction(ready.db):
                claimed = ready.get_locked()
                if claimed is not None:
                    claimed.claim(self.worker_id)
        except OperationalError as error:
            if is_locked_database_exception(error):
                return False  # SQLite busy past its timeout: try again on the next turn
            raise
        if claimed is None:
            return False
        self._runner().run_task(claimed)
        return True

    def _runner(self) -> Worker:
        """django-tasks-db's worker, used for running one claimed task and recording its
        result (its own loop is not used: this one beats and schedules between tasks)."""
        return Worker(
            queue_names=["*"],
            interval=self.interval,
            batch=True,
            backend_name=self.backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id,
            excluded_queue_names=[],
        )

    def turn(self) -> bool:
        """Beat and enqueue what is due (when it is time to), run one task; whether one ran."""
        if time.monotonic() - self.last_housekeeping >= self.housekeeping:
            heartbeat.beat(self.worker_id, started_at=self.started_at)
            for name in schedule.enqueue_due():
                logger.info("enqueued %s", name)
            self.last_housekeeping = time.monotonic()
        return self.run_one()

    def drain(self) -> int:
        """One turn, then every task that is ready (``motcua worker --once``); tasks run."""
        ran = 0
        while self.turn():
            ran += 1
        return ran

    def stop(self, signum: int, frame: FrameType | None) -> None:
        logger.info("worker %s: %s, stopping after the current task", self.worker_id, signum)
        self.stopping = True

    def forever(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        logger.info("worker %s started (runs tasks: %s)", self.worker_id, runs_tasks())
        try:
            while not self.stopping:
                # As after a request: drop a connection that broke or passed DB_CONN_MAX_AGE.
                close_old_connections()
                if not self.turn():
                    self.sleep()
        finally:
            heartbeat.stop(self.worker_id)

    def sleep(self) -> None:
        deadline = time.monotonic() + self.interval
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, self.interval))
