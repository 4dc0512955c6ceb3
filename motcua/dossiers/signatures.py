"""Signed electronic results: the leader who approves signs the result document, and the
signature is recorded on the approval's event (who — the event's actor —, the certificate's
SHA-256 fingerprint, the signed document's SHA-256, the name in the certificate, the time).

The signing itself (the key on a PKCS#11 token or in a PKCS#12 file, the PIN typed at signing)
happens in the adapter that holds the key (``motcua.signing``); the engine receives the signed
bytes and keeps them as the result, the electronic copy returned to the applicant (Decree
45/2020/NĐ-CP art. 14; Decree 118/2025/NĐ-CP: the result is signed before it is returned — the
signature is the last processing step's)."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.transitions import Change
from motcua.errors import invalid

PDF = "application/pdf"


@dataclass(frozen=True)
class SignedPdf:
    """A PDF signed by the adapter: its bytes and what the event records."""

    data: bytes
    certificate_sha256: str
    signer: str  # the name in the signing certificate
    signed_at: dt.datetime


def result_pdf(dossier: Dossier) -> DossierDocument | None:
    """The latest result document attached as a PDF, the one the leader signs."""
    return (
        dossier.documents.filter(result=True, content_type=PDF)
        .exclude(file="")
        .order_by("-pk")
        .first()
    )


def no_result_pdf() -> Exception:
    return invalid(
        "no_result_pdf",
        _("Attach the result as a PDF before signing it."),
        "signed_result",
    )


def keep_signed_result(change: Change, signed: SignedPdf) -> DossierDocument:
    """Store ``signed`` as the dossier's result document (in place of the unsigned file) and
    record the signature in the event's data; inside the approval's ``acting`` block."""
    document = result_pdf(change.dossier)
    if document is None:
        raise no_result_pdf()
    if not signed.data.startswith(b"%PDF-"):
        raise invalid("not_a_pdf", _("The document is not a readable PDF."), "signed_result")
    unsigned_sha256 = document.sha256
    document.sha256 = hashlib.sha256(signed.data).hexdigest()
    document.size = len(signed.data)
    document.content_type = PDF
    stem = document.name[:80] or "ket-qua"
    document.file.save(f"{stem}-ky-so.pdf", ContentFile(signed.data), save=False)
    document.save()
    change.data["signature"] = {
        "document": document.name,
        "document_id": document.pk,
        "unsigned_sha256": unsigned_sha256,
        "sha256": document.sha256,
        "certificate_sha256": signed.certificate_sha256,
        "signer": signed.signer,
        "signed_at": signed.signed_at.isoformat(),
    }
    return document
