"""What the applicant sees of their dossier and does with it online (the portal's "my
dossiers"): the events that are theirs to see, the forms addressed to them, how the due date was
reached, and answering a supplement request with the missing papers.

Decree 118/2025 (the one-stop system lets the applicant follow the dossier and supplement it
online; Decree 45/2020 art. 11 for procedures done electronically): the applicant sees each
step that concerns them — received, supplement requested, apology and new date, result,
return — but not the officers' internal hand-overs and notes (forward, send back, transfer,
reminders), which are the agencies' working papers."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.dateparse import parse_duration
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers import documents
from motcua.dossiers.form_numbering import Form
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent, ReturnMethod
from motcua.dossiers.printing import applicable_forms
from motcua.dossiers.services import resubmit
from motcua.dossiers.steps import spec_of
from motcua.dossiers.workflow import OPEN_STATUSES, Action, Status
from motcua.errors import invalid
from motcua.workdays import clock

# The events the applicant sees on their dossier's timeline. Attachments are theirs to see only
# when they sent them or the desk scanned them at intake (``public_events``).
PUBLIC_ACTIONS = frozenset(
    {
        Action.SUBMIT,
        Action.RECEIVE,
        Action.REFUSE,
        Action.REQUEST_SUPPLEMENT,
        Action.RESUBMIT,
        Action.REQUEST_PAYMENT,
        Action.CONFIRM_PAYMENT,
        Action.COLLECT_FEE,
        Action.EXTEND,
        Action.APPROVE,
        Action.RETURN_RESULT,
        Action.HAND_TO_POST,
        Action.WITHDRAW,
        Action.STOP,
        Action.DEADLINE_MOVED,
    }
)

# The forms addressed to the applicant (Circular 03/2025/TT-VPCP, Annex I: the receipt, the
# supplement request, the refusal, the apology with the new date, the notice of stopping); the
# control sheet (Form 06) is the agencies' own record.
APPLICANT_FORMS = (Form.RECEIPT, Form.SUPPLEMENT, Form.REFUSAL, Form.APOLOGY, Form.STOP_NOTICE)

# The most files one supplement answer carries (each is checked and stored apart).
MAX_SUPPLEMENT_FILES = 20


def public_events(dossier: Dossier) -> list[DossierEvent]:
    """The dossier's events the applicant sees, oldest first: those of ``PUBLIC_ACTIONS`` and
    the attachments made before processing began or by the applicant themself."""
    owner_id = dossier.owner_id
    return [
        event
        for event in dossier.events.order_by("at", "pk")
        if event.action in PUBLIC_ACTIONS
        or (event.action == Action.ATTACH and _theirs(event, owner_id))
    ]


# Attachments seen by the applicant: at intake (newly registered, received) and while the
# dossier is being supplemented; later ones are the processing officers' working papers.
INTAKE_OR_SUPPLEMENT = frozenset({"1", "2", "5"})


def _theirs(attached: DossierEvent, owner_id: int | None) -> bool:
    mine = owner_id is not None and attached.actor_id == owner_id
    return mine or attached.old_status in INTAKE_OR_SUPPLEMENT


def sent_documents(dossier: Dossier, events: Sequence[DossierEvent]) -> list[DossierDocument]:
    """The documents the applicant sent (``events``: the dossier's ``public_events``): the
    checklist given at intake (on paper or with its file) and every file whose attachment
    the applicant sees; a processing officer's working papers are left out."""
    seen = {
        str(e.data.get("sha256"))
        for e in events
        if e.action == Action.ATTACH and isinstance(e.data, dict)
    }
    return [
        document
        for document in dossier.documents.filter(provided=True, result=False).order_by("pk")
        if not document.sha256 or document.sha256 in seen
    ]


def electronic_results(dossier: Dossier) -> list[DossierDocument]:
    """The result's files the applicant downloads: once the result is returned electronically
    into their data store (Decree 45/2020 art. 14; status 10 with the electronic method)."""
    if dossier.status != Status.RETURNED or dossier.return_method != ReturnMethod.ELECTRONIC:
        return []
    return list(dossier.documents.filter(result=True).exclude(file="").order_by("pk"))


def applicant_forms(dossier: Dossier) -> list[Form]:
    """The forms addressed to the applicant that can be printed for ``dossier`` now."""
    return [form for form in applicable_forms(dossier) if form in APPLICANT_FORMS]


def items_of(request: DossierEvent) -> list[str]:
    """What a supplement request asks for: its items, then the papers beyond the published
    list it names (``extra_papers.py``)."""
    data: dict[str, Any] = request.data if isinstance(request.data, dict) else {}
    items = [str(item) for item in data.get("items", [])]
    papers = [str(p.get("name", "")) for p in data.get("extra_papers", []) if isinstance(p, dict)]
    return items + [p for p in papers if p]


def requested_items(dossier: Dossier) -> list[str]:
    """What the latest supplement request asks for (empty when none was made)."""
    event = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-at", "-pk").first()
    return items_of(event) if event is not None else []


@dataclass(frozen=True)
class Supplied:
    """One file of a supplement answer: the item it answers (its name for the new document)."""

    item: str
    upload: "UploadedFile[bytes]"


def check_supplied(supplied: Sequence[Supplied]) -> None:
    """Refuse an answer without a file or with too many; each file is checked by
    ``documents.check_upload`` (type by content, size) by the caller, field by field."""
    if not supplied:
        raise invalid(
            "supplement_files_required",
            _("Attach at least one file for the items asked for."),
            "files",
        )
    if len(supplied) > MAX_SUPPLEMENT_FILES:
        raise invalid(
            "supplement_too_many_files",
            _("Send at most %(n)s files at once.") % {"n": MAX_SUPPLEMENT_FILES},
            "files",
        )


def answer_supplement(
    dossier: Dossier,
    *,
    actor: User,
    supplied: Sequence[Supplied],
    note: str = "",
    now: dt.datetime | None = None,
    expected_revision: int | None = None,
) -> Dossier:
    """The applicant answers a supplement request online (Decree 118/2025 art. 17(3): the time
    to supplement is not counted): every file is checked before any is stored, each is attached
    under the item it answers, and the dossier is resubmitted — all in one transaction, so a
    refusal (another status, someone acting first) leaves neither files nor event behind."""
    check_supplied(supplied)
    for one in supplied:
        documents.check_upload(one.upload)
    revision = expected_revision
    with transaction.atomic():
        for one in supplied:
            documents.attach(
                dossier, actor=actor, upload=one.upload, name=one.item, now=now,
                expected_revision=revision,
            )  # fmt: skip
            revision = None if revision is None else revision + 1
        resubmit(dossier, actor=actor, note=note.strip(), now=now, expected_revision=revision)
    return dossier


# --- the due date and how it was reached ------------------------------------------------------

# The explanation items that say why (a start moved, a day skipped, a landing moved); the days
# counted are summed up rather than listed.
WHY_STEPS = frozenset({"start_moved", "skipped", "moved"})
# The events that resume a paused clock and record how far the due date moved.
RESUMING = frozenset({Action.RESUBMIT, Action.CONFIRM_PAYMENT})


@dataclass(frozen=True)
class Why:
    """One reason the due date is where it is: a day and what happened on it."""

    date: dt.date
    text: str


@dataclass(frozen=True)
class Moved:
    """The due date moved: by a pause (waiting for the applicant; ``detail`` the working hours
    it lasted) or a calendar change (``detail`` its reason)."""

    at: dt.datetime
    action: str
    before: dt.datetime | None
    after: dt.datetime | None
    detail: str


@dataclass(frozen=True)
class DueStory:
    """The dossier's due date with how it was reached (``workdays.clock``'s explanation kept in
    the receipt's event), each later move, the apology's new date and the working days left."""

    amount: str
    unit: str
    received_at: dt.datetime | None
    clock_started_at: dt.datetime | None
    due_at: dt.datetime | None
    promised_at: dt.datetime | None
    why: list[Why]
    counted_days: int
    moves: list[Moved]
    working_days_left: Decimal | None


def _instant(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _why(event: DossierEvent | None, vietnamese: bool) -> tuple[list[Why], int]:
    items = event.data.get("explanation", []) if event is not None else []
    why, counted = [], set()
    for item in items if isinstance(items, list) else []:
        if item.get("kind") in WHY_STEPS:
            text = item.get("reason_vi" if vietnamese else "reason_en") or ""
            why.append(Why(dt.date.fromisoformat(item["date"]), str(text)))
        elif item.get("kind") == "counted":
            counted.add(item["date"])
    return why, len(counted)


def _moves(events: Sequence[DossierEvent]) -> list[Moved]:
    moves = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        if "due_after" not in data or data.get("due_after") == data.get("due_before"):
            continue
        if event.action in RESUMING:
            paused = parse_duration(str(data.get("paused_working_time", ""))) or dt.timedelta(0)
            detail = str((Decimal(paused.total_seconds()) / 3600).quantize(Decimal("0.1")))
        elif event.action == Action.DEADLINE_MOVED:
            detail = event.reason
        else:
            continue
        moves.append(
            Moved(event.at, event.action, _instant(data.get("due_before")),
                  _instant(data.get("due_after")), detail)
        )  # fmt: skip
    return moves


def working_days_left(dossier: Dossier, now: dt.datetime) -> Decimal | None:
    """Working days from ``now`` to the due date on the receiving agency's calendar, to one
    decimal (negative once overdue); ``None`` when the clock does not run (not received,
    paused, finished) or there is no due date."""
    if dossier.due_at is None or dossier.status not in OPEN_STATUSES:
        return None
    spec = spec_of(dossier.receiving_agency)
    left = clock.working_time_between(now, dossier.due_at, spec) / spec.working_day
    return Decimal(left).quantize(Decimal("0.1"))


def due_story(dossier: Dossier, *, now: dt.datetime, vietnamese: bool) -> DueStory:
    """How ``dossier``'s due date was reached, for its applicant (in Vietnamese or English)."""
    events = public_events(dossier)
    received = next((e for e in events if e.action == Action.RECEIVE), None)
    why, counted = _why(received, vietnamese)
    case = dossier.case
    amount = "" if case.processing_time is None else format(case.processing_time.normalize(), "f")
    return DueStory(
        amount=amount,
        unit=case.time_unit,
        received_at=dossier.received_at,
        clock_started_at=dossier.clock_started_at,
        due_at=dossier.due_at,
        promised_at=dossier.promised_at,
        why=why,
        counted_days=counted,
        moves=_moves(events),
        working_days_left=working_days_left(dossier, now),
    )
