"""Filling the register of digitised papers from the engine's events (``dossiers.event_hooks``).

``on_dossier_event`` runs in the transaction of every event the engine appends. An ``attach``
(a scan at the desk, an upload by the applicant, the result) records the document it filled; an
event carrying a ``signature`` (the leader's on the result, ``dossiers.signatures``; the desk's
on a scan) records who signed it, with which certificate and when. The backfill command
(``digitise_existing``) calls ``record_document`` for documents stored before this app."""

import datetime as dt
from typing import Any

from motcua.catalogue.text import search_key
from motcua.digitisation.models import DigitisedPaper, PaperKind
from motcua.dossiers.models import DossierDocument, DossierEvent
from motcua.dossiers.workflow import Action


def on_dossier_event(event: DossierEvent) -> None:
    """Record what ``event`` digitised or signed (nothing for other events)."""
    if event.action == Action.ATTACH:
        document_id = event.data.get("document_id")
        document = (
            DossierDocument.objects.filter(pk=document_id, dossier_id=event.dossier_id).first()
            if isinstance(document_id, int)
            else None
        )
        if document is not None:
            record_document(document, event=event)
    signature = event.data.get("signature")
    if isinstance(signature, dict) and isinstance(signature.get("document_id"), int):
        record_signature(event, signature)


def kind_of(document: DossierDocument, actor_id: int | None) -> str:
    """A result; else an upload when the applicant's own account sent it; else a desk scan."""
    if document.result:
        return PaperKind.RESULT
    owner_id = document.dossier.owner_id
    if owner_id is not None and owner_id == actor_id:
        return PaperKind.UPLOAD
    return PaperKind.SCAN


def record_document(
    document: DossierDocument,
    *,
    event: DossierEvent | None = None,
    at: dt.datetime | None = None,
) -> DigitisedPaper:
    """The register's row of ``document`` (with a file), made or brought up to date: a later
    attach to the same document (a better scan) replaces its file, so its row follows."""
    dossier = document.dossier
    actor_id = event.actor_id if event is not None else None
    when = event.at if event is not None else (at or document.uploaded_at)
    values = {
        "owner_id_number": dossier.applicant_id_number,
        "owner_name": dossier.applicant_name,
        "kind": kind_of(document, actor_id),
        "required_id": document.required_id,
        "name": document.name,
        "name_key": search_key(document.name)[:500],
        "dossier_id": dossier.pk,
        "agency_id": (event.agency_id if event is not None else None)
        or dossier.receiving_agency_id,
        "sha256": document.sha256,
        "content_type": document.content_type,
        "size": document.size,
        "scanned_by_id": actor_id,
        "scanned_at": when,
    }
    paper = DigitisedPaper.objects.filter(document=document).first()
    if paper is None:
        return DigitisedPaper.objects.create(document=document, **values)
    for name, value in values.items():
        setattr(paper, name, value)
    paper.save(update_fields=[*values, "updated_at"])
    return paper


def record_signature(event: DossierEvent, signature: dict[str, Any]) -> None:
    """Who signed the document named in ``signature`` (the event's actor), the name and the
    SHA-256 of the certificate, when, and the signed file's SHA-256."""
    document = DossierDocument.objects.filter(
        pk=signature["document_id"], dossier_id=event.dossier_id
    ).first()
    if document is None:
        return
    paper = DigitisedPaper.objects.filter(document=document).first() or record_document(
        document, event=event
    )
    signed_at = signature.get("signed_at")
    paper.signed_by_id = event.actor_id
    paper.signer_name = str(signature.get("signer") or "")[:255]
    paper.certificate_sha256 = str(signature.get("certificate_sha256") or "")[:64]
    paper.signed_at = (
        dt.datetime.fromisoformat(signed_at) if isinstance(signed_at, str) else event.at
    )
    paper.sha256 = document.sha256
    paper.size = document.size
    paper.save(
        update_fields=[
            "signed_by", "signer_name", "certificate_sha256", "signed_at", "sha256", "size",
            "updated_at",
        ]
    )  # fmt: skip
