"""The background tasks, written against Django's tasks framework (``django.tasks``) so that
they run on whichever backend ``TASKS`` configures: by default the database backend of
``django-tasks-db``, whose queue ``motcua worker`` runs (docs/deployment.md, "Background jobs").

Each task calls the engine's own service and returns a JSON summary, which the backend keeps
with the task's result. The online payments' reconciliation asks the gateway about payments
whose IPN never came (docs/payments.md)."""

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import mail_admins
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.dossiers.access_log import purge_expired
from motcua.dossiers.rollup_check import compare_rollups
from motcua.dossiers.scanner import scan
from motcua.feedback.scanner import scan_feedback
from motcua.jobs.models import RollupCheck, WorkerHeartbeat
from motcua.notifications.services import deliver_pending
from motcua.payments.services import reconcile
from motcua.payments.settlement import compare_settlement, yesterday
from motcua.reform.scanner import scan_reform

logger = logging.getLogger(__name__)


@task
def scan_deadlines() -> dict[str, Any]:
    """Queue the due-soon, overdue and escalation notices (``motcua scan-deadlines``), and the
    feedback's reminders and overdue alerts (``motcua.feedback.scanner``)."""
    result = scan()
    feedback = scan_feedback(result.now)
    return {
        "now": result.now.isoformat(),
        "due_soon_steps": result.due_soon_steps,
        "overdue_steps": result.overdue_steps,
        "due_soon_dossiers": result.due_soon_dossiers,
        "overdue_dossiers": result.overdue_dossiers,
        "escalated_dossiers": result.escalated_dossiers,
        "queued": result.queued,
        "feedback_due_soon": feedback.due_soon,
        "feedback_overdue": feedback.overdue,
        "feedback_queued": feedback.queued,
    }


@task
def scan_reform_deadlines() -> dict[str, Any]:
    """Flag the reform plans' tasks past their deadline and the inspected units' remediation
    reports past their due date (``motcua.reform.scanner``, docs/reform.md)."""
    result = scan_reform()
    return {
        "today": result.today.isoformat(),
        "overdue_tasks": result.overdue_tasks,
        "late_remediations": result.late_remediations,
    }


@task
def deliver_notifications() -> dict[str, int]:
    """Send the outbox's pending notifications (``motcua send-notifications``)."""
    result = deliver_pending()
    return {"sent": result.sent, "failed": result.failed}


@task
def reconcile_payments() -> dict[str, int]:
    """Ask the gateway (querydr) about online payments still pending after
    ``MOTCUA_PAYMENT_RECONCILE_AFTER`` and apply its answer, as a verified IPN would."""
    return {"changed": reconcile()}


@task
def compare_settlement_file() -> dict[str, Any]:
    """Compare yesterday's settlement file of the payment gateway with our payments and record
    the run with its unmatched transactions (``motcua compare-settlement``)."""
    run = compare_settlement(yesterday())
    return {
        "id": run.pk,
        "date": run.settlement_date.isoformat(),
        "matched": run.matched,
        "mismatched": run.mismatched,
        "error": run.error,
    }


@task
def check_rollups() -> dict[str, int]:
    """Compare the report rollups with a recount from the dossiers; record the outcome and,
    when rows differ, log an error and mail the site's administrators (``ADMINS``)."""
    comparison = compare_rollups()
    record = RollupCheck.objects.create(
        checked_at=timezone.now(),
        dossiers=comparison.dossiers,
        rows=comparison.rows,
        mismatched=comparison.mismatched,
        sample=[difference.as_json() for difference in comparison.sample],
    )
    if not comparison.ok:
        message = (
            f"{comparison.mismatched} of {comparison.rows} report rollup rows differ from a "
            f"count of the dossiers (rollup check {record.pk}); `motcua rebuild-rollups` "
            "repairs them."
        )
        logger.error(message)
        mail_admins("MộtCửa: report rollups differ from the dossiers", message)
    return {"id": record.pk, "dossiers": comparison.dossiers, "mismatched": comparison.mismatched}


@task
def prune_task_results() -> dict[str, int]:
    """Delete the queue's finished results older than ``MOTCUA_TASK_RESULT_DAYS`` (the schedule
    adds some 1,700 a day) and the heartbeats of workers gone for a day (killed, not stopped)."""
    now = timezone.now()
    cutoff = now - dt.timedelta(days=settings.MOTCUA_TASK_RESULT_DAYS)
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    gone, _ = WorkerHeartbeat.objects.filter(beat_at__lte=now - dt.timedelta(days=1)).delete()
    return {"results": results, "heartbeats": gone}


@task
def purge_access_log() -> dict[str, int]:
    """Delete the access log's rows of personal-data reads older than the retention period
    (``MOTCUA_ACCESS_LOG_RETENTION_DAYS``; ``motcua purge-access-log``, docs/privacy.md)."""
    return {"deleted": purge_expired()}
