"""The job worker's heartbeat: each ``motcua worker`` writes one at every turn of its loop; the
readiness check (``/readyz``) is ready only while the latest of them is fresh."""

import datetime as dt
import os
import socket

from django.conf import settings
from django.utils import timezone

from motcua.jobs.models import WorkerHeartbeat


def beat(worker_id: str, *, started_at: dt.datetime, now: dt.datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": now or timezone.now(),
        },
    )


def stop(worker_id: str) -> None:
    """A worker that stops cleanly takes its heartbeat with it."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def max_age() -> dt.timedelta:
    """How old the latest heartbeat may be (``MOTCUA_WORKER_HEARTBEAT_MAX_AGE`` seconds): longer
    than the worker's longest task, during which it does not beat."""
    return dt.timedelta(seconds=settings.MOTCUA_WORKER_HEARTBEAT_MAX_AGE)


def latest() -> dt.datetime | None:
    return WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def freshness(now: dt.datetime | None = None) -> tuple[bool, str]:
    """Whether some worker beat recently enough, and what to say about it."""
    last = latest()
    if last is None:
        return False, "no heartbeat: start `motcua worker`"
    age = (now or timezone.now()) - last
    seconds = int(age.total_seconds())
    if age > max_age():
        return False, f"last heartbeat {seconds} s ago, more than {max_age().seconds} s"
    return True, "ok"
