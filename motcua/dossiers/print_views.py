"""Plain views: a dossier's form as PDF, and the ledger (Form 07; 2018: 06) as XLSX or PDF.

Thin: parse, check access, render. Errors answer with ``{code, message, field?, errors}``
like the rest of the API under ``/api/v1/`` (docs/errors.md). A dossier the user may not read
is a 404, as in ``queries.dossier_for``, so a guessed code reveals nothing."""

import datetime as dt

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.accounts import permissions
from motcua.accounts.models import Agency
from motcua.catalogue.models import Field
from motcua.dossiers import access_log
from motcua.dossiers.access_models import AccessKind
from motcua.dossiers.form_numbering import Form, form_for_name, numbered
from motcua.dossiers.ledger import MAX_PERIOD, XLSX, ledger_dossiers, ledger_pdf, ledger_xlsx
from motcua.dossiers.printing import FormNotApplicable, render_form
from motcua.dossiers.queries import dossier_for
from motcua.errors import Problem, body


def _error(code: str, message: str, status: int, field: str = "") -> JsonResponse:
    problem = Problem(code=code, message=message)
    if field:
        problem["field"] = field
    return JsonResponse(body([problem]), status=status)


@require_GET
def form_pdf(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """``GET /api/v1/dossiers/<code>/forms/<name>.pdf``, ``name`` the form's kind
    (``control-sheet``) or its number in the numbering in force (``6``, ``06``): inline, as
    ``<code>-mau-0N.pdf`` (``<code>-<kind>.pdf`` for a form the numbering does not number)."""
    dossier = dossier_for(request.user, code)
    form = form_for_name(str(name))
    if form is None or form == Form.LEDGER:
        message = _("There is no form “%(name)s” to print for a dossier.") % {"name": name}
        return _error("form_not_applicable", message, 404)
    try:
        pdf = render_form(dossier, form)
    except FormNotApplicable as refused:
        return _error(refused.code, str(refused), 404)
    access_log.record_reads(request, AccessKind.PRINT, [dossier])
    number = numbered(form).number
    filename = f"{dossier.code}-mau-{number:02d}.pdf" if number else f"{dossier.code}-{form}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # The applicant's name, ID number and address: kept in no cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _date(request: HttpRequest, name: str) -> dt.date:
    value = request.GET.get(name, "")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(_("“%(name)s” must be a date as YYYY-MM-DD.") % {"name": name}) from None


Ledger = tuple[Agency | None, Field, dt.date, dt.date]


def _ledger_request(request: HttpRequest) -> Ledger | JsonResponse:
    """The agency (or all), field and period asked for, or the refusal to answer with.

    With ``agency``: officers of that agency and those who may read its reports. Without it
    (every agency): only those who may read every agency's reports."""
    user = request.user
    if not user.is_authenticated:
        return _error("not_authenticated", _("Sign in to read the ledger."), 403)
    agency_code = request.GET.get("agency", "").strip()
    agency = Agency.objects.filter(code=agency_code).first() if agency_code else None
    if agency_code and agency is None:
        message = _("There is no agency with code “%(code)s”.") % {"code": agency_code}
        return _error("no_such_agency", message, 400, "agency")
    if agency is None:
        allowed = permissions.report_agency_ids(user) is None
    else:
        allowed = permissions.can_read_reports(user, agency) or permissions.is_officer_of(
            user, agency
        )
    if not allowed:
        return _error("ledger_not_allowed", _("You may not read this ledger."), 403)
    field_code = request.GET.get("field", "").strip()
    field = Field.objects.filter(code=field_code).first() if field_code else None
    if field is None:
        return _error("required", _("Choose a field (lĩnh vực) by its code."), 400, "field")
    try:
        start = _date(request, "start")
    except ValueError as bad:
        return _error("invalid_date", str(bad), 400, "start")
    try:
        end = _date(request, "end")
    except ValueError as bad:
        return _error("invalid_date", str(bad), 400, "end")
    if start > end:
        return _error("period_reversed", _("The period starts after it ends."), 400, "end")
    if end - start > MAX_PERIOD:
        return _error("period_too_long", _("The period is longer than three years."), 400, "end")
    return agency, field, start, end


def _ledger_file(request: HttpRequest, kind: str) -> HttpResponse:
    asked = _ledger_request(request)
    if isinstance(asked, JsonResponse):
        return asked
    agency, field, start, end = asked
    render, content_type, disposition = LEDGER_FILES[kind]
    dossiers = ledger_dossiers(agency, field, start, end)
    # Applicants' names, addresses and telephones: an export of personal data (Decree 13/2023).
    access_log.record_export(request, dossiers, agency_id=agency.pk if agency else None)
    content = render(
        dossiers,
        title="Sổ theo dõi hồ sơ",
        field_name=field.name,
        start=start,
        end=end,
        agency_name=agency.name if agency else "",
    )
    response = HttpResponse(content, content_type=content_type)
    name = f"so-theo-doi-{slugify(field.code)}-{start:%Y%m%d}-{end:%Y%m%d}.{kind}"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


LEDGER_FILES = {
    "xlsx": (ledger_xlsx, XLSX, "attachment"),
    "pdf": (ledger_pdf, "application/pdf", "inline"),
}


@require_GET
def ledger_view(request: HttpRequest) -> HttpResponse:
    """``GET /api/v1/ledger.xlsx?field=<code>&start=YYYY-MM-DD&end=YYYY-MM-DD[&agency=<code>]``
    (see ``_ledger_request`` for who may)."""
    return _ledger_file(request, "xlsx")


@require_GET
def ledger_pdf_view(request: HttpRequest) -> HttpResponse:
    """``GET /api/v1/ledger.pdf`` with the parameters and permissions of ``ledger.xlsx``."""
    return _ledger_file(request, "pdf")
