"""Dossier documents: scans and uploads, checked and kept through Django's storage API."""

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.validators import clean_line
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.transitions import acting
from motcua.dossiers.workflow import Action, Status
from motcua.errors import invalid

# Scans and uploads: PDF and common image formats, recognised by their first bytes rather than
# by the name or the browser's claim.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
}


# The extensions a file name may end with for each type; the stored name ends with the first.
EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/tiff": (".tif", ".tiff"),
}
# Stored names are short ASCII: the original name (up to the limits of the columns) is the
# document's name; the file on disk needs none of its characters, and a long or odd name must
# not reach the file system (a 300-character name is an OSError on most of them).
STORED_STEM_LENGTH = 60
UNSAFE_RE = re.compile(r"[^A-Za-z0-9]+")
DOCUMENT_NAME_LENGTH = DossierDocument._meta.get_field("name").max_length or 500


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def base_name(name: str) -> str:
    """The last part of an uploaded file's name, whichever system's separators it uses, as one
    line of composed text without invisible characters."""
    return clean_line(PureWindowsPath(PurePosixPath(name or "").name).name)


def stored_name(name: str, content_type: str) -> str:
    """A safe name for the file on disk: the ASCII letters and digits of the name's stem
    (accents dropped, "đ" as "d"), at most ``STORED_STEM_LENGTH`` characters, and the
    extension of the detected type: ``Giấy đề nghị (bản 2).PDF`` → ``giay-de-nghi-ban-2.pdf``."""
    stem = PurePosixPath(base_name(name)).stem.replace("đ", "d").replace("Đ", "D")
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    safe = UNSAFE_RE.sub("-", ascii_stem).strip("-").lower()[:STORED_STEM_LENGTH].strip("-")
    return f"{safe or 'tep'}{EXTENSIONS[content_type][0]}"


def check_upload(upload: "UploadedFile[bytes]") -> str:
    """The content type sniffed from the file's first bytes, or a ``ValidationError`` on
    ``file`` when it is empty, too large, not a PDF or image, or named with the extension of
    another type (``invoice.pdf.exe``). Lets a form check every file before any is stored."""
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError({"file": ValidationError(_("The file is empty."), code="empty")})
    if upload.size > limit:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("The file is larger than %(mb)s MB.") % {"mb": limit // 2**20},
                    code="file_too_large",
                )
            }
        )
    upload.seek(0)
    content_type = sniff_content_type(upload.read(16))
    if content_type is None:
        raise ValidationError(
            {
                "file": ValidationError(
                    _("Only PDF, PNG, JPEG or TIFF files are accepted."), code="file_type"
                )
            }
        )
    suffix = PurePosixPath(base_name(upload.name or "")).suffix.lower()
    # A name without an extension is given the detected type's; any other must agree with it.
    if suffix and suffix not in EXTENSIONS[content_type]:
        raise ValidationError(
            {
                "file": ValidationError(
                    _(
                        "The file's name ends in “%(suffix)s” but its content is %(kind)s: "
                        "rename it to end in %(expected)s, or choose the right file."
                    )
                    % {
                        "suffix": suffix,
                        "kind": EXTENSIONS[content_type][0].lstrip(".").upper(),
                        "expected": " / ".join(EXTENSIONS[content_type]),
                    },
                    code="file_extension_mismatch",
                )
            }
        )
    return content_type


def attach(
    dossier: Dossier,
    *,
    actor: User,
    upload: "UploadedFile[bytes]",
    name: str = "",
    document_id: int | None = None,
    result: bool = False,
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> DossierDocument:
    """Attach a scan or upload to the dossier (to a checklist item when ``document_id`` is
    given), checking its type and size and keeping its SHA-256, through Django's storage API.
    Refused files are never stored. ``result`` marks the file as the result issued (the
    electronic copy returned to the applicant), only while the dossier is processed."""
    content_type = check_upload(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    with acting(
        dossier, Action.ATTACH, actor=actor, now=now, expected_revision=expected_revision
    ) as change:
        d = change.dossier
        if result and change.old_status != Status.PROCESSING:
            raise invalid(
                "result_file_not_now",
                _("The result is attached by the officer processing the dossier, before it is "
                  "approved."),
                "result",
            )  # fmt: skip
        if document_id is not None:
            document = d.documents.filter(pk=document_id).first()
            if document is None:
                raise invalid(
                    "no_such_document", _("No such document in this dossier."), "document"
                )
        else:
            given = clean_line(name) or base_name(upload.name or "") or "tep"
            document = DossierDocument(dossier=d, name=given[:DOCUMENT_NAME_LENGTH], form="copy")
        document.sha256 = digest.hexdigest()
        document.content_type = content_type
        document.size = upload.size or 0
        document.provided = True
        document.result = document.result or result
        upload.seek(0)
        document.file.save(stored_name(upload.name or "", content_type), upload, save=False)
        document.save()
        change.data.update(
            {
                "document": document.name,
                "document_id": document.pk,
                "sha256": document.sha256,
                "size": document.size,
                "content_type": content_type,
            }
        )
        if result:
            change.data["result"] = True
    return document
