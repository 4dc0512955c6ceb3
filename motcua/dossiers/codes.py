"""Dossier codes: ``<agency electronic ID>-<YYMMDD>-<sequence of at least 4 digits>``
(Circular 03/2025/TT-VPCP; e.g. H56.22-250714-0007), the sequence per agency per day, unique
and gap-free under concurrent intake."""

import datetime as dt

from django.db.models import F

from motcua.accounts.models import Agency
from motcua.dossiers.models import DossierCounter


def next_code(agency: Agency, day: dt.date) -> str:
    """Take the next sequence number of ``agency`` on ``day``. Must run inside the transaction
    that creates the dossier, so that a rollback gives the number back (no gaps).

    The counter row is created if missing without racing (insert-or-ignore), then incremented
    with a row lock: concurrent intakes queue on the row and each gets the next number."""
    DossierCounter.objects.bulk_create(
        [DossierCounter(agency=agency, day=day, last=0)], ignore_conflicts=True
    )
    counter = DossierCounter.objects.select_for_update().get(agency=agency, day=day)
    DossierCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{agency.code}-{day:%y%m%d}-{counter.last:04d}"
