"""Every write to feedback (phản ánh, kiến nghị; Decree 20/2008/NĐ-CP): submit, route, transfer,
draft, send back, approve, publish. Each runs in a transaction, locks the feedback, checks the
workflow table (``workflow.RULES``) and the actor's roles, saves with ``update_fields`` and
appends a ``FeedbackEvent``."""

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.accounts.validators import clean_line
from motcua.catalogue.models import AssignmentRole, Procedure
from motcua.catalogue.text import search_key
from motcua.dossiers.codes import new_tracking_pin
from motcua.dossiers.deadlines import iso
from motcua.dossiers.documents import base_name, check_upload, stored_name
from motcua.errors import Refused, invalid
from motcua.feedback import deadlines, event_hooks, notices
from motcua.feedback.codes import next_code
from motcua.feedback.models import Feedback, FeedbackAttachment, FeedbackEvent, Subject
from motcua.feedback.permissions import may_take
from motcua.feedback.workflow import Action, Status, allowed_from, target_of

MAX_ATTACHMENTS = 5
ROUTED_FIELDS = ["agency", "status", "routed_at", "due_at", "updated_at"]
# What the workflow's actions change (nothing else is ever written after submission).
CHANGING_FIELDS = [
    *ROUTED_FIELDS, "answer", "drafted_by", "answered_at", "published_at", "search_text",
]  # fmt: skip


@dataclass
class Submission:
    """What the sender typed. With no account and neither a name nor a contact it is anonymous:
    recorded, not processed (Decree 20/2008/NĐ-CP, as amended by Decree 92/2017/NĐ-CP, asks for
    the sender's name, address and contact; see docs/feedback.md)."""

    subject: str
    title: str
    content: str
    procedure_code: str = ""
    name: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    consent_to_publish: bool = False
    files: Sequence["UploadedFile[bytes]"] = field(default_factory=list)


def _procedure(code: str) -> Procedure | None:
    if not code.strip():
        return None
    procedure = Procedure.objects.filter(code=code.strip()).first()
    if procedure is None:
        raise invalid("no_such_procedure", _("No procedure has this code."), "procedure_code")
    return procedure


def competent_agency(procedure: Procedure | None) -> Agency | None:
    """The agency that decides on the procedure when the province assigned exactly one: the
    feedback goes there at once; otherwise the reform officer chooses."""
    if procedure is None:
        return None
    agencies = list(
        Agency.objects.filter(
            procedure_assignments__procedure=procedure,
            procedure_assignments__role=AssignmentRole.COMPETENT,
        ).distinct()[:2]
    )
    return agencies[0] if len(agencies) == 1 else None


def _check(submission: Submission, actor: User | None) -> bool:
    """Validate; return whether the sender is identified (signed in, or a name with a way to
    reach them)."""
    if submission.subject not in Subject.values:
        raise invalid("feedback_subject", _("Choose what the feedback is about."), "subject")
    if not clean_line(submission.title):
        raise invalid("feedback_title_required", _("Give the feedback a title."), "title")
    if not submission.content.strip():
        raise invalid("feedback_content_required", _("Write the feedback."), "content")
    if len(submission.files) > MAX_ATTACHMENTS:
        raise invalid(
            "too_many_attachments",
            _("At most %(n)s files may be attached.") % {"n": MAX_ATTACHMENTS},
            "files",
        )
    if actor is not None and actor.is_authenticated:
        return True
    name = clean_line(submission.name)
    contact = submission.phone.strip() or submission.email.strip() or submission.address.strip()
    if name and not contact:
        raise invalid(
            "feedback_contact_required",
            _("Give an address, a phone number or an e-mail so that the answer can reach you."),
            "phone",
        )
    return bool(name)


def _event(
    feedback: Feedback,
    action: Action,
    old: str,
    *,
    actor: User | None,
    now: dt.datetime,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> FeedbackEvent:
    event = FeedbackEvent.objects.create(
        feedback=feedback,
        action=action,
        old_status=old,
        new_status=feedback.status,
        actor=actor,
        agency=feedback.agency,
        at=now,
        reason=reason,
        data=data or {},
    )
    event_hooks.announce(event)
    return event


def submit_feedback(
    submission: Submission, *, actor: User | None, now: dt.datetime | None = None
) -> Feedback:
    """Record a feedback with its code and PIN. An identified one is received and, when its
    procedure has one competent agency, routed there with its deadline; an anonymous one is
    recorded and not processed. Files are checked before anything is stored."""
    now = now or timezone.now()
    identified = _check(submission, actor)
    procedure = _procedure(submission.procedure_code)
    types = [check_upload(upload) for upload in submission.files]
    signed_in = actor if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        feedback = Feedback(
            code=next_code(timezone.localdate(now)),
            tracking_pin=new_tracking_pin(),
            status=Status.RECEIVED if identified else Status.RECORDED,
            subject=submission.subject,
            procedure=procedure,
            title=clean_line(submission.title)[:200],
            content=submission.content.strip(),
            owner=signed_in,
            sender_name=clean_line(submission.name) or (signed_in.full_name if signed_in else ""),
            sender_address=clean_line(submission.address),
            sender_phone=submission.phone.strip() or (signed_in.phone if signed_in else ""),
            sender_email=submission.email.strip() or (signed_in.email if signed_in else ""),
            consent_to_publish=submission.consent_to_publish and identified,
            submitted_at=now,
        )
        feedback.save()
        for upload, content_type in zip(submission.files, types, strict=True):
            _attach(feedback, upload, content_type)
        action = Action.SUBMIT if identified else Action.RECORD
        _event(feedback, action, "", actor=signed_in, now=now,
               data={"attachments": len(types)})  # fmt: skip
        agency = competent_agency(procedure) if identified else None
        if agency is not None:
            _route(feedback, agency, now=now)
            feedback.save(update_fields=ROUTED_FIELDS)
            _event(feedback, Action.ASSIGN, Status.RECEIVED, actor=None, now=now,
                   reason=_("Routed to the procedure's competent agency."),
                   data={"agency": agency.code, "due_at": _iso(feedback.due_at)})  # fmt: skip
    return feedback


def _attach(feedback: Feedback, upload: "UploadedFile[bytes]", content_type: str) -> None:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    attachment = FeedbackAttachment(
        feedback=feedback,
        name=(base_name(upload.name or "") or "tep")[:255],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
    )
    upload.seek(0)
    attachment.file.save(stored_name(upload.name or "", content_type), upload, save=False)
    attachment.save()


def _iso(at: dt.datetime | None) -> str:
    """In Vietnam's time, as the dossiers' events write instants."""
    return iso(at) if at else ""


def _route(feedback: Feedback, agency: Agency, *, now: dt.datetime) -> None:
    """Hand the feedback to ``agency``: its deadline is counted from now on its calendar."""
    feedback.agency = agency
    feedback.status = Status.ASSIGNED
    feedback.routed_at = now
    feedback.due_at = deadlines.answer_due(agency, now)


@dataclass
class Change:
    feedback: Feedback
    old_status: str
    data: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


@contextmanager
def _acting(feedback_id: int, action: Action, *, actor: User, now: dt.datetime) -> Iterator[Change]:
    """Lock the feedback, check the table and the actor's roles, let the caller change it,
    then set the table's status, save and append the event."""
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
        if not may_take(actor, action, feedback):
            raise Refused(
                _("Your roles do not allow this action on this feedback."),
                code="feedback_action_not_allowed",
            )
        if not allowed_from(action, feedback.status):
            raise Refused(
                _("This action is not possible while the feedback is “%(status)s”.")
                % {"status": Status(feedback.status).label},
                code="feedback_wrong_status",
            )
        change = Change(feedback, feedback.status)
        yield change
        feedback.status = target_of(action, change.old_status)
        feedback.save(update_fields=CHANGING_FIELDS)
        _event(feedback, action, change.old_status, actor=actor, now=now,
               reason=change.reason, data=change.data)  # fmt: skip


def _agency(agency_code: str) -> Agency:
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None or agency.valid_to is not None:
        raise invalid("no_such_agency", _("No agency in force has this code."), "agency")
    return agency


def assign_feedback(
    feedback: Feedback, *, agency_code: str, actor: User, now: dt.datetime | None = None
) -> Feedback:
    """The reform officer routes a received feedback to the competent agency."""
    now = now or timezone.now()
    agency = _agency(agency_code)
    with _acting(feedback.pk, Action.ASSIGN, actor=actor, now=now) as change:
        _route(change.feedback, agency, now=now)
        change.data = {"agency": agency.code, "due_at": _iso(change.feedback.due_at)}
    return change.feedback


def transfer_feedback(
    feedback: Feedback,
    *,
    agency_code: str,
    reason: str,
    actor: User,
    now: dt.datetime | None = None,
) -> Feedback:
    """Hand the feedback to another agency (this one is not competent), with a reason; the
    new agency's time runs from its receipt. A draft is dropped: the new agency answers."""
    now = now or timezone.now()
    agency = _agency(agency_code)
    if not reason.strip():
        raise invalid("reason_required", _("Say why it is transferred."), "reason")
    with _acting(feedback.pk, Action.TRANSFER, actor=actor, now=now) as change:
        f = change.feedback
        if f.agency_id == agency.pk:
            raise invalid("transfer_same_agency", _("It is already with this agency."), "agency")
        old_agency = f.agency.code if f.agency else ""
        f.answer, f.drafted_by = "", None
        _route(f, agency, now=now)
        change.reason = reason.strip()
        change.data = {"from": old_agency, "agency": agency.code, "due_at": _iso(f.due_at)}
    return change.feedback


def draft_answer(
    feedback: Feedback, *, answer: str, actor: User, now: dt.datetime | None = None
) -> Feedback:
    """The specialist writes (or rewrites) the answer for the leader's approval."""
    now = now or timezone.now()
    if not answer.strip():
        raise invalid("answer_required", _("Write the answer."), "answer")
    with _acting(feedback.pk, Action.DRAFT, actor=actor, now=now) as change:
        change.feedback.answer = answer.strip()
        change.feedback.drafted_by = actor
        change.data = {"length": len(answer.strip())}
    return change.feedback


def return_draft(
    feedback: Feedback, *, reason: str, actor: User, now: dt.datetime | None = None
) -> Feedback:
    """The leader sends the draft back with what to change."""
    now = now or timezone.now()
    if not reason.strip():
        raise invalid("reason_required", _("Say what to change."), "reason")
    with _acting(feedback.pk, Action.RETURN, actor=actor, now=now) as change:
        change.reason = reason.strip()
    return change.feedback


def approve_answer(feedback: Feedback, *, actor: User, now: dt.datetime | None = None) -> Feedback:
    """A leader of the holding agency approves the draft: the feedback is answered (on time or
    late against its stored ``due_at``) and the sender is told. The drafter does not approve
    their own draft."""
    now = now or timezone.now()
    with _acting(feedback.pk, Action.APPROVE, actor=actor, now=now) as change:
        f = change.feedback
        if f.drafted_by_id == actor.pk:
            raise Refused(
                _("The answer is approved by a leader other than its drafter."),
                code="feedback_own_draft",
            )
        f.answered_at = now
        change.data = {"on_time": f.due_at is None or now <= f.due_at}
        notices.tell_sender_answered(f, now=now)
    return change.feedback


def publish_answer(feedback: Feedback, *, actor: User, now: dt.datetime | None = None) -> Feedback:
    """Publish an approved answer on the portal, only when the sender consented; the sender's
    name and contact are never published."""
    now = now or timezone.now()
    with _acting(feedback.pk, Action.PUBLISH, actor=actor, now=now) as change:
        f = change.feedback
        if not f.consent_to_publish:
            raise Refused(
                _("The sender did not consent to publication."), code="feedback_no_consent"
            )
        f.published_at = now
        f.search_text = search_key(f"{f.title} {f.content} {f.answer}")
    return change.feedback
