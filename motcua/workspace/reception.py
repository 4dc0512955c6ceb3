"""Desk reception (``/workspace/reception/``): pick the procedure and case, enter the applicant,
tick the checklist, preview the appointment, then receive, print Form 02 or refuse.

Scans chosen next to checklist items are checked with the form and attached on receipt (the
engine's ``reception.receive_with_scans``); a refusal may start from one of the agency's reply
templates.

Only desk officers of the agency chosen in the session reach these pages (403 otherwise, 404 for
users with no officer role). The views only parse and render: the dossier is created by
``intake.receive_new_dossier`` or ``intake.refuse_at_desk``; the appointment shown before
confirming is ``clock.due`` on the receiving agency's calendar, the same call as at receipt."""

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts import permissions, validators
from motcua.accounts.models import Agency, Role, User
from motcua.catalogue.models import (
    AssignmentRole,
    Case,
    ProcedureVersion,
    RequiredDocument,
    TimeUnit,
    VersionStatus,
)
from motcua.catalogue.text import search_key
from motcua.dossiers import (
    access_log,
    documents,
    extra_papers,
    idempotency,
    intake,
    printing,
    queries,
    replies,
)
from motcua.dossiers import reception as desk
from motcua.dossiers.access_models import AccessKind
from motcua.dossiers.errors import ActionRefused
from motcua.dossiers.extra_papers import ExtraPaper
from motcua.dossiers.models import (
    MAX_POSTAL_ADDRESS,
    Dossier,
    PaymentMethod,
    ReplyKind,
    ReplyTemplate,
    ReturnMethod,
)
from motcua.dossiers.printing_forms import supplement_pdf
from motcua.dossiers.workflow import Channel
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for
from motcua.workspace import queues, reception_reuse
from motcua.workspace.forms import TemplateChoiceField, errors_into
from motcua.workspace.views import _current_agency, _user

RESULT_LIMIT = 50
APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
)


# --- access ------------------------------------------------------------------------------


def desk_agency(request: HttpRequest) -> tuple[User, Agency, list[Agency]]:
    """The signed-in desk officer and the agency chosen in the session, where they must hold the
    desk officer role: 404 for non-officers, 403 for officers who are not at the desk there."""
    user = _user(request)
    agencies = queues.officer_agencies(user)
    if not agencies:
        raise Http404("not an officer")
    agency = _current_agency(request, agencies)
    if Role.DESK_OFFICER not in permissions.roles_in(user, agency):
        raise PermissionDenied("not a desk officer of this agency")
    return user, agency, agencies


# --- reads -------------------------------------------------------------------------------


def receivable_cases(agency: Agency, q: str, on: dt.date) -> list[Case]:
    """Cases of procedure versions in force on ``on`` that ``agency`` receives, matched on the
    accent-insensitive name key (or the procedure code's start)."""
    versions = ProcedureVersion.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
        status=VersionStatus.PUBLISHED,
        effective_from__lte=on,
        procedure__assignments__agency=agency,
        procedure__assignments__role=AssignmentRole.RECEIVING,
    )
    q = q.strip()
    if q:
        versions = versions.filter(
            Q(name_search__contains=search_key(q)) | Q(procedure__code__startswith=q)
        )
    return list(
        Case.objects.filter(version__in=versions.values("pk"))
        .select_related("version__procedure")
        .order_by("version__name", "version__procedure__code", "code")[:RESULT_LIMIT]
    )


def receivable_case(agency: Agency, case_id: int, on: dt.date) -> Case:
    """One case the agency may receive today, or 404."""
    case = (
        Case.objects.filter(
            Q(version__effective_to__isnull=True) | Q(version__effective_to__gte=on),
            pk=case_id,
            version__status=VersionStatus.PUBLISHED,
            version__effective_from__lte=on,
            version__procedure__assignments__agency=agency,
            version__procedure__assignments__role=AssignmentRole.RECEIVING,
        )
        .select_related("version__procedure")
        .first()
    )
    if case is None:
        raise Http404("not a case this agency receives")
    return case


def returning_applicant(user: User, id_number: str) -> dict[str, str] | None:
    """The applicant fields of the most recent dossier ``user`` may read with this ID number."""
    found = returning_dossier(user, id_number).values(*APPLICANT_FIELDS).first()
    return {k: str(v or "") for k, v in found.items()} if found else None


def returning_dossier(user: User, id_number: str) -> QuerySet[Dossier]:
    """The most recent dossier ``user`` may read with this ID number (none for a blank one)."""
    id_number = id_number.strip()
    if not id_number:
        return Dossier.objects.none()
    found = queries.visible_dossiers(user).filter(applicant_id_number=id_number)
    return found.order_by("-created_at", "-pk")[:1]


@dataclass(frozen=True)
class Preview:
    """The appointment the dossier would get if received now."""

    due_at: dt.datetime | None
    explanation: list[str]


def preview(case: Case, agency: Agency, now: dt.datetime) -> Preview:
    if case.time_unit == TimeUnit.NONE or case.processing_time is None:
        return Preview(None, [])
    result = clock.due(now, case.processing_time, case.time_unit, spec_for(agency.calendar))
    return Preview(result.due_at, [item.reason_vi for item in result.explanation])


# --- form --------------------------------------------------------------------------------


class ReceptionForm(forms.Form):
    """The applicant, the channel, the checklist (one provided box and one copies number per
    required document of the case) and the reasons, used only to refuse."""

    applicant_name = forms.CharField(label=gettext_lazy("Applicant's full name"), max_length=300)
    applicant_id_number = forms.CharField(
        label=gettext_lazy("ID number"), max_length=20, required=False
    )
    applicant_address = forms.CharField(
        label=gettext_lazy("Address"), max_length=500, required=False
    )
    applicant_phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    # The channels the applicant chooses for notices about the dossier (issue 13 item 6), each
    # used when its address above is given.
    notify_by_email = forms.BooleanField(
        label=gettext_lazy("by e-mail"), required=False, initial=True
    )
    notify_by_sms = forms.BooleanField(label=gettext_lazy("by SMS"), required=False, initial=True)
    proxy_name = forms.CharField(
        label=gettext_lazy("Proxy's full name"), max_length=300, required=False
    )
    proxy_id_number = forms.CharField(
        label=gettext_lazy("Proxy's ID number"), max_length=20, required=False
    )
    proxy_phone = forms.CharField(
        label=gettext_lazy("Proxy's phone"), max_length=20, required=False
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"),
        choices=[(c.value, c.label) for c in (Channel.IN_PERSON, Channel.POST)],
        initial=Channel.IN_PERSON,
        widget=forms.RadioSelect,
    )
    # How the applicant asks to receive the result; by public post, with the address
    # (``intake.check_return``).
    return_method = forms.ChoiceField(
        label=gettext_lazy("Return method"),
        choices=ReturnMethod.choices,
        initial=ReturnMethod.IN_PERSON,
        widget=forms.RadioSelect,
        required=False,
    )
    postal_address = forms.CharField(
        label=gettext_lazy("Postal address for the result"),
        help_text=gettext_lazy("Needed when the result is returned by public post."),
        max_length=MAX_POSTAL_ADDRESS,
        required=False,
    )
    reasons = forms.CharField(
        label=gettext_lazy("Reasons for refusal, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Papers outside the case's published list the desk asks for, each with its legal basis
    # typed by the officer (Decree 61/2018 art. 5; ``dossiers/extra_papers.py``).
    extra_papers = forms.CharField(
        label=gettext_lazy("Papers beyond the published list, one per line: paper | legal basis"),
        help_text=gettext_lazy(
            "Only a paper the law requires although the procedure's published list does not "
            "hold it; it is flagged on the dossier and reported (Decree 61/2018 art. 5)."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # A fee collected at the desk with the receipt (``services.collect_fee`` after receipt).
    fee_amount = forms.DecimalField(
        label=gettext_lazy("Amount collected (VND)"),
        max_digits=14,
        decimal_places=0,
        min_value=0,
        required=False,
    )
    fee_receipt = forms.CharField(
        label=gettext_lazy("Receipt number"), max_length=100, required=False
    )
    fee_method = forms.ChoiceField(
        label=gettext_lazy("Paid by"),
        choices=PaymentMethod.choices,
        initial=PaymentMethod.CASH,
        required=False,
    )
    # The one-time token of this form (``idempotency.once``): a second "receive" or "refuse"
    # with it, from a double click or a resubmitted page, leads to the dossier already made.
    token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        case: Case,
        *args: Any,
        templates: list[ReplyTemplate] | None = None,
        offers: reception_reuse.Offers | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.offers = offers or {}
        if not self.is_bound:
            self.initial.setdefault("token", str(uuid.uuid4()))
        self.case = case
        self.fees_total = sum((f.amount for f in case.fees.all()), Decimal(0))
        self.initial.setdefault("fee_amount", self.fees_total)
        self.documents: list[RequiredDocument] = list(case.documents.all())
        for doc in self.documents:
            self.fields[f"doc_{doc.pk}"] = forms.BooleanField(
                label=doc.name, required=False, initial=False
            )
            self.fields[f"copies_{doc.pk}"] = forms.IntegerField(
                label=gettext_lazy("Copies"),
                min_value=0,
                max_value=99,
                initial=doc.copies,
                widget=forms.NumberInput(attrs={"class": "copies"}),
            )
            self.fields[f"scan_{doc.pk}"] = forms.FileField(
                label=gettext_lazy("Scan"),
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "application/pdf,image/png,image/jpeg,image/tiff"}
                ),
            )
            if doc.pk in self.offers:  # the applicant's papers already digitised (issue 15)
                self.fields[f"reuse_{doc.pk}"] = reception_reuse.reuse_field(self.offers[doc.pk])
        if templates:
            self.fields["reply_template"] = TemplateChoiceField(
                templates, target=self["reasons"].auto_id
            )

    # Names composed and without invisible characters; ID numbers 12-digit personal IDs; phone
    # numbers Vietnamese (motcua.accounts.validators, as the API).
    def clean_applicant_name(self) -> str:
        name = validators.clean_line(self.cleaned_data["applicant_name"])
        if not name:
            raise ValidationError(_("The applicant's name is required."), code="required")
        return name

    def clean_proxy_name(self) -> str:
        return validators.clean_line(self.cleaned_data["proxy_name"])

    def clean_applicant_id_number(self) -> str:
        return _checked(self.cleaned_data["applicant_id_number"], validators.validate_personal_id)

    def clean_proxy_id_number(self) -> str:
        return _checked(self.cleaned_data["proxy_id_number"], validators.validate_personal_id)

    def clean_applicant_phone(self) -> str:
        return _checked(self.cleaned_data["applicant_phone"], validators.validate_phone, True)

    def clean_proxy_phone(self) -> str:
        return _checked(self.cleaned_data["proxy_phone"], validators.validate_phone, True)

    def clean_extra_papers(self) -> list[ExtraPaper]:
        try:
            return extra_papers.parse_lines(self.cleaned_data["extra_papers"], "extra_papers")
        except ValidationError as invalid:
            raise ValidationError(invalid.error_dict["extra_papers"]) from None

    def clean_reasons(self) -> str:
        reasons: str = self.cleaned_data["reasons"]
        validators.validate_lines([line for line in reasons.splitlines() if line.strip()])
        return reasons

    def checklist(
        self,
    ) -> list[
        tuple[
            RequiredDocument,
            forms.BoundField,
            forms.BoundField,
            forms.BoundField,
            forms.BoundField | None,
        ]
    ]:
        return [
            (
                d,
                self[f"doc_{d.pk}"],
                self[f"copies_{d.pk}"],
                self[f"scan_{d.pk}"],
                self[f"reuse_{d.pk}"] if f"reuse_{d.pk}" in self.fields else None,
            )
            for d in self.documents
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("fee_receipt") or "").strip():
            if not cleaned.get("fee_amount"):
                self.add_error("fee_amount", _("Enter the amount collected."))
            if not cleaned.get("fee_method"):
                self.add_error("fee_method", _("Choose how the fee was paid."))
        for doc in self.documents:
            upload = cleaned.get(f"scan_{doc.pk}")
            if upload:
                try:
                    documents.check_upload(upload)
                except ValidationError as invalid:
                    self.add_error(f"scan_{doc.pk}", invalid.error_dict["file"])
                if cleaned.get(f"reuse_{doc.pk}"):
                    self.add_error(
                        f"reuse_{doc.pk}",
                        _("Choose a scan or the digitised paper, not both."),
                    )
        return cleaned

    def scans(self) -> dict[int, Any]:
        """The scans chosen, by required document id (checked in ``clean``)."""
        data = self.cleaned_data
        return {d.pk: data[f"scan_{d.pk}"] for d in self.documents if data.get(f"scan_{d.pk}")}

    def reuses(self) -> dict[int, int]:
        """The digitised papers chosen, by required document id."""
        data = self.cleaned_data
        return {d.pk: data[f"reuse_{d.pk}"] for d in self.documents if data.get(f"reuse_{d.pk}")}

    def refusal_template(self) -> ReplyTemplate | None:
        field = self.fields.get("reply_template")
        if not isinstance(field, TemplateChoiceField):
            return None
        return field.template(self.cleaned_data.get("reply_template") or "")

    def fee_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("fee_amount", "fee_receipt", "fee_method")]

    def fee_paid(self) -> tuple[Decimal, str, str] | None:
        """The fee collected with the receipt (amount, receipt number, method), if any."""
        data = self.cleaned_data
        receipt = (data.get("fee_receipt") or "").strip()
        if not receipt:
            return None
        return data.get("fee_amount") or Decimal(0), receipt, data.get("fee_method") or ""

    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in APPLICANT_FIELDS]

    def notify_fields(self) -> list[forms.BoundField]:
        return [self["notify_by_email"], self["notify_by_sms"]]

    def proxy_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("proxy_name", "proxy_id_number", "proxy_phone")]

    def typed(self) -> dict[str, Any]:
        """What the bound form holds, as initial values for a fresh form (keeps the input;
        a browser never sends a chosen file back, so scans are left out)."""
        return {name: self[name].value() for name in self.fields if not name.startswith("scan_")}

    def intake(self) -> intake.Intake:
        data = self.cleaned_data
        return intake.Intake(
            case=self.case,
            applicant=intake.Applicant(
                name=data["applicant_name"],
                id_number=data["applicant_id_number"],
                address=data["applicant_address"],
                phone=data["applicant_phone"],
                email=data["applicant_email"],
                notify_by_email=data["notify_by_email"],
                notify_by_sms=data["notify_by_sms"],
                proxy_name=data["proxy_name"],
                proxy_id_number=data["proxy_id_number"],
                proxy_phone=data["proxy_phone"],
            ),
            channel=data["channel"],
            return_method=data["return_method"],
            postal_address=data["postal_address"],
            checklist=[
                intake.ChecklistItem(
                    required_id=d.pk,
                    # A scanned or re-used document was handed in, ticked or not.
                    provided=bool(
                        data[f"doc_{d.pk}"] or data.get(f"scan_{d.pk}") or data.get(f"reuse_{d.pk}")
                    ),
                    copies=data[f"copies_{d.pk}"],
                )
                for d in self.documents
            ]
            + [
                intake.ChecklistItem(required_id=None, name=p.name, legal_basis=p.legal_basis)
                for p in data.get("extra_papers") or []
            ],
        )

    def reason_lines(self) -> list[str]:
        """The reasons typed, one per line; left empty, the chosen reply template's lines."""
        typed = [line.strip() for line in self.cleaned_data["reasons"].splitlines()]
        lines = [line for line in typed if line]
        template = self.refusal_template()
        if not lines and template is not None:
            return replies.lines_of(template)
        return lines


def _checked(typed: str, validate: Any, phone: bool = False) -> str:
    """``typed`` without invisible characters (a phone number also without separators, in the
    national form), checked by ``validate`` unless empty."""
    value = validators.clean_phone(typed) if phone else validators.clean_number(typed)
    if value:
        validate(value)
    return value


# --- views -------------------------------------------------------------------------------


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Step 1: the procedures (and their cases) the agency receives, searched without accents."""
    _, agency, agencies = desk_agency(request)
    q = request.GET.get("q", "")
    cases = receivable_cases(agency, q, timezone.localdate())
    context = {"agency": agency, "agencies": agencies, "q": q, "cases": cases}
    return render(request, "workspace/reception_search.html", context)


def _render_form(
    request: HttpRequest,
    agency: Agency,
    agencies: list[Agency],
    form: ReceptionForm,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "agency": agency,
        "agencies": agencies,
        "case": form.case,
        "form": form,
        "fees": list(form.case.fees.all()),
        "fees_total": form.fees_total,
        **extra,
    }
    return render(request, "workspace/reception_form.html", context, status=status)


def receive_with_scans(
    form: ReceptionForm, *, agency: Agency, actor: User, now: dt.datetime
) -> Dossier:
    """Receive the dossier with the scans and the fee the form holds: the engine's
    ``reception.receive_with_scans``, as ``POST /api/v1/dossiers/receive_with_scans/``; then,
    in the same transaction, the digitised papers chosen (``reception_reuse``)."""
    paid = form.fee_paid()
    with transaction.atomic():
        dossier = desk.receive_with_scans(
            form.intake(),
            agency=agency,
            actor=actor,
            scans=form.scans(),
            fee=desk.FeePaid(*paid) if paid is not None else None,
            now=now,
        )
        reception_reuse.attach_reused(dossier, form.reuses(), actor=actor, now=now)
    return dossier


# The form's token answers the same whatever the form holds: the first submit decides.
FORM_FINGERPRINT = idempotency.fingerprint("workspace:reception", None)


def once_per_token(
    form: ReceptionForm, user: User, create: Callable[[], Dossier]
) -> tuple[Dossier, bool]:
    """``create`` run once per form token (``idempotency.once``); whether it was a repeat."""
    token = form.cleaned_data.get("token")
    if token is None:  # a form posted without one (not from our page): nothing to match
        return create(), False

    def made() -> tuple[Dossier, int, dict[str, str]]:
        dossier = create()
        return dossier, 302, {"code": dossier.code}

    answer = idempotency.once(
        f"form:{token}", actor=user, fingerprint=FORM_FINGERPRINT, create=made
    )
    return answer.dossier, answer.replayed


def _already_sent(request: HttpRequest, dossier: Dossier) -> HttpResponse:
    messages.warning(
        request,
        _(
            "This form was already sent: it made dossier %(code)s, shown here. "
            "No second dossier was created."
        )
        % {"code": dossier.code},
    )
    return HttpResponseRedirect(reverse("workspace:dossier", args=[dossier.code]))


@login_required
@require_http_methods(["GET", "POST"])
def reception_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """Step 2: the reception form of one case and its buttons (``do``): look up, preview,
    receive, print Form 02, refuse."""
    user, agency, agencies = desk_agency(request)
    now = timezone.now()
    case = receivable_case(agency, case_id, timezone.localdate(now))
    templates = replies.active_templates([agency], ReplyKind.REFUSAL)
    if request.method == "GET":
        return _render_form(request, agency, agencies, ReceptionForm(case, templates=templates))
    do = request.POST.get("do", "preview")
    id_number = request.POST.get("applicant_id_number", "")
    on = timezone.localdate(now)
    offers = reception_reuse.offers_for(request, user, agency, case, id_number, on)
    form = ReceptionForm(case, request.POST, request.FILES, templates=templates, offers=offers)

    if do == "lookup":
        typed = form.typed()
        found = returning_applicant(user, id_number)
        if found:  # an earlier applicant's address and contacts: logged (Decree 13/2023)
            access_log.record_query(
                request, AccessKind.VIEW, returning_dossier(user, id_number), agency_id=agency.pk
            )
        notice = (
            _("Filled in from the applicant's most recent dossier.")
            if found
            else _("No earlier dossier with this ID number.")
        )
        return _render_form(
            request, agency, agencies,
            ReceptionForm(
                case, initial={**typed, **(found or {})}, templates=templates, offers=offers
            ),
            notice=notice, found=bool(found),
        )  # fmt: skip

    if do == "refuse":
        valid = form.is_valid()
        if valid and not form.reason_lines():
            form.add_error("reasons", _("Give at least one reason for the refusal."))
            valid = False
        if not valid:
            return _render_form(request, agency, agencies, form, status=400, refusing=True)
        try:
            dossier, repeated = once_per_token(
                form,
                user,
                lambda: intake.refuse_at_desk(
                    form.intake(), agency=agency, actor=user, reasons=form.reason_lines(), now=now
                ),
            )
        except ActionRefused as refused:
            raise PermissionDenied(str(refused)) from refused
        except ValidationError as invalid:
            errors_into(form, invalid)
            return _render_form(request, agency, agencies, form, status=400, refusing=True)
        if repeated:
            return _already_sent(request, dossier)
        messages.success(request, _("Refused at the desk: %(code)s.") % {"code": dossier.code})
        return HttpResponseRedirect(
            reverse("workspace:dossier", args=[dossier.code]) + "?print=refusal"
        )

    if not form.is_valid():
        return _render_form(request, agency, agencies, form, status=400)
    wanted = form.intake()
    missing = intake.missing_documents(wanted)

    if do == "supplement":
        try:
            request_02 = printing.supplement_for_intake(
                wanted, agency=agency, officer=user, now=now
            )
        except printing.FormNotApplicable as not_applicable:
            form.add_error(None, str(not_applicable))
            return _render_form(request, agency, agencies, form, status=400)
        response = HttpResponse(supplement_pdf(request_02), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="mau-02-phieu-bo-sung.pdf"'
        return response

    if do == "receive" and not missing:
        try:
            dossier, repeated = once_per_token(
                form, user, lambda: receive_with_scans(form, agency=agency, actor=user, now=now)
            )
        except ActionRefused as refused:
            raise PermissionDenied(str(refused)) from refused
        except ValidationError as invalid:
            errors_into(form, invalid)
            return _render_form(request, agency, agencies, form, status=400)
        if repeated:
            return _already_sent(request, dossier)
        messages.success(
            request, _("Received: %(code)s. Print the receipt (Form 01).") % {"code": dossier.code}
        )
        return HttpResponseRedirect(
            reverse("workspace:dossier", args=[dossier.code]) + "?print=receipt"
        )

    # Preview, or a receipt refused because mandatory documents are missing.
    return _render_form(
        request,
        agency,
        agencies,
        form,
        status=400 if do == "receive" else 200,
        preview=preview(case, agency, now),
        missing=missing,
        incomplete=do == "receive",
    )
