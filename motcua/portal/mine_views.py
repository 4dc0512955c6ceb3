"""``/ho-so-cua-toi/``, "my dossiers": a signed-in citizen's own dossiers, each with its
status, public timeline, due date and its explanation, apology, documents and forms; answering a
supplement request online and asking to withdraw, through the engine's services. Nobody but the
owner sees a dossier here: another person's code is a 404 like an unknown one; officials (who
sign in on the workspace) are refused, anonymous visitors sent to sign in. No JavaScript."""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts import registration
from motcua.accounts.models import User
from motcua.dossiers import applicant, idempotency, services
from motcua.dossiers.errors import ActionRefused, DossierConflict
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.printing import FormNotApplicable, render_form
from motcua.dossiers.queries import own_dossier, own_dossiers, timeliness
from motcua.dossiers.workflow import Status
from motcua.errors import refusal_errors, refusal_status
from motcua.payments import queries as payment_queries
from motcua.payments.gateway import gateway
from motcua.portal import mine
from motcua.portal.mine_forms import SupplementForm, WithdrawForm
from motcua.satisfaction.queries import rating_of

PAGE_SIZE = 20
# A form's token answers the same whatever the form holds: the first answer decides.
SUPPLEMENT_FINGERPRINT = idempotency.fingerprint("portal:supplement", None)

View = Callable[..., HttpResponseBase]


def citizen_required(view: View) -> View:
    """Anonymous visitors go to the portal's sign-in and come back; an official's account (or
    one without the citizen's role) is refused: officials work on the workspace."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal:sign_in"))
        if not (isinstance(user, User) and registration.is_portal_account(user)):
            return render(request, "portal/mine_officials.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - citizen_required let only accounts through
    return user


@require_GET
@citizen_required
def dossier_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(own_dossiers(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(d, timeliness(d)) for d in page]
    return render(request, "portal/mine_list.html", {"page": page, "rows": rows})


@require_GET
@citizen_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    dossier = own_dossier(request.user, code)
    context = {
        "page": mine.page(dossier, _user(request)),
        "rating": rating_of(dossier),
        "online_offer": payment_queries.online_offer(dossier),
        "paid_payments": payment_queries.paid_payments(dossier),
    }
    response = render(request, "portal/mine_dossier.html", context)
    if context["online_offer"] is not None:
        # The pay form's answer redirects to the gateway: Chromium applies form-action to the
        # redirect, so this page lets forms lead there too.
        policy: dict[str, Any] = dict(settings.SECURE_CSP)
        policy["form-action"] = [*policy.get("form-action", []), gateway().origin]
        response._csp_config = policy  # type: ignore[attr-defined]
    return response


def _no_store[R: HttpResponseBase](response: R) -> R:
    """The applicant's papers: kept in no shared cache, never sniffed into another type."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download(document: DossierDocument | None) -> FileResponse:
    """``document``'s file as a download (``Content-Disposition: attachment``) with the type
    sniffed at upload; 404 for none."""
    if document is None or not document.file:
        raise Http404("document")
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type or "application/octet-stream",
        as_attachment=True,
        filename=(document.file.name or "").rsplit("/", 1)[-1],
    )
    return _no_store(response)


def _one(documents: list[DossierDocument], document_id: int) -> DossierDocument | None:
    return next((d for d in documents if d.pk == document_id), None)


@require_GET
@citizen_required
def document_file(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """A document the owner sent (``applicant.sent_documents``)."""
    dossier = own_dossier(request.user, code)
    sent = applicant.sent_documents(dossier, applicant.public_events(dossier))
    return _download(_one(sent, document_id))


@require_GET
@citizen_required
def result_file(request: HttpRequest, code: str, document_id: int) -> FileResponse:
    """The electronic result, once returned electronically (``applicant.electronic_results``)."""
    dossier = own_dossier(request.user, code)
    return _download(_one(applicant.electronic_results(dossier), document_id))


@require_GET
@citizen_required
def form_pdf(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """A form addressed to the applicant (receipt, supplement request, refusal, apology,
    stopping notice) from the engine's printing; 404 for any other or one that does not apply."""
    dossier = own_dossier(request.user, code)
    form = mine.printable(dossier, name)
    if form is None:
        raise Http404(name)
    try:
        pdf = render_form(dossier, form)
    except FormNotApplicable as refused:
        raise Http404(name) from refused
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{form.value}.pdf"'
    return _no_store(response)


def _refused(request: HttpRequest, dossier: Dossier, message: str, status: int) -> HttpResponse:
    context = {"dossier": dossier, "message": message}
    return render(request, "portal/mine_refused.html", context, status=status)


def _supplement_page(
    request: HttpRequest, page: mine.Page, form: SupplementForm, status: int = 200
) -> HttpResponse:
    context = {"page": page, "dossier": page.dossier, "form": form}
    return render(request, "portal/mine_supplement.html", context, status=status)


def _answer_once(form: SupplementForm, dossier: Dossier, user: User) -> tuple[Dossier, bool]:
    """The answer sent once per form token (``idempotency.once``); whether it was a repeat."""

    def answer() -> tuple[Dossier, int, dict[str, str]]:
        applicant.answer_supplement(
            dossier,
            actor=user,
            supplied=form.supplied(),
            note=form.cleaned_data["note"],
            expected_revision=form.cleaned_data["revision"],
        )
        return dossier, 302, {"code": dossier.code}

    token = form.cleaned_data.get("token")
    if token is None:
        return answer()[0], False
    found = idempotency.once(
        f"portal-supplement:{token}", actor=user, fingerprint=SUPPLEMENT_FINGERPRINT, create=answer
    )
    return found.dossier, found.replayed


def _into(form: SupplementForm | WithdrawForm, invalid: ValidationError) -> None:
    for problem in refusal_errors(invalid):
        field = problem.get("field")
        error = ValidationError(problem["message"], code=problem["code"])
        form.add_error(field if field in form.fields else None, error)


def _key(token: str) -> str:
    return f"portal-supplement:{token}"


def _replayed(request: HttpRequest, user: User) -> Dossier | None:
    """The dossier this form's token already answered, when the POST repeats one."""
    try:
        token = uuid.UUID(request.POST.get("token", ""))
    except ValueError:
        return None
    return idempotency.answered(_key(str(token)), actor=user, fingerprint=SUPPLEMENT_FINGERPRINT)


def _done(request: HttpRequest, dossier: Dossier, *, repeated: bool) -> HttpResponse:
    if repeated:
        messages.warning(
            request, _("This answer was already sent: nothing was sent a second time.")
        )
    else:
        messages.success(
            request, _("Your supplement was sent. The agency continues processing the dossier.")
        )
    return redirect("portal:mine_dossier", code=dossier.code)


@require_http_methods(["GET", "POST"])
@citizen_required
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    """``/ho-so-cua-toi/<code>/bo-sung/``: the papers asked for, one file field each, and a
    note; sent, they are attached and the dossier resubmitted (``applicant.answer_supplement``),
    once per form token. Only while the dossier waits for its owner's supplement."""
    user = _user(request)
    dossier = own_dossier(user, code)
    if request.method == "POST" and (already := _replayed(request, user)) is not None:
        return _done(request, already, repeated=True)
    page = mine.page(dossier, user)
    if not page.may_supplement:
        message = _("This dossier is not waiting for a supplement from you.")
        return _refused(request, dossier, message, 403)
    if request.method == "GET":
        initial = {"revision": dossier.revision}
        return _supplement_page(request, page, SupplementForm(page.requested, initial=initial))
    form = SupplementForm(page.requested, request.POST, request.FILES)
    if not form.is_valid():
        return _supplement_page(request, page, form, status=400)
    try:
        dossier, repeated = _answer_once(form, dossier, user)
    except (ActionRefused, DossierConflict) as refused:
        return _refused(request, dossier, str(refused), refusal_status(refused))
    except ValidationError as invalid:
        _into(form, invalid)
        return _supplement_page(request, page, form, status=400)
    return _done(request, dossier, repeated=repeated)


@require_http_methods(["GET", "POST"])
@citizen_required
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """``/ho-so-cua-toi/<code>/rut/``: the confirmation page, then the withdrawal through the
    engine's ``services.withdraw``; only in the states the workflow lets the owner withdraw
    from (newly registered, received, processing, waiting for a supplement or a payment)."""
    user = _user(request)
    dossier = own_dossier(user, code)
    if request.method == "POST" and dossier.status == Status.WITHDRAWN:
        # A second click on "withdraw": the first did it; say so rather than refuse.
        messages.info(request, _("This dossier is already withdrawn."))
        return redirect("portal:mine_dossier", code=dossier.code)
    page = mine.page(dossier, user)
    if not page.may_withdraw:
        message = _("This dossier can no longer be withdrawn online.")
        return _refused(request, dossier, message, 403)
    if request.method == "GET":
        form = WithdrawForm(initial={"revision": dossier.revision})
        return render(request, "portal/mine_withdraw.html", {"page": page, "form": form})
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(
                dossier, actor=user, reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data["revision"],
            )  # fmt: skip
        except (ActionRefused, DossierConflict) as refused:
            return _refused(request, dossier, str(refused), refusal_status(refused))
        except ValidationError as invalid:
            _into(form, invalid)
        else:
            messages.success(request, _("Your dossier is withdrawn."))
            return redirect("portal:mine_dossier", code=dossier.code)
    return render(request, "portal/mine_withdraw.html", {"page": page, "form": form}, status=400)
