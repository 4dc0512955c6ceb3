"""The national outbox's delivery task and the national catalogue's daily pull, run by the
worker's schedule (``motcua.jobs``)."""

from django.tasks import task

from motcua.integration.catalogue_sync import pull_catalogue
from motcua.integration.national import NationalPortal
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


@task
def pull_national_catalogue() -> dict[str, object]:
    """Pull the national catalogue into pending changes (``motcua pull-national-catalogue``);
    nothing is applied until the catalogue officer accepts it."""
    if not NationalPortal.from_settings().configured:
        return {"configured": False}
    return {"configured": True, **pull_catalogue(actor=None).as_data()}
