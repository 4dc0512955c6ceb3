"""Filling the register from existing data (``manage.py digitise_existing``): each dossier
document with a file and no row yet, dated and attributed by its ``attach`` event (the latest
naming it, by id or by its SHA-256), else by its upload time; then each event carrying a
``signature``. Idempotent: a second run finds nothing to add."""

from django.db import transaction

from motcua.digitisation.models import DigitisedPaper
from motcua.digitisation.recording import record_document, record_signature
from motcua.dossiers.models import DossierDocument, DossierEvent
from motcua.dossiers.workflow import Action


def _attach_event(document: DossierDocument) -> DossierEvent | None:
    events = DossierEvent.objects.filter(dossier_id=document.dossier_id, action=Action.ATTACH)
    for event in events.order_by("-at", "-pk"):
        named = event.data.get("document_id")
        if named == document.pk or (named is None and event.data.get("sha256") == document.sha256):
            return event
    return None


def backfill(*, batch: int = 500) -> tuple[int, int]:
    """Record the missing documents and the signatures: how many of each."""
    recorded = 0
    while True:
        pending = list(
            DossierDocument.objects.filter(digitised__isnull=True)
            .exclude(file="")
            .select_related("dossier")
            .order_by("pk")[:batch]
        )
        if not pending:
            break
        with transaction.atomic():
            for document in pending:
                record_document(document, event=_attach_event(document))
                recorded += 1
    signatures = 0
    signed = DossierEvent.objects.filter(data__has_key="signature").order_by("pk")
    for event in signed.iterator():
        signature = event.data.get("signature")
        if isinstance(signature, dict) and isinstance(signature.get("document_id"), int):
            paper = DigitisedPaper.objects.filter(document_id=signature["document_id"]).first()
            if paper is None or paper.signed_at is None:
                with transaction.atomic():
                    record_signature(event, signature)
                signatures += 1
    return recorded, signatures
