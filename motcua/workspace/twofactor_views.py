"""Two-factor pages: ``/workspace/security/`` (turn it on with an authenticator app, see the
recovery codes once, turn it off) and ``/workspace/login/code/`` (the second step of signing in).
Thin: the writes are ``motcua.workspace.twofactor``'s, the enforcement ``twofactor_guard``'s."""

from typing import Any

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from motcua.accounts.models import User
from motcua.workspace import lockout, twofactor, twofactor_guard
from motcua.workspace.forms import errors_into

CODES_SESSION_KEY = "workspace_new_recovery_codes"


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from the app"),
        max_length=40,
        help_text=gettext_lazy(
            "The 6 digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


class DisableForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Current code or a recovery code"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Or your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - behind login_required
    return user


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _locked_message(request: HttpRequest, until: Any) -> str:
    lockout.explained(request)
    return lockout.message(until)


def after_password(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Where ``SignInView`` goes once the password is right: the code page when the account
    has a second factor, the enrolment page when it must get one, else where it was going."""
    state = twofactor_guard.owed(request)
    if state == twofactor_guard.PENDING:
        target = response.get("Location") or reverse(settings.LOGIN_REDIRECT_URL)
        return HttpResponseRedirect(
            reverse("workspace:login_code") + "?" + urlencode({"next": target})
        )
    if state == twofactor_guard.ENROL:
        messages.info(
            request, _("Officers must turn on two-factor authentication before going on.")
        )
        return redirect("workspace:security")
    return response


def _qr_svg(device: Any) -> SafeString:
    # segno builds the SVG from our own otpauth URL: no user input reaches the markup.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111")
    return mark_safe(svg)  # noqa: S308


@sensitive_post_parameters("token", "password")
@login_required
def code_page(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a recovery code."""
    user = _user(request)
    if twofactor_guard.owed(request) != twofactor_guard.PENDING:
        return HttpResponseRedirect(_next(request))
    if not twofactor.has_two_factor(user):
        # Turned off from another session meanwhile: nothing left to ask.
        twofactor_guard.mark_done(request)
        return HttpResponseRedirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = twofactor.verify_sign_in(
                user=user, token=form.cleaned_data["token"], request=request
            )
        except twofactor.SecondFactorLocked as locked:
            logout(request)
            messages.error(request, _locked_message(request, locked.until))
            return redirect("workspace:login")
        except ValidationError as refused:
            errors_into(form, refused)
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            twofactor_guard.mark_done(request)
            if device.name == twofactor.RECOVERY_DEVICE_NAME:
                messages.warning(
                    request,
                    _("You signed in with a recovery code; %(count)s are left.")
                    % {"count": twofactor.recovery_codes_left(user)},
                )
            return HttpResponseRedirect(_next(request))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workspace/login_code.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


@sensitive_post_parameters("token", "password")
@login_required
def security_page(request: HttpRequest) -> HttpResponse:
    """Whether two-factor authentication is on; turn it on (QR code, confirm with a code,
    recovery codes shown once) or off (with a code or the password)."""
    user = _user(request)
    confirm_form = CodeForm(prefix="confirm")
    disable_form = DisableForm(prefix="disable")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "start":
                twofactor.start_enrolment(user=user)
                return redirect("workspace:security")
            if action == "cancel":
                twofactor.cancel_enrolment(user=user)
                return redirect("workspace:security")
            if action == "confirm":
                confirm_form = CodeForm(request.POST, prefix="confirm")
                if confirm_form.is_valid():
                    device, codes = twofactor.confirm_enrolment(
                        user=user, token=confirm_form.cleaned_data["token"]
                    )
                    request.session.cycle_key()
                    django_otp.login(request, device)
                    twofactor_guard.mark_done(request)
                    request.session[CODES_SESSION_KEY] = codes
                    messages.success(request, _("Two-factor authentication is on."))
                    return redirect("workspace:security")
            elif action == "disable":
                disable_form = DisableForm(request.POST, prefix="disable")
                if disable_form.is_valid():
                    twofactor.disable(
                        user=user,
                        request=request,
                        token=disable_form.cleaned_data["token"],
                        password=disable_form.cleaned_data["password"],
                    )
                    request.session.pop(CODES_SESSION_KEY, None)
                    messages.success(request, _("Two-factor authentication is off."))
                    return redirect("workspace:security")
        except twofactor.SecondFactorLocked as locked:
            disable_form.add_error(None, _locked_message(request, locked.until))
        except ValidationError as refused:
            errors_into(confirm_form if action == "confirm" else disable_form, refused)
        status = 400
    enabled = twofactor.has_two_factor(user)
    pending = None if enabled else twofactor.pending_device(user)
    context: dict[str, Any] = {
        "enabled": enabled,
        "pending": pending,
        "qr": _qr_svg(pending) if pending is not None else "",
        "secret": twofactor.secret_text(pending) if pending is not None else "",
        "new_codes": request.session.pop(CODES_SESSION_KEY, None) if enabled else None,
        "codes_left": twofactor.recovery_codes_left(user) if enabled else 0,
        "confirm_form": confirm_form,
        "disable_form": disable_form,
    }
    return render(request, "workspace/security.html", context, status=status)
