"""Evidence files (progress reports, targets, commitments, remediation reports) pass the same
checks as a dossier's documents (``dossiers.documents``): not empty, within the size limit, a
PDF or an image by its first bytes, and stored under a safe name."""

from typing import TYPE_CHECKING

from motcua.dossiers.documents import check_upload, stored_name

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


def checked_name(upload: "UploadedFile[bytes]") -> str:
    """The name to store ``upload`` under, once it passed the checks (else a refusal on
    ``file``)."""
    return stored_name(upload.name or "", check_upload(upload))
