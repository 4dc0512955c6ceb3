"""Citizens' and organisations' accounts on the portal: register, verify the contact with a
one-time code, sign in and out. Thin views over ``accounts.registration``; officials are
refused here (they sign in on the workspace), and the workspace refuses citizens."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts import registration
from motcua.accounts.models import User
from motcua.portal.account_forms import (
    NoticeChannelsForm,
    PortalSignInForm,
    RegisterForm,
    VerifyForm,
)
from motcua.portal.contact import send_code
from motcua.portal.throttle import allow_account_post

# The session key holding the account waiting for its code (registered in this browser).
PENDING = "portal_pending_account"
# Set on a request whose page explains the lock itself, so that axes' lock-out answer keeps it
# (the name ``motcua.workspace.lockout.EXPLAINED`` reads; the portal may not import it).
LOCKOUT_EXPLAINED = "motcua_lockout_explained"


def _minutes() -> int:
    return int(settings.MOTCUA_VERIFICATION_MINUTES)


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(request, "portal/account_limited.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _errors_into(form: RegisterForm, invalid: ValidationError) -> None:
    """The service's refusals next to the fields they name (its ``password`` is the form's
    first password field)."""
    for field, errors in invalid.error_dict.items():
        name = "password1" if field == "password" else field
        form.add_error(name if name in form.fields else None, errors)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """``/dang-ky/``: the registration form; a valid one creates the inactive account, sends
    the code and leads to ``/dang-ky/xac-minh/``. Nothing typed is lost on an error (the
    passwords excepted)."""
    if request.method == "GET":
        return render(request, "portal/register.html", {"form": RegisterForm()})
    allowed, wait = allow_account_post(request)
    if not allowed:
        return _too_many(request, wait)
    form = RegisterForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user, code = registration.register_account(
                registration.Registration(
                    kind=data["kind"],
                    full_name=data["full_name"],
                    id_number=data["id_number"],
                    password=data["password1"],
                    email=data["email"],
                    phone=data["phone"],
                    representative=data["representative"],
                    notify_by_email=data["notify_by_email"],
                    notify_by_sms=data["notify_by_sms"],
                )
            )
        except ValidationError as invalid:
            _errors_into(form, invalid)
        else:
            send_code(user, code, minutes=_minutes())
            request.session[PENDING] = user.pk
            return redirect("portal:verify")
    return render(request, "portal/register.html", {"form": form}, status=400)


def _pending(request: HttpRequest) -> User | None:
    pk = request.session.get(PENDING)
    return User.objects.filter(pk=pk, is_active=False).first() if pk else None


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """``/dang-ky/xac-minh/``: type the code sent to the contact (or ask for a new one)."""
    user = _pending(request)
    if user is None:
        return redirect("portal:register")
    channel, _target = registration.contact_of(user)
    context = {"channel": channel, "minutes": _minutes()}
    if request.method == "GET":
        return render(request, "portal/verify.html", {"form": VerifyForm(), **context})
    allowed, wait = allow_account_post(request)
    if not allowed:
        return _too_many(request, wait)
    if "resend" in request.POST:
        _verification, code = registration.issue_code(user)
        send_code(user, code, minutes=_minutes())
        messages.info(request, _("A new code has been sent."))
        return redirect("portal:verify")
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            registration.verify_contact(user, form.cleaned_data["code"])
        except ValidationError as refused:
            form.add_error("code", refused)
        else:
            del request.session[PENDING]
            messages.success(request, _("Your account is active. Sign in."))
            return redirect("portal:sign_in")
    return render(request, "portal/verify.html", {"form": form, **context}, status=400)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """``/dang-nhap/``: citizens' and organisations' sign-in with the lock-out; officials'
    accounts are refused with a pointer to the workspace."""
    user = request.user
    if isinstance(user, User) and registration.is_portal_account(user):
        return redirect(_next(request))
    if request.method == "GET":
        form = PortalSignInForm(request)
        return render(request, "portal/sign_in.html", _sign_in_context(request, form))
    allowed, wait = allow_account_post(request)
    if not allowed:
        return _too_many(request, wait)
    form = PortalSignInForm(request, data=request.POST)
    if form.is_valid():
        account = form.get_user()
        # The sign-in is complete: forget the username's failures (AXES_RESET_ON_SUCCESS is
        # off so that the workspace's second factor can clear them itself).
        AxesProxyHandler.reset_attempts(username=account.get_username().strip().lower()[:150])
        login(request, account)
        return redirect(_next(request))
    status = 400
    if any(e.code == "locked" for e in form.non_field_errors().as_data()):
        setattr(request, LOCKOUT_EXPLAINED, True)
        status = int(settings.AXES_HTTP_RESPONSE_CODE)
    return render(request, "portal/sign_in.html", _sign_in_context(request, form), status=status)


def _sign_in_context(request: HttpRequest, form: PortalSignInForm) -> dict[str, object]:
    return {
        "form": form,
        "next": _next(request),
        # The identity provider's button, when one is configured (portal/oidc.py).
        "oidc": bool(settings.OIDC_RP_CLIENT_ID),
        "oidc_failed": request.GET.get("oidc") == "failed",
    }


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    """``/dang-xuat/``: a button (GET) that signs out (POST). Only a portal account is signed
    out here: an official's session belongs to the workspace, which the portal does not treat
    as signed in (``templatetags/portal_visitor.py``), so a public page cannot end it."""
    user = request.user
    if request.method == "POST":
        if isinstance(user, User) and registration.is_portal_account(user):
            logout(request)
        return redirect("portal:home")
    return render(request, "portal/sign_out.html")


@require_http_methods(["GET", "POST"])
def notice_channels(request: HttpRequest) -> HttpResponse:
    """``/tai-khoan/thong-bao/``: a signed-in citizen chooses how they are told about their
    dossiers (e-mail, SMS); others are sent to the portal's sign-in."""
    user = request.user
    if not (isinstance(user, User) and registration.is_portal_account(user)):
        return redirect(f"{reverse('portal:sign_in')}?next={request.path}")
    initial = {"notify_by_email": user.notify_by_email, "notify_by_sms": user.notify_by_sms}
    form = NoticeChannelsForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        email, sms = form.cleaned_data["notify_by_email"], form.cleaned_data["notify_by_sms"]
        registration.choose_notice_channels(user, email=email, sms=sms)
        messages.success(request, _("Your choice is saved."))
        return redirect("portal:notice_channels")
    context = {"form": form, "email": user.email, "phone": user.phone}
    return render(request, "portal/notice_channels.html", context)
