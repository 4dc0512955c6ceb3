"""Printing a dossier's forms (Circular 03/2025/TT-VPCP, forms 01–05) as PDF.

``render_form(dossier, n)`` reads the dossier, its documents, steps and events and hands plain
data to the renderers in ``printing_forms.py``; ``supplement_for_intake`` does the same for a
Form 02 printed at the desk before any dossier exists. A form that does not apply (Form 04
without an apology, Form 01 before receipt) raises ``FormNotApplicable`` with a message the
officer can read."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, User
from motcua.catalogue.models import DocumentForm, TimeUnit
from motcua.dossiers.intake import Intake, missing_documents
from motcua.dossiers.models import Dossier, DossierEvent, ReturnMethod, Timeliness
from motcua.dossiers.printing_forms import (
    Apology,
    ControlRow,
    ControlSheet,
    DocumentLine,
    Person,
    Receipt,
    Refusal,
    SupplementRequest,
    apology_pdf,
    control_sheet_pdf,
    receipt_pdf,
    refusal_pdf,
    supplement_pdf,
)
from motcua.dossiers.printing_layout import Heading, local
from motcua.dossiers.workflow import Action

FORMS = {
    1: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    2: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    3: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    4: "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    5: "Phiếu kiểm soát quá trình giải quyết hồ sơ",
}

# Number suffixes of the forms (Circular 03/2025 appendix): the receipt is numbered by the
# centre, the others by the kind of notice.
NUMBER_SUFFIX = {1: "TTPVHCC", 2: "PBS", 3: "PTC", 4: "PXL"}

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


def tracking_url(code: str) -> str:
    """The public tracking address printed as Form 01's QR code."""
    site = getattr(settings, "MOTCUA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return f"{site}/tra-cuu/{code}"


def agency_heading(
    agency: Agency,
    *,
    number: str = "",
    on: dt.datetime | dt.date | None = None,
    reference: bool = True,
) -> Heading:
    day = local(on).date() if isinstance(on, dt.datetime) else on
    return Heading(
        agency=agency.name,
        parent=agency.parent.name if agency.parent_id and agency.parent else "",
        number=number,
        place=agency.unit.name if agency.unit_id and agency.unit else "",
        on=day,
        reference=reference,
    )


def _name(user: User | None) -> str:
    return str(user) if user is not None else ""


def _sequence(code: str) -> str:
    return code.rsplit("-", 1)[-1]


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


def _latest(dossier: Dossier, action: Action, form: int) -> DossierEvent:
    event = (
        dossier.events.filter(action=action)
        .select_related("actor", "agency")
        .order_by("-at", "-pk")
    ).first()
    if event is None:
        raise FormNotApplicable(_no_event(dossier, action, form))
    return event


def _no_event(dossier: Dossier, action: Action, form: int) -> str:
    return _("Form %(n)02d does not apply to dossier %(code)s: it has no “%(action)s” event.") % {
        "n": form,
        "code": dossier.code,
        "action": action.label,
    }


def _instant(value: object) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None


def receipt_for(dossier: Dossier) -> Receipt:
    if dossier.received_at is None:
        raise FormNotApplicable(
            _("Form 01 is printed on receipt; dossier %(code)s has not been received.")
            % {"code": dossier.code}
        )
    received = _latest(dossier, Action.RECEIVE, 1)
    agency = dossier.receiving_agency
    proxy = None
    if dossier.proxy_name:
        proxy = Person(dossier.proxy_name, dossier.proxy_id_number, phone=dossier.proxy_phone)
    where = ", ".join(filter(None, [agency.name, agency.address]))
    return Receipt(
        heading=agency_heading(
            agency, number=f"{_sequence(dossier.code)}/{NUMBER_SUFFIX[1]}", on=dossier.received_at
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
        ledger_sequence=_sequence(dossier.code),
        officer=_name(received.actor),
    )


def supplement_for(dossier: Dossier) -> SupplementRequest:
    event = _latest(dossier, Action.REQUEST_SUPPLEMENT, 2)
    agency = event.agency or dossier.receiving_agency
    officer = event.actor
    allowed = event.data.get("allowed_by") or {}
    return SupplementRequest(
        heading=agency_heading(agency, on=event.at),
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
    those given, or else the mandatory documents the officer did not tick."""
    listed = items if items is not None else missing_documents(intake)
    if not listed:
        raise FormNotApplicable(_("Nothing is missing: there is nothing to list on Form 02."))
    a = intake.applicant
    return SupplementRequest(
        heading=agency_heading(agency, on=now),
        applicant=Person(a.name, a.id_number, a.address, a.phone, a.email),
        request=intake.case.version.name,
        items=listed,
        reason=reason or "Hồ sơ chưa đầy đủ thành phần theo quy định.",
        officer=_name(officer),
        officer_phone=officer.phone or agency.phone,
    )


def refusal_for(dossier: Dossier) -> Refusal:
    event = _latest(dossier, Action.REFUSE, 3)
    reasons = [str(r) for r in event.data.get("reasons", [])] or [event.reason]
    agency = dossier.receiving_agency
    return Refusal(
        heading=agency_heading(agency, on=event.at),
        receiving_unit=agency.name,
        applicant=applicant_of(dossier),
        request=request_of(dossier),
        reasons=reasons,
        code=dossier.code,
        officer=_name(event.actor),
    )


def apology_for(dossier: Dossier) -> Apology:
    event = _latest(dossier, Action.EXTEND, 4)
    agency = event.agency or dossier.current_agency
    new_return_at = _instant(event.data.get("new_return_at")) or dossier.promised_at
    if new_return_at is None:  # pragma: no cover - the service always records it
        raise FormNotApplicable(
            _("The apology of %(code)s has no new date.") % {"code": dossier.code}
        )
    return Apology(
        heading=agency_heading(agency, on=event.at),
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


def _unit(unit: str, agency: Agency) -> str:
    name = agency.short_name or agency.name
    return name if not unit or unit == name else f"{unit}, {name}"


def control_sheet_for(dossier: Dossier) -> ControlSheet:
    steps = list(
        dossier.steps.order_by("position").select_related("agency", "assignee", "handed_to")
    )
    if not steps:
        raise FormNotApplicable(
            _("Form 05 is printed once a dossier is received; %(code)s has no steps.")
            % {"code": dossier.code}
        )
    own = {dossier.lead_agency_id, dossier.receiving_agency_id}
    coordinating: list[str] = []
    for step in steps:
        if step.agency_id not in own and step.agency.name not in coordinating:
            coordinating.append(step.agency.name)
    rows = [
        ControlRow(
            unit=_unit(step.unit, step.agency),
            step=step.name,
            received_at=step.started_at,
            due_at=step.due_at,
            handed_at=step.finished_at,
            giver=_name(step.assignee),
            receiver=_name(step.handed_to),
            result=TIMELINESS.get(step.timeliness, ""),
            note=step.note,
        )
        for step in steps
        if step.started_at is not None
    ]
    return ControlSheet(
        heading=agency_heading(dossier.lead_agency, reference=False),
        code=dossier.code,
        lead=dossier.lead_agency.name,
        coordinating=coordinating,
        received_at=dossier.received_at,
        return_at=dossier.due_at,
        rows=rows,
        receipt_number=f"{_sequence(dossier.code)}/{NUMBER_SUFFIX[1]}",
    )


# The event each notice prints from: no event, nothing to print (forms 02–04).
_SOURCE_EVENT = {2: Action.REQUEST_SUPPLEMENT, 3: Action.REFUSE, 4: Action.EXTEND}


def not_applicable_reason(dossier: Dossier) -> dict[int, str]:
    """Why each of forms 01–05 cannot be printed for ``dossier`` (no entry: it can). The one
    rule the print view (its 404 reason) and the dossier page (which links it shows) share.
    Reads ``dossier.events.all()`` and ``dossier.steps.all()``, so a prefetch serves it.

    Form 01 is issued on receipt, 02 with a supplement request, 03 with a refusal, 04 with an
    apology and a new date, 05 once the dossier has steps (Circular 03/2025/TT-VPCP, forms
    01–05; Decree 118/2025 art. 17 and 19)."""
    actions = {e.action for e in dossier.events.all()}
    reasons: dict[int, str] = {}
    if dossier.received_at is None:
        reasons[1] = _("Form 01 is printed on receipt; dossier %(code)s has not been received.") % {
            "code": dossier.code
        }
    elif Action.RECEIVE not in actions:
        reasons[1] = _no_event(dossier, Action.RECEIVE, 1)
    for number, action in _SOURCE_EVENT.items():
        if action not in actions:
            reasons[number] = _no_event(dossier, action, number)
    if not any(True for _step in dossier.steps.all()):
        reasons[5] = _("Form 05 is printed once a dossier is received; %(code)s has no steps.") % {
            "code": dossier.code
        }
    return reasons


def applicable_forms(dossier: Dossier) -> list[int]:
    """The numbers of the forms that can be printed for ``dossier`` now."""
    refused = not_applicable_reason(dossier)
    return [n for n in FORMS if n not in refused]


_RENDERERS: dict[int, Callable[[Dossier], bytes]] = {
    1: lambda d: receipt_pdf(receipt_for(d)),
    2: lambda d: supplement_pdf(supplement_for(d)),
    3: lambda d: refusal_pdf(refusal_for(d)),
    4: lambda d: apology_pdf(apology_for(d)),
    5: lambda d: control_sheet_pdf(control_sheet_for(d)),
}


def render_form(dossier: Dossier, number: int) -> bytes:
    """Form ``number`` (1–5) of ``dossier`` as a PDF; ``FormNotApplicable`` when there is no
    such form or it does not apply to this dossier."""
    renderer = _RENDERERS.get(number)
    if renderer is None:
        raise FormNotApplicable(
            _("There is no form %(n)s: forms 01 to 05 can be printed.") % {"n": number}
        )
    reason = not_applicable_reason(dossier).get(number)
    if reason is not None:
        raise FormNotApplicable(reason)
    return renderer(dossier)
