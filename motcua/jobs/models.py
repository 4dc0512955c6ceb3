"""The job worker's own records: when each periodic task is next due (so that several workers
fire it once), the workers' heartbeats (which ``/readyz`` reads) and the nightly rollup checks.
The tasks' queue itself is the ``django_tasks_db`` app's table (``DBTaskResult``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledTask(models.Model):
    """One periodic task of ``schedule.SCHEDULE``: the instant it is next due. A worker that
    finds it due moves ``next_run_at`` on with a compare-and-set on the value it read and
    enqueues the task only when that update took: two workers never enqueue one run twice."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)
    last_task_id = models.CharField(_("last task id"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled task")
        verbose_name_plural = _("scheduled tasks")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A running ``motcua worker``: it writes ``beat_at`` at every turn of its loop, and the
    readiness check (``motcua/health.py``) reads the latest beat of any worker."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class RollupCheck(models.Model):
    """One run of the nightly check that the report rollups equal a count from the dossiers
    (``motcua.dossiers.rollup_check``): how many rows differ and a sample of them."""

    checked_at = models.DateTimeField(_("checked at"), db_index=True)
    dossiers = models.PositiveIntegerField(_("dossiers counted"))
    rows = models.PositiveIntegerField(_("rollup rows compared"))
    mismatched = models.PositiveIntegerField(_("rows that differ"))
    sample = models.JSONField(_("sample of the differences"), default=list, blank=True)

    class Meta:
        verbose_name = _("rollup check")
        verbose_name_plural = _("rollup checks")
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M}: {self.mismatched}"
