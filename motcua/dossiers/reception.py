"""Reception at the desk with the scans handed in and the fee collected, in one transaction:
the desk's screen (``workspace/reception.py``) and ``POST /api/v1/dossiers/receive_with_scans/``
both call ``receive_with_scans``.

Decree 118/2025/NĐ-CP art. 15–16: the desk receives a complete dossier and issues the receipt
with the appointment (Form 01); the documents handed in are scanned into the dossier's
electronic file, and a fee collected at the desk is recorded with its receipt."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.dossiers import documents, intake, services
from motcua.dossiers.models import Dossier
from motcua.errors import invalid, on_field, renamed, together


@dataclass(frozen=True)
class FeePaid:
    """A fee collected at the desk with the receipt: amount, receipt number, how paid."""

    amount: Decimal
    receipt: str
    method: str


def check_scans(entered: intake.Intake, scans: Mapping[int, "UploadedFile[bytes]"]) -> None:
    """Each scan's document is listed in the checklist (by its required document id), and each
    file passes ``documents.check_upload`` (type from its content, size): a
    ``ValidationError`` on ``scan_<id>`` otherwise, before anything is stored."""
    listed = {i.required_id for i in entered.checklist if i.required_id is not None}
    refusals: list[ValidationError] = []
    for required_id, upload in scans.items():
        field = f"scan_{required_id}"
        if required_id not in listed:
            message = _("This document is not in the checklist.")
            refusals.append(invalid("scan_not_in_checklist", message, field))
            continue
        try:
            documents.check_upload(upload)
        except ValidationError as refused:
            refusals.append(on_field(refused, field))
    if refusals:
        raise together(refusals)


def _scanned_provided(entered: intake.Intake, scans: Mapping[int, object]) -> intake.Intake:
    """A scanned document was handed in, ticked or not."""
    checklist = [
        replace(i, provided=True) if i.required_id in scans else i for i in entered.checklist
    ]
    return replace(entered, checklist=checklist)


def receive_with_scans(
    entered: intake.Intake,
    *,
    agency: Agency,
    actor: User,
    scans: Mapping[int, "UploadedFile[bytes]"],
    fee: FeePaid | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Receive the dossier (``intake.receive_new_dossier``), attach ``scans`` (by required
    document id) to its checklist documents, each then marked as provided
    (``documents.attach``), and record ``fee`` (``services.collect_fee``): all or nothing. A
    refusal of the fee names the fields ``fee_amount``, ``fee_receipt``, ``fee_method`` (with
    ``collect_fee``'s codes)."""
    check_scans(entered, scans)
    entered = _scanned_provided(entered, scans)
    with transaction.atomic():
        dossier = intake.receive_new_dossier(entered, agency=agency, actor=actor, now=now)
        by_required = {d.required_id: d.pk for d in dossier.documents.all()}
        for required_id, upload in scans.items():
            documents.attach(
                dossier, actor=actor, upload=upload, document_id=by_required[required_id], now=now
            )
        if fee is not None:
            try:
                services.collect_fee(
                    dossier, actor=actor, amount=fee.amount, receipt=fee.receipt,
                    method=fee.method, now=now,
                )  # fmt: skip
            except ValidationError as refused:
                raise renamed(refused, "fee_{}".format) from refused
    return dossier
