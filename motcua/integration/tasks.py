"""The national outbox's delivery task, run by the worker's schedule (``motcua.jobs``)."""

from django.tasks import task

from motcua.integration.outbox import deliver_due


@task
def deliver_national() -> dict[str, int | bool]:
    """Send the national portal what may go now (``motcua send-national``)."""
    result = deliver_due()
    return {
        "configured": result.configured,
        "delivered": result.delivered,
        "failed": result.failed,
        "blocked": result.blocked,
        "dead": result.dead,
    }
