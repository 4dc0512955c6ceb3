from django.contrib import admin

from motcua.admin import ReadOnlyAdmin
from motcua.jobs.models import RollupCheck, ScheduledTask, WorkerHeartbeat


@admin.register(ScheduledTask)
class ScheduledTaskAdmin(ReadOnlyAdmin):
    list_display = ["name", "next_run_at", "last_enqueued_at", "last_task_id"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "beat_at"]


@admin.register(RollupCheck)
class RollupCheckAdmin(ReadOnlyAdmin):
    list_display = ["checked_at", "dossiers", "rows", "mismatched"]
