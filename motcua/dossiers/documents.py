"""Dossier documents: scans and uploads, checked and kept through Django's storage API."""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.transitions import acting
from motcua.dossiers.workflow import Action

# Scans and uploads: PDF and common image formats, recognised by their first bytes rather than
# by the name or the browser's claim.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def check_upload(upload: "UploadedFile[bytes]") -> str:
    """The content type sniffed from the file's first bytes, or a ``ValidationError`` on
    ``file`` when it is empty, too large or not a PDF or image. Lets a form check every file
    before any is stored."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": limit // 2**20}}
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    if content_type is None:
        raise ValidationError({"file": _("Only PDF, PNG, JPEG or TIFF files are accepted.")})
    return content_type


def attach(
    dossier: Dossier,
    *,
    actor: User,
    upload: "UploadedFile[bytes]",
    name: str = "",
    document_id: int | None = None,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> DossierDocument:
    """Attach a scan or upload to the dossier (to a checklist item when ``document_id`` is
    given), checking its type and size and keeping its SHA-256, through Django's storage API.
    Refused files are never stored."""
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    with acting(
        dossier, Action.ATTACH, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        if document_id is not None:
            document = d.documents.filter(pk=document_id).first()
            if document is None:
                raise ValidationError({"document": _("No such document in this dossier.")})
        else:
            document = DossierDocument(
                dossier=d, name=name.strip() or upload.name or "tep", form="copy"
            )
        document.sha256 = digest.hexdigest()
        document.content_type = content_type
        document.size = upload.size or 0
        document.provided = True
        upload.seek(0)
        document.file.save(upload.name or "tep", upload, save=False)
        document.save()
        change.data.update(
            {
                "document": document.name,
                "sha256": document.sha256,
                "size": document.size,
                "content_type": content_type,
            }
        )
    return document
