"""Signed electronic results: the leader who approves signs the result document, and the
signature is recorded on the approval's event (who — the event's actor —, the certificate's
SHA-256 fingerprint, the signed document's SHA-256, the name in the certificate, the time).

The signing itself (the key on a PKCS#11 token or in a PKCS#12 file, the PIN typed at signing)
happens in the adapter that holds the key (``motcua.signing``); the engine receives the signed
bytes and keeps them as the result, the electronic copy returned to the applicant (Decree
45/2020/NĐ-CP art. 14; Decree 118/2025/NĐ-CP: the result is signed before it is returned — the
signature is the last processing step's).

The desk signs the electronic copy of the receipt (Form 01) and of the scanned papers
(``keep_signed_copy``): each signature is a ``sign`` event and a ``SignedCopy`` row."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.signed_models import SignedCopy, SignedKind
from motcua.dossiers.transitions import Change, acting
from motcua.dossiers.workflow import Action
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


def signable_scans(dossier: Dossier) -> list[DossierDocument]:
    """The scanned papers the desk can sign: the dossier's documents with a PDF file, not the
    result (the leader signs that on approval), not signed yet."""
    return list(
        dossier.documents.filter(result=False, content_type=PDF)
        .exclude(file="")
        .exclude(signed_copies__isnull=False)
        .order_by("pk")
    )


def already_signed() -> Exception:
    return invalid(
        "already_signed",
        _("This copy is already signed: a signed copy is never signed again."),
        "subject",
    )


def _check_unsigned(
    dossier: Dossier, kind: str, document: DossierDocument | None, unsigned_sha256: str
) -> None:
    """Refuse a scan of another dossier or one that changed since it was read for signing,
    and a copy already signed."""
    copies = SignedCopy.objects.filter(dossier=dossier, kind=kind)
    if document is not None:
        if document.dossier_id != dossier.pk or document.result:
            raise invalid("not_found", _("No such document in this dossier."), "subject")
        if document.sha256 != unsigned_sha256:
            raise invalid(
                "document_changed",
                _("The document changed while it was being signed: sign it again."),
                "subject",
            )
        copies = copies.filter(document=document)
    if copies.exists():
        raise already_signed()


def keep_signed_copy(
    dossier: Dossier,
    *,
    actor: User,
    signed: SignedPdf,
    unsigned_sha256: str,
    document: DossierDocument | None = None,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> SignedCopy:
    """Keep the desk's signed electronic copy of the receipt (Form 01; ``document`` None) or
    of the scanned paper ``document``, and record the signature as the dossier's ``sign``
    event (who — its actor —, the certificate's fingerprint, the document's SHA-256 before
    and after). Only the receiving desk, while the dossier is open (the workflow table);
    each copy once (``already_signed``); a scan that changed since it was read for signing
    is refused (``document_changed``)."""
    kind = SignedKind.RECEIPT if document is None else SignedKind.SCAN
    if not signed.data.startswith(b"%PDF-"):
        raise invalid("not_a_pdf", _("The document is not a readable PDF."), "subject")
    with acting(
        dossier, Action.SIGN, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        _check_unsigned(d, kind, document, unsigned_sha256)
        name = str(_("Receipt (Form 01), signed") if document is None else document.name[:480])
        copy = SignedCopy(
            dossier=d,
            kind=kind,
            document=document,
            name=name,
            size=len(signed.data),
            sha256=hashlib.sha256(signed.data).hexdigest(),
            unsigned_sha256=unsigned_sha256,
            certificate_sha256=signed.certificate_sha256,
            signer_name=signed.signer,
            signed_by=actor,
            signed_at=change.now,
        )
        stem = "mau-01" if document is None else f"giay-to-{document.pk}"
        copy.file.save(f"{d.code}-{stem}-ky-so.pdf", ContentFile(signed.data), save=False)
        copy.save()
        change.data["signature"] = {
            "kind": kind.value,
            "document": name,
            "document_id": document.pk if document is not None else None,
            "signed_copy_id": copy.pk,
            "unsigned_sha256": unsigned_sha256,
            "sha256": copy.sha256,
            "certificate_sha256": signed.certificate_sha256,
            "signer": signed.signer,
            "signed_at": signed.signed_at.isoformat(),
        }
    return copy
