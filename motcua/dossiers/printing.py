"""Printing a dossier's forms (Circular 03/2025/TT-VPCP, forms 01–06) as PDF.

Forms are named by kind (``form_numbering.Form``); their numbers, symbols and titles come from
the numbering in force (``MOTCUA_FORM_NUMBERING``, 2025 unless set). ``render_form(dossier,
form)`` reads the dossier, its documents, steps and events and hands plain
data to the renderers in ``printing_forms.py``; ``supplement_for_intake`` does the same for a
Form 02 printed at the desk before any dossier exists. A form that does not apply (an apology
without an apology event, the receipt before receipt) raises ``FormNotApplicable`` with a
message the officer can read."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.catalogue.models import DocumentForm, TimeUnit
from motcua.dossiers import extra_papers
from motcua.dossiers.form_numbering import Form, form_for_number, numbered
from motcua.dossiers.intake import Intake, extra_papers_of, missing_documents
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep, ReturnMethod, Timeliness
from motcua.dossiers.printing_forms import (
    Apology,
    ControlRow,
    ControlSheet,
    DocumentLine,
    Person,
    Receipt,
    Refusal,
    StopNotice,
    SupplementRequest,
    apology_pdf,
    control_sheet_pdf,
    receipt_pdf,
    refusal_pdf,
    stop_notice_pdf,
    supplement_pdf,
)
from motcua.dossiers.printing_layout import DOTS, Heading, local
from motcua.dossiers.workflow import Action

DOCUMENT_FORMS: dict[str, str] = {
    DocumentForm.ORIGINAL: "Bản chính",
    DocumentForm.CERTIFIED_COPY: "Bản sao chứng thực",
    DocumentForm.COPY: "Bản sao",
    DocumentForm.ORIGINAL_OR_CERTIFIED_COPY: "Bản chính hoặc bản sao chứng thực",
    DocumentForm.SHOWN: "Bản chính (xuất trình để đối chiếu)",
}
TIME_UNITS: dict[str, str] = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
}
TIMELINESS: dict[str, str] = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}
RETURN_METHODS: dict[str, str] = {
    ReturnMethod.IN_PERSON: "Trực tiếp",
    ReturnMethod.POST: "Qua dịch vụ bưu chính công ích",
    ReturnMethod.ELECTRONIC: "Trực tuyến",
}


class FormNotApplicable(ValueError):
    """The form cannot be printed for this dossier (unknown number, or nothing to print yet)."""

    code = "form_not_applicable"


def form_name(form: Form) -> str:
    """``Mẫu số 02 (Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)``, or the title alone for a form
    the numbering in force does not number: how messages name a form."""
    entry = numbered(form)
    return f"{entry.label} ({entry.title})" if entry.label else entry.title


def tracking_url(code: str) -> str:
    """The public tracking address printed as Form 01's QR code: ``PUBLIC_BASE_URL``, else
    ``MOTCUA_SITE_URL``."""
    site = (
        getattr(settings, "PUBLIC_BASE_URL", "")
        or getattr(settings, "MOTCUA_SITE_URL", "")
        or "http://127.0.0.1:8000"
    ).rstrip("/")
    return f"{site}/tra-cuu/{code}"


def agency_heading(
    agency: Agency,
    form: Form,
    *,
    number: str = "",
    on: dt.datetime | dt.date | None = None,
    reference: bool = True,
) -> Heading:
    """The heading of ``form`` issued by ``agency``: its number ``<number>/<symbol>`` (dots
    for a number the agency's register gives by hand) and the form's label (``Mẫu số 02``)."""
    day = local(on).date() if isinstance(on, dt.datetime) else on
    entry = numbered(form)
    if entry.symbol and not number:
        number = f"{DOTS}/{entry.symbol}"
    elif entry.symbol:
        number = f"{number}/{entry.symbol}"
    return Heading(
        agency=agency.name,
        parent=agency.parent.name if agency.parent_id and agency.parent else "",
        number=number,
        place=agency.unit.name if agency.unit_id and agency.unit else "",
        on=day,
        reference=reference,
        form_label=entry.label,
    )


def _name(user: User | None) -> str:
    return str(user) if user is not None else ""


def _sequence(code: str) -> str:
    return code.rsplit("-", 1)[-1]


def receipt_number(dossier: Dossier) -> str:
    """Form 01's number without its symbol: the agency's yearly receipt number (at least two
    digits, Decree 30/2020/NĐ-CP art. 15), or, for a dossier received before receipt numbers
    were kept (historic imports), its code's daily sequence."""
    if dossier.receipt_number is not None:
        return f"{dossier.receipt_number:02d}"
    return _sequence(dossier.code)


def applicant_of(dossier: Dossier) -> Person:
    return Person(
        name=dossier.applicant_name,
        id_number=dossier.applicant_id_number,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
    )


def request_of(dossier: Dossier) -> str:
    """The procedure's name, and the case's when it says more."""
    name = dossier.version.name
    case = dossier.case.name
    return name if case.strip().casefold() == name.strip().casefold() else f"{name} ({case})"


def statutory_time(amount: Decimal | None, unit: str) -> str:
    if unit == TimeUnit.NONE or amount is None:
        return "không quy định thời hạn"
    number = format(amount.normalize(), "f").replace(".", ",")
    return f"{number} {TIME_UNITS.get(unit, unit)}"


def _latest(dossier: Dossier, action: Action, form: Form) -> DossierEvent:
    event = (
        dossier.events.filter(action=action)
        .select_related("actor", "agency")
        .order_by("-at", "-pk")
    ).first()
    if event is None:
        raise FormNotApplicable(_no_event(dossier, action, form))
    return event


def _no_event(dossier: Dossier, action: Action, form: Form) -> str:
    return _("%(form)s does not apply to dossier %(code)s: it has no “%(action)s” event.") % {
        "form": form_name(form),
        "code": dossier.code,
        "action": action.label,
    }


def _instant(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def receipt_for(dossier: Dossier) -> Receipt:
    if dossier.received_at is None:
        raise FormNotApplicable(_not_received(dossier))
    received = _latest(dossier, Action.RECEIVE, Form.RECEIPT)
    agency = dossier.receiving_agency
    proxy = None
    if dossier.proxy_name:
        proxy = Person(dossier.proxy_name, dossier.proxy_id_number, phone=dossier.proxy_phone)
    where = ", ".join(filter(None, [agency.name, agency.address]))
    if dossier.return_method == ReturnMethod.POST and dossier.postal_address:
        # Return by public post: the address the applicant gave (``intake.check_return``).
        where = f"{RETURN_METHODS[ReturnMethod.POST]}, {dossier.postal_address}"
    return Receipt(
        heading=agency_heading(
            agency, Form.RECEIPT, number=receipt_number(dossier), on=dossier.received_at
        ),
        code=dossier.code,
        receiving_unit=agency.name,
        applicant=applicant_of(dossier),
        proxy=proxy,
        request=request_of(dossier),
        documents=[
            DocumentLine(d.name, DOCUMENT_FORMS.get(d.form, d.form), d.copies)
            for d in dossier.documents.all()
            if d.provided
        ],
        statutory_time=statutory_time(dossier.case.processing_time, dossier.case.time_unit),
        received_at=dossier.received_at,
        return_at=dossier.due_at,
        collect_at=where,
        tracking_url=tracking_url(dossier.code),
        tracking_pin=dossier.tracking_pin,
        ledger_sequence=receipt_number(dossier),
        officer=_name(received.actor),
    )


def supplement_for(dossier: Dossier) -> SupplementRequest:
    event = _latest(dossier, Action.REQUEST_SUPPLEMENT, Form.SUPPLEMENT)
    agency = event.agency or dossier.receiving_agency
    officer = event.actor
    allowed = event.data.get("allowed_by") or {}
    return SupplementRequest(
        heading=agency_heading(agency, Form.SUPPLEMENT, on=event.at),
        applicant=applicant_of(dossier),
        request=request_of(dossier),
        items=[str(i) for i in event.data.get("items", [])],
        reason=event.reason,
        code=dossier.code,
        officer=_name(officer),
        officer_phone=(officer.phone if officer else "") or agency.phone,
        request_number=int(event.data.get("request_number") or 0),
        allowed_by=str(allowed.get("name", "")),
        allowed_on=_instant(allowed.get("at")),
        allowed_reason=str(allowed.get("reason", "")),
        extra_papers=tuple(
            (x.name, x.legal_basis) for x in extra_papers.from_data(event.data.get("extra_papers"))
        ),
    )


def supplement_for_intake(
    intake: Intake,
    *,
    agency: Agency,
    officer: User,
    now: dt.datetime,
    items: list[str] | None = None,
    reason: str = "",
) -> SupplementRequest:
    """Form 02 printed at the desk for an incomplete file that was not received: the items are
    those given, or else the mandatory documents the officer did not tick; the papers beyond
    the published list the officer added follow, each with its legal basis."""
    listed = items if items is not None else missing_documents(intake)
    papers = extra_papers_of(intake)
    if not listed and not papers:
        raise FormNotApplicable(
            _("Nothing is missing: there is nothing to list on %(form)s.")
            % {"form": form_name(Form.SUPPLEMENT)}
        )
    a = intake.applicant
    return SupplementRequest(
        heading=agency_heading(agency, Form.SUPPLEMENT, on=now),
        applicant=Person(a.name, a.id_number, a.address, a.phone, a.email),
        request=intake.case.version.name,
        items=listed,
        reason=reason or "Hồ sơ chưa đầy đủ thành phần theo quy định.",
        officer=_name(officer),
        officer_phone=officer.phone or agency.phone,
        extra_papers=tuple((p.name, p.legal_basis) for p in papers),
    )


def refusal_for(dossier: Dossier) -> Refusal:
    event = _latest(dossier, Action.REFUSE, Form.REFUSAL)
    reasons = [str(r) for r in event.data.get("reasons", [])] or [event.reason]
    agency = dossier.receiving_agency
    return Refusal(
        heading=agency_heading(agency, Form.REFUSAL, on=event.at),
        receiving_unit=agency.name,
        applicant=applicant_of(dossier),
        request=request_of(dossier),
        reasons=reasons,
        code=dossier.code,
        officer=_name(event.actor),
    )


def apology_for(dossier: Dossier) -> Apology:
    event = _latest(dossier, Action.EXTEND, Form.APOLOGY)
    agency = event.agency or dossier.current_agency
    new_return_at = _instant(event.data.get("new_return_at")) or dossier.promised_at
    if new_return_at is None:  # pragma: no cover - the service always records it
        raise FormNotApplicable(
            _("The apology of %(code)s has no new date.") % {"code": dossier.code}
        )
    return Apology(
        heading=agency_heading(agency, Form.APOLOGY, on=event.at),
        title=numbered(Form.APOLOGY).title,
        agency=agency.name,
        applicant=applicant_of(dossier),
        received_on=local(dossier.received_at) if dossier.received_at else None,
        procedure=request_of(dossier),
        code=dossier.code,
        original_return_at=_instant(event.data.get("original_due_at")),
        reason=event.reason,
        new_return_at=new_return_at,
        signed_by=str(event.data.get("signed_by") or _name(event.actor)),
        late=bool(event.data.get("late")),
    )


def _agency_name(agency: Agency) -> str:
    return agency.short_name or agency.name


def _person_at(user: User | None, agency: Agency | None) -> str:
    """``Trần Thị Giang (Sở Tư pháp)``: a giver or receiver on the control sheet, with the
    agency they act for; the agency alone when no one has taken the dossier yet."""
    name = _name(user)
    where = _agency_name(agency) if agency is not None else ""
    if name and where:
        return f"{name} ({where})"
    return name or where


def _other(agency: Agency, own: Agency) -> Agency | None:
    return agency if agency.pk != own.pk else None


def _receiver(dossier: Dossier, step: DossierStep, taken: list[DossierStep]) -> str:
    """Who received the dossier when ``step`` handed it over: the person it was handed to, else
    whoever holds the step that started then (with that step's agency where it is another
    one), else the applicant when the step returned the result; nothing while it is held."""
    following = None
    if step.finished_at is not None:
        later = [
            s
            for s in taken
            if s.pk != step.pk and s.started_at is not None and s.started_at >= step.finished_at
        ]
        following = min(later, key=lambda s: (s.started_at, s.position), default=None)
    # The receiver's agency is named only where it is not the row's own.
    if step.handed_to is not None:
        to_agency = following.agency if following else step.agency
        return _person_at(step.handed_to, _other(to_agency, step.agency))
    if following is not None:
        return _person_at(following.assignee, _other(following.agency, step.agency))
    if step.finished_at is not None and step.finished_at == dossier.returned_at:
        return dossier.applicant_name  # the result handed to the applicant
    return ""


def control_sheet_for(dossier: Dossier) -> ControlSheet:
    """The control sheet: one row per step taken, by position. Each row names its agency only
    where it changes from the row above, then its unit and step; the giver; and the receiver,
    with their agency where it is another one. The receiver is the person the dossier was
    handed to, or else whoever holds the step that started when this one was handed over (a
    transfer to another agency, a sending back) or that step's agency, or the applicant for
    the step that returned the result (Circular 03/2025/TT-VPCP, the control sheet; Decree
    118/2025/NĐ-CP art. 18)."""
    steps = list(
        dossier.steps.order_by("position").select_related("agency", "assignee", "handed_to")
    )
    if not steps:
        raise FormNotApplicable(_no_steps(dossier))
    own = {dossier.lead_agency_id, dossier.receiving_agency_id}
    coordinating: list[str] = []
    for step in steps:
        if step.agency_id not in own and step.agency.name not in coordinating:
            coordinating.append(step.agency.name)
    taken = [step for step in steps if step.started_at is not None]
    rows: list[ControlRow] = []
    previous_agency: int | None = None
    for step in taken:
        receiver = _receiver(dossier, step, taken)
        rows.append(
            ControlRow(
                agency=step.agency.name if step.agency_id != previous_agency else "",
                unit=step.unit if step.unit.strip() != step.agency.name.strip() else "",
                step=step.name,
                received_at=step.started_at,
                due_at=step.due_at,
                handed_at=step.finished_at,
                giver=_name(step.assignee),
                receiver=receiver,
                result=TIMELINESS.get(step.timeliness, ""),
                note=step.note,
            )
        )
        previous_agency = step.agency_id
    entry = numbered(Form.RECEIPT)
    return ControlSheet(
        heading=agency_heading(dossier.lead_agency, Form.CONTROL_SHEET, reference=False),
        title=numbered(Form.CONTROL_SHEET).title,
        code=dossier.code,
        lead=dossier.lead_agency.name,
        coordinating=coordinating,
        received_at=dossier.received_at,
        return_at=dossier.due_at,
        rows=rows,
        receipt_number=f"{receipt_number(dossier)}/{entry.symbol}" if dossier.received_at else "",
    )


def stop_notice_for(dossier: Dossier) -> StopNotice:
    """The notice of stopping processing (Form 05 of Circular 03/2025/TT-VPCP), from the
    ``stop`` event: its reason, its date, and the leader who stopped it signs."""
    event = _latest(dossier, Action.STOP, Form.STOP_NOTICE)
    agency = event.agency or dossier.current_agency
    return StopNotice(
        heading=agency_heading(agency, Form.STOP_NOTICE, on=event.at),
        title=numbered(Form.STOP_NOTICE).title,
        agency=agency.name,
        applicant=applicant_of(dossier),
        received_on=local(dossier.received_at) if dossier.received_at else None,
        procedure=request_of(dossier),
        code=dossier.code,
        reason=event.reason,
        stopped_at=event.at,
        signed_by=_name(event.actor),
    )


def _not_received(dossier: Dossier) -> str:
    return _("%(form)s is printed on receipt; dossier %(code)s has not been received.") % {
        "form": form_name(Form.RECEIPT),
        "code": dossier.code,
    }


def _no_steps(dossier: Dossier) -> str:
    return _("%(form)s is printed once a dossier is received; %(code)s has no steps.") % {
        "form": form_name(Form.CONTROL_SHEET),
        "code": dossier.code,
    }


# The event each notice prints from: no event, nothing to print.
_SOURCE_EVENT = {
    Form.SUPPLEMENT: Action.REQUEST_SUPPLEMENT,
    Form.REFUSAL: Action.REFUSE,
    Form.APOLOGY: Action.EXTEND,
    Form.STOP_NOTICE: Action.STOP,
}

# The forms printed for one dossier, in the order of their numbers (the ledger is printed for
# a field and a period, not for a dossier).
DOSSIER_FORMS = (
    Form.RECEIPT,
    Form.SUPPLEMENT,
    Form.REFUSAL,
    Form.APOLOGY,
    Form.STOP_NOTICE,
    Form.CONTROL_SHEET,
)


def not_applicable_reason(dossier: Dossier) -> dict[Form, str]:
    """Why each of the dossier's forms cannot be printed for ``dossier`` (no entry: it can).
    The one rule the print view (its 404 reason) and the dossier page (which links it shows)
    share. Reads ``dossier.events.all()`` and ``dossier.steps.all()``, so a prefetch serves it.

    The receipt is issued on receipt, the supplement request with a supplement request, the
    refusal with a refusal, the apology with an apology and a new date, the stopping notice
    when processing is stopped, the control sheet once the dossier has steps (Circular
    03/2025/TT-VPCP, forms 01–06; Decree 118/2025 art. 17 and 19)."""
    actions = {e.action for e in dossier.events.all()}
    reasons: dict[Form, str] = {}
    if dossier.received_at is None:
        reasons[Form.RECEIPT] = _not_received(dossier)
    elif Action.RECEIVE not in actions:
        reasons[Form.RECEIPT] = _no_event(dossier, Action.RECEIVE, Form.RECEIPT)
    for form, action in _SOURCE_EVENT.items():
        if action not in actions:
            reasons[form] = _no_event(dossier, action, form)
    if not any(True for _step in dossier.steps.all()):
        reasons[Form.CONTROL_SHEET] = _no_steps(dossier)
    return reasons


def applicable_forms(dossier: Dossier) -> list[Form]:
    """The forms that can be printed for ``dossier`` now, in the order of their numbers."""
    refused = not_applicable_reason(dossier)
    return [form for form in DOSSIER_FORMS if form not in refused]


_RENDERERS: dict[Form, Callable[[Dossier], bytes]] = {
    Form.RECEIPT: lambda d: receipt_pdf(receipt_for(d)),
    Form.SUPPLEMENT: lambda d: supplement_pdf(supplement_for(d)),
    Form.REFUSAL: lambda d: refusal_pdf(refusal_for(d)),
    Form.APOLOGY: lambda d: apology_pdf(apology_for(d)),
    Form.STOP_NOTICE: lambda d: stop_notice_pdf(stop_notice_for(d)),
    Form.CONTROL_SHEET: lambda d: control_sheet_pdf(control_sheet_for(d)),
}


def render_form(dossier: Dossier, form: Form | int) -> bytes:
    """``form`` of ``dossier`` as a PDF (a number is read in the numbering in force);
    ``FormNotApplicable`` when there is no such form or it does not apply to this dossier."""
    kind = form_for_number(form) if isinstance(form, int) else form
    renderer = _RENDERERS.get(kind) if kind is not None else None
    if kind is None or renderer is None:
        raise FormNotApplicable(_("There is no form %(n)s to print for a dossier.") % {"n": form})
    reason = not_applicable_reason(dossier).get(kind)
    if reason is not None:
        raise FormNotApplicable(reason)
    return renderer(dossier)
