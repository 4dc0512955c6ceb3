"""Online submission on the portal (issue 13 item 3): the draft form, the review, the
submitted dossier's code, and the download of a required document's template. Thin views over
``portal.submission`` (reads) and ``dossiers.drafts`` (writes). Signed-in citizens only:
anonymous visitors are sent to the sign-in, officials are refused (403)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.models import AccountKind, User
from motcua.accounts.registration import is_portal_account
from motcua.catalogue import document_templates
from motcua.catalogue.models import Case, RequiredDocument
from motcua.dossiers import drafts
from motcua.dossiers.draft_models import Draft
from motcua.dossiers.models import ApplicantKind
from motcua.errors import REFUSALS, refusal_errors, refusal_status
from motcua.portal import submission
from motcua.portal.submission_forms import ConfirmForm, SubmissionForm, file_field_name

View = Callable[..., HttpResponse]


def citizen_only(view: View) -> View:
    """Anonymous: to the sign-in and back; an official's account: 403 (officers work in the
    workspace and never submit as citizens)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User):
            return redirect(f"{reverse('portal:sign_in')}?{urlencode({'next': request.path})}")
        if not is_portal_account(user):
            return render(request, "portal/submit_officer.html", status=403)
        return view(request, user, *args, **kwargs)

    return guarded


def _offer(code: str) -> submission.Offer:
    offer = submission.online_offer(code, timezone.localdate())
    if offer is None:
        raise Http404(code)
    return offer


def _kind(user: User) -> str:
    organisation = user.kind == AccountKind.ORGANISATION
    return ApplicantKind.ORGANISATION if organisation else ApplicantKind.PERSON


def _initial(draft: Draft, offer: submission.Offer) -> dict[str, Any]:
    cases = list(offer.version.cases.all())
    case = draft.case.code if draft.case else cases[0].code
    agency = draft.agency.code if draft.agency else offer.agencies[0].code
    return {"case": case, "agency": agency, "return_method": "in_person", **draft.data}


def _documents(case: Case | None, offer: submission.Offer) -> list[RequiredDocument]:
    case = case or offer.version.cases.first()
    return list(case.documents.order_by("position")) if case else []


def _case_of(request: HttpRequest, draft: Draft, offer: submission.Offer) -> Case | None:
    """The case named in the post (when it is one of the procedure's), else the draft's."""
    return offer.case(request.POST.get("case", "")) or draft.case


def _context(draft: Draft, offer: submission.Offer, form: SubmissionForm) -> dict[str, Any]:
    lines = drafts.checklist(draft) if draft.case else []
    files = {line.required.pk: line.file for line in lines}
    documents = _documents(draft.case, offer)
    rows = [(form[file_field_name(d)], d, files.get(d.pk)) for d in documents]
    return {"offer": offer, "version": offer.version, "form": form, "rows": rows, "draft": draft}


def _put(draft: Draft, required: RequiredDocument, request: HttpRequest) -> None:
    """The file posted for ``required``: a plain upload (``file_<id>``), or the token of a
    complete resumable upload (``upload_<id>``, for a page enhanced by JavaScript)."""
    upload = request.FILES.get(file_field_name(required))
    if upload is not None:
        drafts.put_file(draft, required, upload)
        return
    token = request.POST.get(f"upload_{required.pk}", "")
    if token:
        assert isinstance(request.user, User)  # noqa: S101 - citizen_only
        drafts.put_upload(draft, required, token, owner=request.user)


def _save(
    request: HttpRequest, draft: Draft, offer: submission.Offer, form: SubmissionForm
) -> bool:
    """Keep what was typed and the files that pass the checks; whether any file was refused
    (its error is put next to it)."""
    post = request.POST
    case = _case_of(request, draft, offer)
    agency = offer.agency(post.get("agency", "")) or draft.agency
    drafts.save_entries(draft, case=case, agency=agency, data=post.dict())
    refused = False
    for required in _documents(case, offer):
        try:
            _put(draft, required, request)
        except ValidationError as problem:
            refused = True
            for error in refusal_errors(problem):
                message = ValidationError(error["message"], code=error["code"])
                form.add_error(file_field_name(required), message)
    if post.get("remove", "").isdigit():
        drafts.remove_file(draft, int(post["remove"]))
    return refused


@require_http_methods(["GET", "POST"])
@citizen_only
def submit_online(request: HttpRequest, user: User, code: str) -> HttpResponse:
    """``/thu-tuc/<code>/nop-truc-tuyen/``: the draft (resumed, or started prefilled from the
    account). Posted, what was typed is kept, the files checked and kept; "Review" goes on to
    the review when all is well, else the form comes back with the errors (400)."""
    offer = _offer(code)
    draft = drafts.draft_for(user, offer.version)
    if request.method == "GET":
        form = SubmissionForm(
            initial=_initial(draft, offer), offer=offer,
            documents=_documents(draft.case, offer), kind=_kind(user),
        )  # fmt: skip
        return render(request, "portal/submit.html", _context(draft, offer, form))
    form = SubmissionForm(
        request.POST, request.FILES, offer=offer,
        documents=_documents(_case_of(request, draft, offer), offer), kind=_kind(user),
    )  # fmt: skip
    valid = form.is_valid()
    refused = _save(request, draft, offer, form)
    if request.POST.get("action") == "review" and valid and not refused:
        try:
            drafts.check_ready(draft)
        except ValidationError as problem:
            _errors_into(form, problem)
        else:
            return redirect("portal:submit_review", code=code)
    status = 400 if form.errors else 200
    context = {**_context(draft, offer, form), "saved": not form.errors}
    return render(request, "portal/submit.html", context, status=status)


def _errors_into(form: SubmissionForm, problem: ValidationError) -> None:
    for error in refusal_errors(problem):
        field = error.get("field")
        problem_here = ValidationError(error["message"], code=error["code"])
        form.add_error(field if field in form.fields else None, problem_here)


@require_http_methods(["GET", "POST"])
@citizen_only
def submit_review(request: HttpRequest, user: User, code: str) -> HttpResponse:
    """``…/nop-truc-tuyen/xem-lai/``: everything once more, then "Submit" with the page's
    one-time token; the same token posted again answers with the same dossier."""
    offer = _offer(code)
    procedure = offer.version.procedure
    if request.method == "POST":
        return _confirm(request, user, offer)
    draft = drafts.existing_draft(user, procedure)
    if draft is None:
        return redirect("portal:submit_online", code=code)
    try:
        drafts.check_ready(draft)
    except ValidationError:
        return redirect("portal:submit_online", code=code)
    context = {"offer": offer, "version": offer.version, "draft": draft,
               "lines": drafts.checklist(draft), "confirm": ConfirmForm()}  # fmt: skip
    return render(request, "portal/submit_review.html", context)


def _confirm(request: HttpRequest, user: User, offer: submission.Offer) -> HttpResponse:
    code = offer.version.procedure.code
    confirm = ConfirmForm(request.POST)
    if not confirm.is_valid():
        return redirect("portal:submit_review", code=code)
    try:
        answer = drafts.submit_draft(
            user, offer.version.procedure, token=str(confirm.cleaned_data["token"])
        )
    except REFUSALS as problem:
        context = {"offer": offer, "version": offer.version, "problems": refusal_errors(problem)}
        return render(
            request, "portal/submit_refused.html", context, status=refusal_status(problem)
        )
    return redirect("portal:submitted", code=code, dossier=answer.dossier.code)


@require_GET
@citizen_only
def submitted(request: HttpRequest, user: User, code: str, dossier: str) -> HttpResponse:
    """``…/nop-truc-tuyen/da-nop/<dossier>/``: the code of the dossier just submitted, for its
    owner only (404 for anyone else)."""
    found = submission.submitted(user, dossier)
    if found is None or found.version.procedure.code != code:
        raise Http404(dossier)
    return render(request, "portal/submitted.html", {"dossier": found})


@require_POST
@citizen_only
def discard_draft(request: HttpRequest, user: User, code: str) -> HttpResponse:
    """Delete the draft and its files, then back to the procedure's page."""
    draft = drafts.existing_draft(user, _offer(code).version.procedure)
    if draft is not None:
        drafts.discard(draft)
    return redirect("portal:procedure", code=code)


@require_GET
def template_download(request: HttpRequest, code: str, case: str, document: str) -> FileResponse:
    """``/thu-tuc/<code>/mau/<case>/<TP01>/``: a required document's template, for anyone,
    always as a download (``Content-Disposition: attachment``, ``nosniff``)."""
    found = submission.document_template(code, case, document, timezone.localdate())
    if found is None:
        raise Http404(document)
    content_type = document_templates.served_type(found)
    name = found.template.name or ""
    response = FileResponse(
        found.template.storage.open(name, "rb"),
        as_attachment=True,
        filename=name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
