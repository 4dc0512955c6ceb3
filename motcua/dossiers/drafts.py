"""Online submission by a citizen through the portal or the API: a draft per procedure and
person (resumed, never duplicated), files uploaded against the case's checklist with the
desk's checks, and the submission that turns the draft into a dossier in status 1 (waiting for
the desk to receive it), once per form token.

Decree 45/2020/NĐ-CP art. 9 (online submission: the applicant fills the e-form and attaches the
documents; the desk checks and receives it) and Decree 118/2025 art. 15 (reception)."""

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.catalogue.models import Case, Procedure, ProcedureVersion, RequiredDocument
from motcua.dossiers import documents, idempotency, intake, uploads
from motcua.dossiers.draft_models import Draft, DraftDocument, Upload
from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.dossiers.workflow import Channel
from motcua.errors import invalid, together

# What a draft keeps as typed: the applicant's fields, the return method and the address.
APPLICANT_FIELDS = ("name", "id_number", "address", "phone", "email")
ENTRY_FIELDS = (*APPLICANT_FIELDS, "return_method", "postal_address")


def prefill(user: User) -> dict[str, str]:
    """The applicant's data from the account: name, number, e-mail, phone."""
    return {
        "name": user.full_name or "",
        "id_number": user.id_number or "",
        "email": user.email or "",
        "phone": user.phone or "",
    }


def draft_for(owner: User, version: ProcedureVersion, now: dt.datetime | None = None) -> Draft:
    """``owner``'s draft for ``version``'s procedure: the one already started, else a new one
    prefilled from the account (one per procedure and person: ``one_draft_per_procedure``).
    A draft begun under an earlier version loses its case and files (the checklist changed)."""
    now = now or timezone.now()
    draft, _created = Draft.objects.get_or_create(
        owner=owner,
        procedure=version.procedure,
        defaults={"data": prefill(owner), "created_at": now, "updated_at": now},
    )
    if draft.case is not None and draft.case.version_id != version.pk:
        for row in draft.documents.all():
            row.file.delete(save=False)
            row.delete()
        draft.case = None
        draft.save(update_fields=["case"])
    return draft


def existing_draft(owner: User, procedure: Procedure) -> Draft | None:
    return Draft.objects.filter(owner=owner, procedure=procedure).first()


def save_entries(
    draft: Draft,
    *,
    case: Case | None,
    agency: Agency | None,
    data: dict[str, Any],
    now: dt.datetime | None = None,
) -> Draft:
    """Keep what was typed, as typed (valid or not: nothing is lost on a refusal)."""
    if case is not None and draft.case_id not in (None, case.pk):
        for row in draft.documents.exclude(required__case=case):  # another case's checklist
            row.file.delete(save=False)
            row.delete()
    draft.case = case
    draft.agency = agency
    draft.data = {k: str(data.get(k) or "")[:1000] for k in ENTRY_FIELDS}
    draft.updated_at = now or timezone.now()
    draft.save(update_fields=["case", "agency", "data", "updated_at"])
    return draft


def _required_of(draft: Draft, required: RequiredDocument) -> None:
    if draft.case_id is None or required.case_id != draft.case_id:
        message = _("This document is not required by the chosen case.")
        raise invalid("document_not_required", message, f"file_{required.pk}")


@transaction.atomic
def put_file(
    draft: Draft,
    required: RequiredDocument,
    upload: "UploadedFile[bytes]",
    now: dt.datetime | None = None,
) -> DraftDocument:
    """Keep ``upload`` as the draft's file for ``required`` (replacing an earlier one), after
    the desk's checks (``documents.check_upload``: type by content, size)."""
    _required_of(draft, required)
    content_type = documents.check_upload(upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    for old in DraftDocument.objects.filter(draft=draft, required=required):
        old.file.delete(save=False)
        old.delete()
    row = DraftDocument(
        draft=draft,
        required=required,
        name=documents.base_name(upload.name or "")[:255] or "tep",
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_at=now or timezone.now(),
    )
    row.file.save(documents.stored_name(upload.name or "", content_type), upload, save=False)
    row.save()
    return row


def put_upload(
    draft: Draft, required: RequiredDocument, token: str, *, owner: User
) -> DraftDocument:
    """``owner``'s complete resumable upload ``token`` put into the draft as ``required``'s
    file (``no_such_upload`` for an unknown, unfinished or another account's upload)."""
    upload = uploads.upload_of(owner, token)
    if upload is None or not upload.complete:
        message = _("No complete upload with this token for a required document.")
        raise invalid("no_such_upload", message, f"upload_{required.pk}")
    with uploads.as_uploaded_file(upload) as file:
        row = put_file(draft, required, file)
    uploads.forget(upload)
    return row


def remove_file(draft: Draft, required_id: int) -> None:
    for row in DraftDocument.objects.filter(draft=draft, required_id=required_id):
        row.file.delete(save=False)
        row.delete()


@dataclass(frozen=True)
class Line:
    """One line of the draft's checklist: the required document and its file, if any."""

    required: RequiredDocument
    file: DraftDocument | None


def checklist(draft: Draft) -> list[Line]:
    if draft.case is None:
        return []
    files = {d.required_id: d for d in draft.documents.all()}
    return [Line(r, files.get(r.pk)) for r in draft.case.documents.order_by("position")]


def intake_of(draft: Draft) -> intake.Intake:
    """The draft as the engine's ``Intake``: every document of the case in the checklist,
    provided when its file is uploaded."""
    assert draft.case is not None  # noqa: S101 - check_ready first
    data = draft.data
    organisation = draft.owner.kind == "organisation"
    typed: dict[str, Any] = {k: str(data.get(k, "")) for k in APPLICANT_FIELDS}
    applicant = intake.Applicant(
        **typed,
        kind=ApplicantKind.ORGANISATION if organisation else ApplicantKind.PERSON,
        # The account's choice of channels (notices follow the account's current one).
        notify_by_email=draft.owner.notify_by_email,
        notify_by_sms=draft.owner.notify_by_sms,
    )
    items = [
        intake.ChecklistItem(required_id=line.required.pk, provided=line.file is not None)
        for line in checklist(draft)
    ]
    return intake.Intake(
        draft.case, applicant, Channel.ONLINE, items,
        return_method=str(data.get("return_method", "")),
        postal_address=str(data.get("postal_address", "")),
    )  # fmt: skip


def check_ready(draft: Draft) -> None:
    """Refuse a draft that cannot be submitted yet: no case or desk chosen, a mandatory
    document without its file (codes ``case_required``, ``agency_required``,
    ``document_missing``)."""
    problems: list[ValidationError] = []
    if draft.case is None:
        problems.append(invalid("case_required", _("Choose the case."), "case"))
    if draft.agency is None:
        problems.append(invalid("agency_required", _("Choose where to submit."), "agency"))
    for line in checklist(draft):
        if line.required.mandatory and line.file is None:
            message = _("Upload this document: %(name)s") % {"name": line.required.name}
            problems.append(invalid("document_missing", message, f"file_{line.required.pk}"))
    if problems:
        raise together(problems)
    intake.check_return(intake_of(draft))


def _submit_now(draft: Draft, actor: User, now: dt.datetime) -> Dossier:
    check_ready(draft)
    assert draft.agency is not None  # noqa: S101 - check_ready
    dossier = intake.submit_online(intake_of(draft), agency=draft.agency, actor=actor, now=now)
    by_required = {d.required_id: d.pk for d in dossier.documents.all()}
    for line in checklist(draft):
        kept = line.file
        if kept is not None:
            with kept.file.open("rb") as stored:
                upload = UploadedFile(stored, kept.name, kept.content_type, kept.size)
                documents.attach(
                    dossier, actor=actor, upload=upload,
                    document_id=by_required[line.required.pk], now=now,
                )  # fmt: skip
    discard(draft)
    return dossier


def discard(draft: Draft) -> None:
    """Delete the draft with its files."""
    for row in draft.documents.all():
        row.file.delete(save=False)
    draft.delete()


def submit_draft(
    owner: User, procedure: Procedure, *, token: str, now: dt.datetime | None = None
) -> idempotency.Answer:
    """Submit ``owner``'s draft for ``procedure`` once per form ``token``: the dossier (status
    1, with its files attached) and the draft gone; the same token again answers with the same
    dossier (``replayed``), even after the draft is gone (``idempotency.once``)."""
    now = now or timezone.now()

    def create() -> tuple[Dossier, int, Any]:
        draft = Draft.objects.select_for_update().filter(owner=owner, procedure=procedure).first()
        if draft is None:
            raise invalid("no_draft", _("There is no draft to submit."))
        dossier = _submit_now(draft, owner, now)
        return dossier, 201, {"code": dossier.code}

    return idempotency.once(
        f"portal:{idempotency.check_key(token)}",
        actor=owner,
        fingerprint=idempotency.fingerprint("portal:submit", procedure.code),
        create=create,
        now=now,
    )


def submit_with_uploads(
    entered: intake.Intake,
    *,
    agency: Agency,
    actor: User,
    files: dict[int, Upload],
    now: dt.datetime | None = None,
) -> Dossier:
    """The API's online submission (``intake.submit_online``) with the complete resumable
    uploads ``files`` (by required document id) attached to their checklist documents, each
    then provided: all or nothing. The uploads are forgotten once the dossier is committed."""
    checklist = [
        replace(i, provided=True) if i.required_id in files else i for i in entered.checklist
    ]
    entered = replace(entered, checklist=checklist)
    with transaction.atomic():
        dossier = intake.submit_online(entered, agency=agency, actor=actor, now=now)
        by_required = {d.required_id: d.pk for d in dossier.documents.all()}
        for required_id, upload in files.items():
            with uploads.as_uploaded_file(upload) as file:
                documents.attach(
                    dossier, actor=actor, upload=file, document_id=by_required[required_id],
                    now=now,
                )  # fmt: skip
        for upload in files.values():
            transaction.on_commit(partial(uploads.forget, upload))
    return dossier
