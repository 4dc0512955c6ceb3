"""The officer workspace: thin views that parse, call the shared queries and services, render.

Access: every page needs a signed-in user; dossiers come from ``queries.dossier_for`` (404 for
a dossier the user may not read) and the actions offered are exactly ``actions_for``; the
service checks the workflow table again when the form is posted."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role, User
from motcua.dossiers import (
    access_log,
    actions,
    extra_papers,
    notices,
    queries,
    recipients,
    replies,
    statutory,
)
from motcua.dossiers import documents as dossier_documents
from motcua.dossiers.access_models import AccessKind
from motcua.dossiers.errors import ActionRefused, DossierConflict
from motcua.dossiers.form_numbering import Form, form_for_name, numbered
from motcua.dossiers.ledger import XLSX
from motcua.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierStep,
    PaymentMethod,
    ReplyKind,
)
from motcua.dossiers.permissions import actions_for
from motcua.dossiers.printing import applicable_forms
from motcua.dossiers.services import fees_owed, returns_by_post
from motcua.dossiers.signatures import keep_signed_copy
from motcua.dossiers.workflow import OPEN_STATUSES, Action, Status
from motcua.errors import refusal_status
from motcua.notifications.models import Channel as NoticeChannel
from motcua.notifications.services import max_attempts
from motcua.workdays.calendars import spec_for
from motcua.workspace import bulk, queues, saved_filters, signing_views, twofactor_views
from motcua.workspace import signing as result_signing
from motcua.workspace.agency_admin import shows_admin_link
from motcua.workspace.forms import (
    ACTION_FORMS,
    ActionForm,
    AgencyForm,
    AttachForm,
    SignInForm,
    action_form,
    errors_into,
)
from motcua.workspace.queues import ledger_for, ledger_rows
from motcua.workspace.saved_filters import SavedFilterForm
from motcua.workspace.signing_views import signing_context
from motcua.workspace.templatetags.money import format_vnd

AGENCY_SESSION_KEY = "workspace_agency"
# What each printed form is; its number comes from the numbering in force (form_numbering.py).
PRINT_FORMS: dict[Form, Any] = {
    Form.RECEIPT: pgettext_lazy("printed form", "receipt and appointment"),
    Form.SUPPLEMENT: pgettext_lazy("printed form", "supplement request"),
    Form.REFUSAL: pgettext_lazy("printed form", "refusal"),
    Form.APOLOGY: pgettext_lazy("printed form", "apology and extension request"),
    Form.STOP_NOTICE: pgettext_lazy("printed form", "notice of stopping processing"),
    Form.CONTROL_SHEET: pgettext_lazy("printed form", "process control sheet"),
}


def print_label(form: Form) -> str:
    """``Mẫu 06: phiếu kiểm soát quá trình`` (the number of the numbering in force)."""
    number = numbered(form).number
    what = str(PRINT_FORMS[form])
    return _("Form %(n)02d: %(what)s") % {"n": number, "what": what} if number else what


class SignInView(LoginView):
    template_name = "workspace/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        # The password was right; an account with a second factor goes on to the code page.
        return twofactor_views.after_password(self.request, super().form_valid(form))


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    return user


def _current_agency(request: HttpRequest, agencies: list[Agency]) -> Agency:
    """The agency chosen in this session among the user's, or the first."""
    chosen = request.session.get(AGENCY_SESSION_KEY)
    for agency in agencies:
        if agency.pk == chosen:
            return agency
    return agencies[0]


def _officer_agency(request: HttpRequest) -> Agency:
    """The agency chosen in the session; 404 for a user who is no officer anywhere."""
    agencies = queues.officer_agencies(_user(request))
    if not agencies:
        raise Http404("not an officer")
    return _current_agency(request, agencies)


def _list_page(
    request: HttpRequest,
    params: QueryDict,
    save_form: SavedFilterForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The list page for ``params``: queue counts and tabs; with filter parameters, the
    matches of ``DossierFilter`` (the API's filters) 50 a page by due instant, else the rows
    of one queue. Invalid filters: errors next to the fields, what was typed kept, 400."""
    user = _user(request)
    agencies = queues.officer_agencies(user)
    if not agencies:
        # Not an officer anywhere: reform officers land on the reports they read, agency
        # administrators on their screens; anyone else has no workspace here.
        if permissions.can_read_reports(user):
            return redirect("workspace:reports")
        if shows_admin_link(user):
            return redirect("workspace:admin")
        return render(request, "workspace/no_workspace.html", status=403)
    agency = _current_agency(request, agencies)
    now = timezone.now()
    key = params.get("queue", "my_steps")
    if key not in queues.QUEUE_KEYS:
        key = "my_steps"
    counts = queues.counts(user, agency, now)
    filtering = queues.is_filtering(params)
    search = queues.list_filter(user, agency, params if filtering else None)
    page = None
    query = saved_filters.filter_query(params)
    if filtering:
        if search.is_valid():
            paginator = Paginator(queues.filtered(search), queues.PAGE_SIZE)
            page = paginator.get_page(params.get("page"))
            rows = queues.page_rows(page.object_list, agency, now)
        else:
            rows, status = [], 400
    else:
        rows = queues.rows(user, agency, key, now)
    # The list shows each applicant's name: one log row for the page (Decree 13/2023).
    access_log.record_reads(
        request, AccessKind.LIST, [row.dossier for row in rows], agency_id=agency.pk
    )
    tabs = [(q.key, q.label, counts[q.key]) for q in queues.QUEUES]
    return render(
        request,
        "workspace/queues.html",
        {
            "agency": agency,
            "agencies": agencies,
            "tabs": tabs,
            "current": key,
            "rows": rows,
            "page": page,
            "searching": filtering,
            "filter_form": search.form,
            "filter_query": query,
            "ledger_number": numbered(Form.LEDGER).number,
            "list_params": params,
            "saved_filters": list(saved_filters.filters_of(user)),
            "save_form": save_form or SavedFilterForm(initial={"query": query}),
            "bulk_actions": bulk.BULK_ACTIONS,
            "q": params.get("q", ""),
            "desk": Role.DESK_OFFICER in permissions.roles_in(user, agency),
        },
        status=status,
    )


@login_required
@require_GET
def queue_page(request: HttpRequest) -> HttpResponse:
    """``/workspace/``: counts of every queue at the chosen agency and the rows of one; with
    filter parameters, the dossiers matching ``DossierFilter`` (the API's filters) instead."""
    return _list_page(request, request.GET)


@login_required
@require_POST
def save_filter(request: HttpRequest) -> HttpResponse:
    """Keep the list's current filters under a name for this user."""
    form = SavedFilterForm(request.POST)
    params = QueryDict(request.POST.get("query", ""))
    if form.is_valid():
        try:
            saved = saved_filters.save_filter(
                user=_user(request),
                name=form.cleaned_data["name"],
                query=form.cleaned_data["query"],
            )
        except DjangoValidationError as invalid:
            for field, texts in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, texts)
        else:
            messages.success(request, _("Filter “%(name)s” saved.") % {"name": saved.name})
            return HttpResponseRedirect(f"{reverse('workspace:queues')}?{saved.query}")
    return _list_page(request, params, save_form=form, status=400)


@login_required
@require_POST
def delete_filter(request: HttpRequest, filter_id: int) -> HttpResponse:
    """Delete one of the user's saved filters; another user's is a 404, as a missing one."""
    if not saved_filters.delete_filter(user=_user(request), filter_id=filter_id):
        raise Http404("no such filter")
    messages.success(request, _("Saved filter deleted."))
    return redirect("workspace:queues")


@login_required
@require_GET
def ledger_download(request: HttpRequest) -> HttpResponse:
    """The ledger (Form 06) of the dossiers received at the chosen agency that match the
    list's filters, laid out by ``dossiers.ledger.ledger_xlsx`` like ``/api/v1/ledger.xlsx``
    and allowed to the same people (officers of the agency, readers of its reports)."""
    user = _user(request)
    agency = _officer_agency(request)
    if not (permissions.can_read_reports(user, agency) or permissions.is_officer_of(user, agency)):
        raise PermissionDenied
    search = queues.list_filter(user, agency, request.GET)
    back = f"{reverse('workspace:queues')}?{request.GET.urlencode()}"
    if not search.is_valid():
        messages.error(request, _("Correct the filters first."))
        return HttpResponseRedirect(back)
    try:
        workbook, name = ledger_for(search.qs, agency, search.form.cleaned_data)
    except ValueError as refused:
        messages.error(request, str(refused))
        return HttpResponseRedirect(back)
    access_log.record_export(request, ledger_rows(search.qs, agency), agency_id=agency.pk)
    response = HttpResponse(workbook, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _print_now(request: HttpRequest, printable: list[Form]) -> tuple[str, str] | None:
    """The form the desk just issued (``?print=receipt`` after receipt, ``?print=refusal``
    after a refusal; an older ``?print=1`` reads the number in force), offered at the top."""
    form = form_for_name(request.GET.get("print", ""))
    if form not in (Form.RECEIPT, Form.REFUSAL) or form not in printable:
        return None
    return form.value, print_label(form)


@login_required
@require_POST
def choose_agency(request: HttpRequest) -> HttpResponse:
    """Remember which of the user's agencies the queues show."""
    form = AgencyForm(request.POST)
    agencies = queues.officer_agencies(_user(request))
    if form.is_valid() and any(a.pk == form.cleaned_data["agency"] for a in agencies):
        request.session[AGENCY_SESSION_KEY] = form.cleaned_data["agency"]
    return redirect("workspace:queues")


def _detail(request: HttpRequest, code: str) -> Dossier:
    dossier = queries.dossier_for(request.user, code)
    steps = DossierStep.objects.select_related("agency", "assignee", "handed_to")
    events = DossierEvent.objects.select_related("actor", "agency").order_by("at", "pk")
    return (
        Dossier.objects.filter(pk=dossier.pk)
        .select_related(
            "version__procedure",
            "case",
            "receiving_agency",
            "lead_agency",
            "current_agency__calendar",
            "current_step__agency",
            "owner",
        )
        .prefetch_related(
            Prefetch("steps", queryset=steps.order_by("position")),
            Prefetch("events", queryset=events),
            "documents",
        )
        .get()
    )


def _supplement_templates(dossier: Dossier, allowed: list[Action]) -> list[Any]:
    """The supplement-request templates of the agencies holding and receiving the dossier,
    read only when the user may request a supplement."""
    if Action.REQUEST_SUPPLEMENT not in allowed:
        return []
    agencies = [dossier.current_agency, dossier.receiving_agency]
    return replies.active_templates(agencies, ReplyKind.SUPPLEMENT)


def _listed(data: Any) -> list[str]:
    """What an event lists for the log: a supplement request's missing items, an attachment's
    document (a refusal's reasons are already its ``reason``). Read with ``.get``: in a
    template ``data.items`` would be the dict's ``items`` method for every other event."""
    if not isinstance(data, Mapping):
        return []
    listed = data.get("items")
    if isinstance(listed, list):
        extra = [
            _("%(paper)s (beyond the published list; legal basis: %(basis)s)")
            % {"paper": p.name, "basis": p.legal_basis}
            for p in extra_papers.from_data(data.get("extra_papers"))
        ]
        return [str(i) for i in listed] + extra
    if data.get("receipt") or data.get("method"):  # a payment: amount, receipt, how paid
        method = data.get("method")
        return [
            format_vnd(data.get("amount", 0)),
            *([_("receipt %(n)s") % {"n": data["receipt"]}] if data.get("receipt") else []),
            *([str(PaymentMethod(method).label)] if method in PaymentMethod.values else []),
        ]
    document = data.get("document")
    return [document] if isinstance(document, str) else []


def _notices(user: User, dossier: Dossier) -> dict[str, Any]:
    """The applicant's notices with their delivery state and the channels chosen, for those
    who may see them (``queries.applicant_notices``; ``None`` hides the section)."""
    found = queries.applicant_notices(user, dossier)
    channels = [NoticeChannel(a.channel).label for a in notices.channels_of(dossier)]
    return {"notices": found, "notice_channels": channels, "max_attempts": max_attempts()}


def _render_dossier(
    request: HttpRequest,
    dossier: Dossier,
    bound: Mapping[str, ActionForm] | None = None,
    error: str = "",
    status: int = 200,
    attach_form: AttachForm | None = None,
    sign_form: Any = None,
) -> HttpResponse:
    user = _user(request)
    bound = bound or {}
    may = actions_for(user, dossier)
    allowed = [a for a in may if a in actions.REGISTRY and a in ACTION_FORMS]
    if Action.ALLOW_FURTHER_SUPPLEMENT in allowed and not statutory.further_supplement_needed(
        dossier
    ):
        allowed.remove(Action.ALLOW_FURTHER_SUPPLEMENT)  # offered once the requests are used
    if Action.HAND_TO_POST in allowed and not returns_by_post(dossier):
        allowed.remove(Action.HAND_TO_POST)  # offered only when the applicant chose the post
    templates = _supplement_templates(dossier, allowed)
    forms = [
        (
            name,
            Action(name).label,
            bound.get(name)
            or action_form(
                name,
                dossier.revision,
                templates=templates,
                choices=recipients.choices_for(name, dossier),
            ),
        )
        for name in allowed
    ]
    documents = list(dossier.documents.all())
    if Action.ATTACH in may and attach_form is None:
        attach_form = AttachForm(
            initial={"revision": dossier.revision},
            documents=documents,
            results=dossier.status == Status.PROCESSING,
        )
    printable = applicable_forms(dossier)
    late = 0
    if dossier.status in OPEN_STATUSES:
        spec = spec_for(dossier.current_agency.calendar)
        late = queues.overdue_working_days(dossier.due_at, timezone.now(), spec)
    context: dict[str, Any] = {
        "dossier": dossier,
        "steps": list(dossier.steps.all()),
        "events": [(e, _listed(e.data)) for e in dossier.events.all()],
        "documents": documents,
        "fees": list(dossier.case.fees.all()),
        "fees_owed": fees_owed(dossier),
        "may_open_documents": queries.may_open_documents(user, dossier),
        "timeliness": queries.timeliness(dossier),
        **_notices(user, dossier),
        "overdue_days": late,
        "action_forms": forms,
        "attach_form": attach_form if Action.ATTACH in may else None,
        "print_forms": [(form.value, print_label(form)) for form in printable],
        "print_now": _print_now(request, printable),
        "error": error,
        **signing_context(user, dossier, sign_form),
    }
    # The applicant's name, ID number, address and documents: logged (Decree 13/2023).
    access_log.record_reads(
        request, AccessKind.VIEW, [dossier], agency_id=request.session.get(AGENCY_SESSION_KEY)
    )
    return render(request, "workspace/dossier.html", context, status=status)


@login_required
@require_GET
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    return _render_dossier(request, _detail(request, code))


def _refusal_page(
    request: HttpRequest, dossier: Dossier, refused: ActionRefused | DossierConflict
) -> HttpResponse:
    """The dossier page with why the service refused (status ``refusal_status``): 403 with its
    reason, or, when someone acted since the page was loaded, 409 with the dossier as it is
    now."""
    status = refusal_status(refused)
    if isinstance(refused, DossierConflict):
        message = _("Someone changed this dossier while you were reading it. Reload the page.")
        return _render_dossier(
            request, _detail(request, dossier.code), error=message, status=status
        )
    return _render_dossier(request, dossier, error=str(refused), status=status)


@login_required
@require_POST
def act(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """Take action ``name`` through the engine's registry (``actions.take``), as the API."""
    dossier = _detail(request, code)
    if name not in actions.REGISTRY or name not in ACTION_FORMS:
        raise Http404(name)
    user = _user(request)
    templates = _supplement_templates(dossier, [Action(name)])
    form = action_form(
        name,
        dossier.revision,
        request.POST,
        templates=templates,
        choices=recipients.choices_for(name, dossier),
        files=request.FILES,
    )
    if not form.is_valid():
        return _render_dossier(request, dossier, {name: form}, status=400)
    data = dict(form.cleaned_data)
    try:
        if name == Action.APPROVE and (data.get("key_file") or data.get("pin")):
            data["signed_result"] = result_signing.sign_result(
                dossier,
                user,
                key_file=data.get("key_file"),
                passphrase=data.get("passphrase", ""),
                pin=data.get("pin", ""),
            )
        actions.take(dossier, name, user, data)
    except (ActionRefused, DossierConflict) as refused:
        return _refusal_page(request, dossier, refused)
    except DjangoValidationError as invalid:
        errors_into(form, invalid)
        return _render_dossier(request, dossier, {name: form}, status=400)
    messages.success(
        request, _("Done: %(action)s (%(code)s).") % {"action": Action(name).label, "code": code}
    )
    return HttpResponseRedirect(reverse("workspace:dossier", args=[code]))


@login_required
@require_POST
def sign(request: HttpRequest, code: str) -> HttpResponse:
    """Sign the chosen electronic copy; refusals on the form (400), or the page's reason."""
    dossier = _detail(request, code)
    user = _user(request)
    if Action.SIGN not in actions_for(user, dossier):
        message = _("Only the receiving desk signs the electronic copies of this dossier.")
        return _render_dossier(request, dossier, error=message, status=403)
    form = signing_views.SignForm(
        request.POST, request.FILES, choices=signing_views.subjects(dossier)
    )
    if not form.is_valid():
        return _render_dossier(request, dossier, sign_form=form, status=400)
    data = form.cleaned_data
    try:
        signed, unsigned_sha256, document = result_signing.sign_copy(
            dossier,
            user,
            subject=data["subject"],
            key_file=data.get("key_file"),
            passphrase=data.get("passphrase", ""),
            pin=data.get("pin", ""),
        )
        keep_signed_copy(
            dossier,
            actor=user,
            signed=signed,
            unsigned_sha256=unsigned_sha256,
            document=document,
            expected_revision=data["revision"],
        )
    except (ActionRefused, DossierConflict) as refused:
        return _refusal_page(request, dossier, refused)
    except DjangoValidationError as invalid:
        errors_into(form, invalid)
        return _render_dossier(request, dossier, sign_form=form, status=400)
    messages.success(request, _("Signed: %(code)s.") % {"code": code})
    return HttpResponseRedirect(reverse("workspace:dossier", args=[code]) + "#signed-copies")


@login_required
@require_POST
def attach(request: HttpRequest, code: str) -> HttpResponse:
    """Attach scans from the dossier page through ``documents.attach``, the API's service:
    every file is checked (type from its content, size) before any is stored."""
    dossier = _detail(request, code)
    user = _user(request)
    documents = list(dossier.documents.all())
    form = AttachForm(
        request.POST,
        request.FILES,
        documents=documents,
        results=dossier.status == Status.PROCESSING,
    )
    if Action.ATTACH not in actions_for(user, dossier):
        message = _("You may not attach documents to this dossier now.")
        return _render_dossier(request, dossier, error=message, status=403)
    if form.is_valid():
        uploads = form.cleaned_data["uploads"]
        for upload in uploads:
            try:
                dossier_documents.check_upload(upload)
            except DjangoValidationError as invalid:
                detail = "; ".join(invalid.message_dict.get("file", invalid.messages))
                form.add_error("uploads", f"{upload.name}: {detail}")
    if not form.is_valid():
        return _render_dossier(request, dossier, attach_form=form, status=400)
    data = form.cleaned_data
    name = data["name"].strip()
    revision = data["revision"]
    try:
        with transaction.atomic():
            for n, upload in enumerate(data["uploads"]):
                label = f"{name} ({n + 1})" if name and len(data["uploads"]) > 1 else name
                dossier_documents.attach(
                    dossier,
                    actor=user,
                    upload=upload,
                    name=label,
                    document_id=data["document"],
                    result=bool(data.get("result")),
                    expected_revision=revision + n,
                )
    except (ActionRefused, DossierConflict) as refused:
        return _refusal_page(request, dossier, refused)
    except DjangoValidationError as invalid:
        errors_into(form, invalid)
        return _render_dossier(request, dossier, attach_form=form, status=400)
    messages.success(
        request,
        _("Attached %(n)s file(s) to %(code)s.") % {"n": len(data["uploads"]), "code": code},
    )
    return HttpResponseRedirect(reverse("workspace:dossier", args=[code]) + "#documents")


# Served inline only as the type sniffed at upload; anything else is a download.
PREVIEW_TYPES = frozenset(dossier_documents.SIGNATURES.values())
# The site's Content Security Policy, except that the dossier page may preview a document in an
# <iframe>: framing by our own pages only.
PREVIEW_CSP: dict[str, Any] = {**dict(settings.SECURE_CSP), "frame-ancestors": [CSP.SELF]}


@login_required
@require_GET
@xframe_options_sameorigin
@csp_override(PREVIEW_CSP)
def document_file(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """A document's file for the dossier page's preview (``<img>``, ``<iframe>``), to those
    who may open its documents: another agency's dossier is a 404, a report reader's 403."""
    dossier = queries.dossier_for(request.user, code)
    if not queries.may_open_documents(request.user, dossier):
        raise PermissionDenied(_("Reading reports does not give access to a dossier's documents."))
    document = dossier.documents.filter(pk=document_id).exclude(file="").first()
    if document is None:
        raise Http404(str(document_id))
    inline = document.content_type in PREVIEW_TYPES
    access_log.record_reads(
        request, AccessKind.DOWNLOAD, [dossier], agency_id=request.session.get(AGENCY_SESSION_KEY)
    )
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=(document.file.name or "").rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response
