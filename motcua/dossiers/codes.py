"""Dossier codes: ``<agency electronic ID>-<YYMMDD>-<sequence of at least 4 digits>``
(Circular 03/2025/TT-VPCP; e.g. H56.22-250714-0007), the sequence per agency per day, unique
and gap-free under concurrent intake; and the tracking PIN printed beside the code on Form 01.

The code is sequential, so anyone can guess the next one: the public tracking page shows
personal data only to whoever also gives the dossier's PIN (or is its signed-in owner)."""

import datetime as dt
import secrets

from django.db.models import F

from motcua.accounts.models import Agency
from motcua.dossiers.models import DossierCounter, ReceiptCounter


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


# No 0/O, 1/I/L: the PIN is read off paper and typed by hand.
PIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PIN_LENGTH = 8


def new_tracking_pin() -> str:
    """A fresh random PIN (8 characters of 31: about 40 bits), from ``secrets``."""
    return "".join(secrets.choice(PIN_ALPHABET) for _ in range(PIN_LENGTH))


def normalise_pin(typed: str) -> str:
    """A PIN as typed (any case, spaces or dashes between groups) in its stored form."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def next_receipt_number(agency: Agency, year: int) -> int:
    """Take the next receipt number (Form 01) of ``agency`` in ``year``, in the transaction
    that receives the dossier, locked like ``next_code``: numbered from 1 each year (Decree
    30/2020/NĐ-CP art. 15), never from 1 each day."""
    ReceiptCounter.objects.bulk_create(
        [ReceiptCounter(agency=agency, year=year, last=0)], ignore_conflicts=True
    )
    counter = ReceiptCounter.objects.select_for_update().get(agency=agency, year=year)
    ReceiptCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return counter.last
