"""Templates and e-forms of required documents (mẫu đơn, tờ khai): uploaded by the catalogue's
keepers in the admin, downloaded from the portal's procedure page. Procedures publish their
forms with them (Decree 63/2010 art. 8 and Decree 118/2025: the published procedure includes
the forms and declarations), so the portal offers the file when the catalogue holds one."""

import datetime as dt
from pathlib import PurePosixPath

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.catalogue.models import CatalogueAction, CatalogueEvent, RequiredDocument
from motcua.errors import Refused, invalid

MAX_TEMPLATE_BYTES = 10 * 2**20
# Recognised by their first bytes, not by the name: PDF, the OOXML and OpenDocument formats (ZIP
# containers) and the older Word/Excel files (OLE compound files).
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"PK\x03\x04": "application/zip",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "application/x-ole-storage",
}
EXTENSIONS = {
    "application/pdf": {".pdf": "application/pdf"},
    "application/zip": {
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".odt": "application/vnd.oasis.opendocument.text",
        ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    },
    "application/x-ole-storage": {
        ".doc": "application/msword",
        ".xls": "application/vnd.ms-excel",
    },
}


def template_type(name: str, head: bytes) -> str | None:
    """The content type to serve a template with: its content's family and its extension must
    agree (a ``.docx`` that is a ZIP, a ``.pdf`` that is a PDF), else ``None``."""
    suffix = PurePosixPath(name).suffix.lower()
    for signature, family in SIGNATURES.items():
        if head.startswith(signature):
            return EXTENSIONS[family].get(suffix)
    return None


def check_template(upload: File) -> str:  # type: ignore[type-arg]
    """The file's content type, or a ``ValidationError`` (codes ``template_empty``,
    ``template_too_large``, ``template_type``)."""
    size = upload.size or 0
    if size == 0:
        raise invalid("template_empty", _("The file is empty."), "template")
    if size > MAX_TEMPLATE_BYTES:
        message = _("The file is larger than %(mb)s MB.") % {"mb": MAX_TEMPLATE_BYTES // 2**20}
        raise invalid("template_too_large", message, "template")
    upload.seek(0)
    found = template_type(upload.name or "", upload.read(8))
    upload.seek(0)
    if found is None:
        message = _("A template is a PDF, DOC, DOCX, XLS, XLSX, ODT or ODS file.")
        raise invalid("template_type", message, "template")
    return found


@transaction.atomic
def set_document_template(
    document: RequiredDocument,
    upload: File,  # type: ignore[type-arg]
    *,
    actor: User,
    now: dt.datetime | None = None,
) -> RequiredDocument:
    """Store ``upload`` as ``document``'s template (checked by ``check_template``) and record a
    ``template_set`` event on the procedure. Only a keeper of the catalogue (the permission
    to change required documents) may."""
    if not actor.has_perm("catalogue.change_requireddocument"):
        raise Refused(_("You may not change the catalogue."), code="not_catalogue_keeper")
    check_template(upload)
    name = PurePosixPath(upload.name or "template").name
    document.template.save(name, upload, save=False)
    document.save(update_fields=["template"])
    version = document.case.version
    CatalogueEvent.objects.create(
        procedure=version.procedure,
        version=version,
        action=CatalogueAction.TEMPLATE_SET,
        actor=actor,
        at=now or timezone.now(),
        data={"case": document.case.code, "document": document.code, "file": name},
    )
    return document


def served_type(document: RequiredDocument) -> str:
    """The content type a stored template is served with (``application/octet-stream`` when
    the stored file no longer reads as a template)."""
    with document.template.storage.open(document.template.name or "", "rb") as stored:
        head = stored.read(8)
    return template_type(document.template.name or "", head) or "application/octet-stream"
