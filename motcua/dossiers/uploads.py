"""Resumable uploads (docs/uploads.md): a client declares a file's length, sends its bytes in
pieces at the offset the server confirms, asks the offset again after a broken connection and
goes on from there. Each piece is kept through Django's storage API as it arrives; when the
last byte is in, the pieces are joined and checked as the desk checks a scan (type by content,
size: ``documents.check_upload``). A complete upload is then named by its token in an online
submission or put into a draft. Uploads belong to the account that started them."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers import documents
from motcua.dossiers.draft_models import Upload, UploadPart
from motcua.errors import Conflict, invalid

# An unfinished upload is kept this long after it starts; then it is forgotten.
LIFETIME = dt.timedelta(hours=24)


def start_upload(owner: User, *, name: str, length: int, now: dt.datetime | None = None) -> Upload:
    """A new upload of ``length`` bytes named ``name`` (refused when empty or larger than
    ``MOTCUA_MAX_UPLOAD_BYTES``, before any byte is sent)."""
    now = now or timezone.now()
    limit = settings.MOTCUA_MAX_UPLOAD_BYTES
    if length <= 0:
        raise invalid("upload_empty", _("The file is empty."), "length")
    if length > limit:
        message = _("The file is larger than %(mb)s MB.") % {"mb": limit // 2**20}
        raise invalid("file_too_large", message, "length")
    forget_expired(now)
    return Upload.objects.create(
        owner=owner,
        token=secrets.token_urlsafe(24),
        name=documents.base_name(name)[:255] or "tep",
        length=length,
        created_at=now,
        expires_at=now + LIFETIME,
    )


def upload_of(owner: User, token: str, now: dt.datetime | None = None) -> Upload | None:
    """``owner``'s live upload ``token``; another account's is as good as none."""
    now = now or timezone.now()
    return Upload.objects.filter(owner=owner, token=token[:64], expires_at__gt=now).first()


def append(upload: Upload, *, offset: int, data: bytes) -> Upload:
    """Store ``data`` at ``offset``, which must be the bytes received so far (else
    ``upload_offset_mismatch``, 409: ask the offset and resend from there). The last piece
    completes the upload: joined and checked, or refused and forgotten."""
    with transaction.atomic():
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.complete or offset != locked.offset:
            raise Conflict(
                _("The upload has %(n)s bytes; send from there.") % {"n": locked.offset},
                code="upload_offset_mismatch",
            )
        if not data:
            return locked
        if offset + len(data) > locked.length:
            raise invalid("upload_too_long", _("More bytes than the declared length."), "body")
        part = UploadPart(upload=locked, offset=offset, size=len(data))
        part.file.save(f"{locked.token}-{offset}.part", ContentFile(data), save=False)
        part.save()
        locked.offset = offset + len(data)
        locked.save(update_fields=["offset"])
    if locked.offset == locked.length:
        _finish(locked)
    return locked


def _joined(upload: Upload) -> TemporaryUploadedFile:
    joined = TemporaryUploadedFile(upload.name, "application/octet-stream", upload.length, None)
    for part in upload.parts.order_by("offset"):
        with part.file.open("rb") as piece:
            for chunk in piece.chunks():
                joined.write(chunk)
    joined.flush()
    joined.seek(0)
    return joined


def _drop_parts(upload: Upload) -> None:
    for part in upload.parts.all():
        part.file.delete(save=False)
    upload.parts.all().delete()


def _finish(upload: Upload) -> None:
    """Join the pieces, check the file (``documents.check_upload``) and keep it; a refused
    file is deleted with its upload and the refusal raised."""
    joined = _joined(upload)
    try:
        content_type = documents.check_upload(joined)
    except Exception:
        _drop_parts(upload)
        upload.delete()
        raise
    digest = hashlib.sha256()
    joined.seek(0)
    for chunk in joined.chunks():
        digest.update(chunk)
    joined.seek(0)
    upload.file.save(documents.stored_name(upload.name, content_type), joined, save=False)
    upload.content_type = content_type
    upload.sha256 = digest.hexdigest()
    upload.save(update_fields=["file", "content_type", "sha256"])
    _drop_parts(upload)


def as_uploaded_file(upload: Upload) -> "UploadedFile[bytes]":
    """The complete upload's file, to attach like a file posted in a form."""
    stored = upload.file.open("rb")
    return UploadedFile(stored, upload.name, upload.content_type, upload.length)


def forget_expired(now: dt.datetime) -> None:
    """Delete uploads past their lifetime with their pieces and files."""
    for upload in Upload.objects.filter(expires_at__lte=now):
        _drop_parts(upload)
        if upload.file:
            upload.file.delete(save=False)
        upload.delete()


def forget(upload: Upload) -> None:
    """Delete a used upload and its file (its content now lives elsewhere)."""
    _drop_parts(upload)
    if upload.file:
        upload.file.delete(save=False)
    upload.delete()
