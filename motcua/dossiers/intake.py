"""Creating dossiers: online submission, reception at the desk (in person or by post), refusal.

Decree 118/2025/NĐ-CP art. 15–17 (earlier Decree 61/2018 art. 15–19): the desk checks
completeness, issues the receipt with the appointment (Form 01), or guides the applicant to
complete the file (Form 02), or refuses with reasons (Form 03)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role, User
from motcua.accounts.validators import clean_line, clean_number, validate_lines
from motcua.catalogue.models import AssignmentRole, Case, TimeUnit, VersionStatus
from motcua.catalogue.text import search_key
from motcua.dossiers import codes, event_hooks, extra_papers, rollup
from motcua.dossiers.deadlines import iso
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.extra_paper_models import ExtraPaperSource
from motcua.dossiers.extra_papers import ExtraPaper
from motcua.dossiers.models import (
    MAX_POSTAL_ADDRESS,
    ApplicantKind,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierStep,
    ReturnMethod,
)
from motcua.dossiers.notices import notify_applicant
from motcua.dossiers.permissions import intake_grants
from motcua.dossiers.steps import plan_steps, spec_of, start_step
from motcua.dossiers.workflow import NONE, Action, Channel, Status, find_rule
from motcua.errors import invalid
from motcua.workdays import clock


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    kind: str = ApplicantKind.PERSON
    address: str = ""
    phone: str = ""
    email: str = ""
    proxy_name: str = ""
    proxy_id_number: str = ""
    proxy_phone: str = ""
    notify_by_email: bool = True
    notify_by_sms: bool = True

    def __post_init__(self) -> None:
        # Names composed (NFC) and numbers without invisible characters, whoever enters them.
        for key in ("name", "proxy_name"):
            object.__setattr__(self, key, clean_line(getattr(self, key)))
        for key in ("id_number", "proxy_id_number"):
            object.__setattr__(self, key, clean_number(getattr(self, key)))


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the required-documents checklist as the desk ticked it."""

    required_id: int | None
    name: str = ""
    provided: bool = True
    copies: int | None = None
    form: str = ""
    # A paper outside the case's published list (``required_id`` None) that the desk asks for
    # needs the legal basis the officer types (``extra_papers.py``).
    legal_basis: str = ""


@dataclass
class Intake:
    """What the desk or the citizen entered, validated against the case."""

    case: Case
    applicant: Applicant
    channel: str
    checklist: list[ChecklistItem] = field(default_factory=list)
    # How the applicant asks to receive the result (``ReturnMethod``; empty: not said, decided
    # at the return) and, for the public post, where to (``check_return``).
    return_method: str = ""
    postal_address: str = ""


def _check_case_in_force(case: Case, on: dt.date) -> None:
    version = case.version
    ended = version.effective_to is not None and version.effective_to < on
    if version.effective_from > on or ended or version.status != VersionStatus.PUBLISHED:
        raise ValidationError(
            _("Procedure %(code)s is not in force on %(date)s.")
            % {"code": version.procedure.code, "date": on.strftime("%d/%m/%Y")},
            code="procedure_not_in_force",
        )


def check_reception(case: Case, agency: Agency, on: dt.date) -> None:
    """Refuse a dossier at ``agency`` unless it is open on ``on``, has a reception desk (an
    officer holding the desk role there) and is assigned by the province to receive the
    procedure: a dossier is received only at the one-stop section or centre the published
    list names for the procedure (Decree 118/2025 art. 15; earlier Decree 61/2018 art. 15)."""
    if not agency.is_valid_on(on):
        raise ValidationError(
            _("%(agency)s is closed on %(date)s: the dossier goes to its successor.")
            % {"agency": agency.name, "date": on.strftime("%d/%m/%Y")},
            code="agency_closed",
        )
    if not permissions.holders_of(Role.DESK_OFFICER, agency, on).exists():
        raise ValidationError(
            _("%(agency)s has no reception desk and does not receive dossiers.")
            % {"agency": agency.name},
            code="agency_has_no_desk",
        )
    procedure = case.version.procedure
    if not procedure.assignments.filter(agency=agency, role=AssignmentRole.RECEIVING).exists():
        raise ValidationError(
            _("%(agency)s does not receive dossiers of procedure %(code)s.")
            % {"agency": agency.name, "code": procedure.code},
            code="procedure_not_received_here",
        )


def lead_agency_for(case: Case, receiving: Agency, on: dt.date | None = None) -> Agency:
    """The competent agency for a dossier received at ``receiving``, among the open agencies
    the province assigns to decide the procedure: the receiving agency itself, else the closest
    one above it (a commune centre's People's Committee), else the only one there is, else
    the only one serving the same administrative unit, else the only one beside it under the
    same parent (the provincial centre's department). Without any competent agency assigned,
    the receiving agency handles it. Anything else (none of these, or several alike) is
    refused: a dossier must never land at an arbitrary agency whose officers would then read
    it."""
    day = on or timezone.localdate()
    competent = [
        a
        for a in Agency.objects.filter(
            procedure_assignments__procedure=case.version.procedure,
            procedure_assignments__role=AssignmentRole.COMPETENT,
        )
        .select_related("calendar")
        .order_by("code")
        if a.is_valid_on(day)
    ]
    assigned = AssignmentRole.COMPETENT
    if not competent and not case.version.procedure.assignments.filter(role=assigned).exists():
        return receiving
    by_id = {a.pk: a for a in competent}
    chain: list[int] = []
    node: Agency | None = receiving
    while node is not None and node.pk not in chain:
        chain.append(node.pk)
        node = node.parent
    for agency_id in chain:
        if agency_id in by_id:
            return by_id[agency_id]
    for alike in (
        competent,
        [a for a in competent if receiving.unit_id and a.unit_id == receiving.unit_id],
        [a for a in competent if receiving.parent_id and a.parent_id == receiving.parent_id],
    ):
        if len(alike) == 1:
            return alike[0]
    raise ValidationError(
        _(
            "The competent agency for procedure %(code)s cannot be determined from %(agency)s; "
            "the province must assign one for this place."
        )
        % {"code": case.version.procedure.code, "agency": receiving.name},
        code="lead_agency_undetermined",
    )


def extra_papers_of(intake: Intake) -> list[ExtraPaper]:
    """The checklist's papers outside the case's published list, with their legal bases;
    refuses one without its basis (code ``extra_paper_without_legal_basis``): a desk must not
    ask for papers the published procedure does not require (Decree 61/2018 art. 5)."""
    listed = [i for i in intake.checklist if i.required_id is None]
    for item in listed:
        if not item.name.strip():
            raise invalid("document_name_required", _("Every document needs a name."))
    papers = [ExtraPaper(i.name, i.legal_basis) for i in listed]
    return extra_papers.clean(papers, "checklist")


def _documents(dossier: Dossier, intake: Intake) -> list[DossierDocument]:
    required = {d.pk: d for d in intake.case.documents.all()}
    unknown = [i.required_id for i in intake.checklist if i.required_id not in (None, *required)]
    if unknown:
        raise ValidationError(
            _("These documents are not required by the case: %(ids)s")
            % {"ids": ", ".join(str(i) for i in unknown)},
            code="document_not_required",
        )
    rows = []
    for item in intake.checklist:
        doc = required.get(item.required_id) if item.required_id else None
        name = item.name or (doc.name if doc else "")
        if not name:
            raise invalid("document_name_required", _("Every document needs a name."))
        basis = "" if doc else clean_line(item.legal_basis)
        rows.append(
            DossierDocument(
                dossier=dossier,
                required=doc,
                name=name,
                form=item.form or (doc.form if doc else "copy"),
                copies=item.copies if item.copies is not None else (doc.copies if doc else 1),
                provided=item.provided,
                legal_basis=basis,
            )
        )
    return rows


def missing_documents(intake: Intake) -> list[str]:
    """Mandatory documents of the case not ticked as provided (what Form 02 lists)."""
    provided = {i.required_id for i in intake.checklist if i.provided}
    return [d.name for d in intake.case.documents.all() if d.mandatory and d.pk not in provided]


def check_return(intake: Intake) -> tuple[str, str]:
    """The return method and the postal address of ``intake``, checked: a result returned by
    public post (bưu chính công ích; Decision 17/2011/QĐ-TTg, Decree 118/2025 — article to
    verify) needs the address it is sent to. The address is kept only for the post."""
    method = (intake.return_method or "").strip()
    if method and method not in ReturnMethod.values:
        raise invalid("return_method", _("Choose how the result is returned."), "return_method")
    address = " ".join((intake.postal_address or "").split())
    if method != ReturnMethod.POST:
        return method, ""
    if not address:
        raise invalid(
            "postal_address_required",
            _("A result returned by public post needs the postal address to send it to."),
            "postal_address",
        )
    if len(address) > MAX_POSTAL_ADDRESS:
        raise invalid(
            "postal_address_too_long",
            _("The postal address has at most %(n)s characters.") % {"n": MAX_POSTAL_ADDRESS},
            "postal_address",
        )
    return method, address


def _new_dossier(
    intake: Intake,
    agency: Agency,
    status: str,
    now: dt.datetime,
    owner: User | None,
    desk: User | None = None,
) -> Dossier:
    """The dossier with its checklist; at the desk (``desk`` the officer), the checklist's
    papers beyond the published list are checked for their legal basis and counted."""
    papers = extra_papers_of(intake) if desk is not None else []
    _check_case_in_force(intake.case, timezone.localdate(now))
    check_reception(intake.case, agency, timezone.localdate(now))
    a = intake.applicant
    if not a.name.strip():
        raise invalid(
            "applicant_name_required", _("The applicant's name is required."), "applicant_name"
        )
    return_method, postal_address = check_return(intake)
    lead = lead_agency_for(intake.case, agency, timezone.localdate(now))
    dossier = Dossier(
        code=codes.next_code(agency, timezone.localdate(now)),
        tracking_pin=codes.new_tracking_pin(),
        version=intake.case.version,
        case=intake.case,
        channel=intake.channel,
        status=status,
        applicant_kind=a.kind,
        applicant_name=a.name.strip(),
        applicant_name_search=search_key(a.name),
        applicant_id_number=a.id_number.strip(),
        applicant_address=a.address,
        applicant_phone=a.phone,
        applicant_email=a.email,
        notify_by_email=a.notify_by_email,
        notify_by_sms=a.notify_by_sms,
        proxy_name=a.proxy_name,
        proxy_id_number=a.proxy_id_number,
        proxy_phone=a.proxy_phone,
        return_method=return_method,
        postal_address=postal_address,
        owner=owner,
        receiving_agency=agency,
        lead_agency=lead,
        current_agency=agency,
        fees_due=sum((f.amount for f in intake.case.fees.all()), Decimal(0)),
    )
    dossier.full_clean(exclude=["current_step", "version", "case"])
    dossier.save()
    DossierDocument.objects.bulk_create(_documents(dossier, intake))
    extra_papers.record(
        dossier, papers, source=ExtraPaperSource.CHECKLIST, actor=desk, agency=agency, at=now
    )
    dossier.refresh_from_db(fields=["extra_papers"])
    return dossier


def _event(
    dossier: Dossier,
    action: str,
    old: str,
    actor: User | None,
    at: dt.datetime,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        old_status=old,
        new_status=dossier.status,
        actor=actor,
        agency=dossier.current_agency,
        at=at,
        reason=reason,
        data=data or {},
    )
    notify_applicant(event)  # receipt and refusal tell the applicant, after commit
    event_hooks.announce(event)  # the layers above (the national outbox), same transaction
    return event


def _check(actor: User, agency: Agency, action: Action, source: str) -> None:
    if find_rule(action, source, intake_grants(actor, agency)) is None:
        raise ActionRefused(
            _("You may not take the action “%(action)s” for a dossier at %(agency)s.")
            % {"action": action.label, "agency": agency.name},
            code="action_not_allowed",
        )


def start_clock(
    dossier: Dossier, *, actor: User, now: dt.datetime, old: str, data: dict[str, Any]
) -> Dossier:
    """Receipt: the clock starts (15:00 cut-off and office hours applied), the appointment is
    set, the steps are planned and the desk's step begins. Records the RECEIVE event with the
    appointment's explanation (what Form 01 prints)."""
    case = dossier.case
    spec = spec_of(dossier.receiving_agency)
    dossier.received_at = now
    dossier.receipt_number = codes.next_receipt_number(
        dossier.receiving_agency, timezone.localdate(now).year
    )
    dossier.clock_started_at = clock.effective_start(now, spec)
    explanation: list[dict[str, Any]] = []
    if case.time_unit != TimeUnit.NONE and case.processing_time is not None:
        result = clock.due(now, case.processing_time, case.time_unit, spec)
        dossier.due_at = result.due_at
        explanation = [item.as_dict() for item in result.explanation]
    dossier.status = Status.RECEIVED
    dossier.revision += 1
    steps = plan_steps(dossier, case)
    DossierStep.objects.bulk_create(steps)
    first = dossier.steps.order_by("position").first()
    assert first is not None  # noqa: S101 - plan_steps always plans one
    start_step(first, dossier.clock_started_at)
    if first.role != Role.DESK_OFFICER:
        # No desk step in the process: the dossier goes to the competent department at once.
        dossier.status = Status.PROCESSING
    dossier.current_step = first
    dossier.current_agency = first.agency
    dossier.save()
    rollup.apply(None, rollup.fact(dossier))  # status 1 and new dossiers are outside reports
    _event(
        dossier,
        Action.RECEIVE,
        old,
        actor,
        now,
        data={
            **data,
            "received_at": iso(now),
            "receipt_number": dossier.receipt_number,
            "clock_started_at": iso(dossier.clock_started_at),
            "due_at": iso(dossier.due_at) if dossier.due_at else None,
            "explanation": explanation,
        },
    )
    return dossier


@transaction.atomic
def receive_new_dossier(
    intake: Intake, *, agency: Agency, actor: User, now: dt.datetime | None = None
) -> Dossier:
    """A dossier brought to the desk (in person) or arriving by post, found complete."""
    now = now or timezone.now()
    _check(actor, agency, Action.RECEIVE, NONE)
    if intake.channel == Channel.ONLINE:
        raise invalid(
            "online_dossier_submitted_first",
            _("Online dossiers are submitted by the applicant first."),
        )
    missing = missing_documents(intake)
    if missing:
        raise ValidationError(
            _("The dossier is incomplete; request a supplement (Form 02) instead. Missing: %(d)s")
            % {"d": "; ".join(missing)},
            code="dossier_incomplete",
        )
    dossier = _new_dossier(intake, agency, Status.RECEIVED, now, owner=None, desk=actor)
    return start_clock(
        dossier,
        actor=actor,
        now=now,
        old=NONE,
        data={"checklist": _checklist_data(dossier)},
    )


@transaction.atomic
def submit_online(
    intake: Intake, *, agency: Agency, actor: User, now: dt.datetime | None = None
) -> Dossier:
    """A citizen submits online (Decree 45/2020 art. 9): the dossier waits, status 1, for the
    desk to check and receive it; the clock starts at receipt."""
    now = now or timezone.now()
    _check(actor, agency, Action.SUBMIT, NONE)
    version = intake.case.version
    if version.online_level == "none":
        raise ValidationError(
            _("Procedure %(code)s cannot be submitted online.") % {"code": version.procedure.code},
            code="not_online",
        )
    intake.channel = Channel.ONLINE
    dossier = _new_dossier(intake, agency, Status.NEW, now, owner=actor)
    dossier.submitted_at = now
    dossier.save(update_fields=["submitted_at"])
    _event(dossier, Action.SUBMIT, NONE, actor, now, data={"checklist": _checklist_data(dossier)})
    return dossier


@transaction.atomic
def refuse_at_desk(
    intake: Intake,
    *,
    agency: Agency,
    actor: User,
    reasons: list[str],
    now: dt.datetime | None = None,
) -> Dossier:
    """Form 03: the desk refuses a walk-in or postal dossier, with reasons; it is recorded with
    a code so the refusal can be printed and counted."""
    now = now or timezone.now()
    _check(actor, agency, Action.REFUSE, NONE)
    reasons = [r.strip() for r in reasons if r.strip()]
    if not reasons:
        raise invalid(
            "refusal_reason_required", _("Give at least one reason for the refusal."), "reasons"
        )

    validate_lines(reasons, "reasons")  # Form 03 prints them all
    dossier = _new_dossier(intake, agency, Status.NOT_ACCEPTED, now, owner=None, desk=actor)
    dossier.finished_at = now
    dossier.revision += 1
    dossier.save(update_fields=["finished_at", "revision"])
    _event(dossier, Action.REFUSE, NONE, actor, now, reason="\n".join(reasons),
           data={"reasons": reasons})  # fmt: skip
    return dossier


def _checklist_data(dossier: Dossier) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for d in dossier.documents.all():
        row: dict[str, Any] = {
            "name": d.name, "form": d.form, "copies": d.copies, "provided": d.provided
        }  # fmt: skip
        if d.legal_basis:
            row["legal_basis"] = d.legal_basis
        rows.append(row)
    return rows
