"""Where the second factor is enforced, for every way into the application.

Each sign-in (the workspace's, the Django admin's, a test's ``force_login``) notes in the session
what it still owes: nothing, the code from the user's authenticator (``PENDING``), or setting
two-factor authentication up (``ENROL``, for officers when ``MOTCUA_REQUIRE_2FA_FOR_OFFICERS``).
``SecondFactorMiddleware`` sends a session that owes something to the code page (or the
enrolment page) from every page, the admin included, and answers 403 under ``/api/``, so DRF's
``SessionAuthentication`` cannot act for an unverified session. HTTP Basic is a password alone,
so ``PasswordOnlyBasicAuthentication`` refuses users who have a second factor, and officers who
must have one (``MOTCUA_REQUIRE_2FA_FOR_OFFICERS``) but have not set it up; it goes through the
lock-out (``lockout.py``) like every other way in."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.authentication import BasicScheme
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication
from rest_framework.request import Request

from motcua.accounts.models import User
from motcua.errors import Problem, body
from motcua.workspace import lockout, twofactor

STATE_KEY = "workspace_second_factor"
PENDING = "pending"
ENROL = "enrol"
DONE = "done"


def state_for(user: User) -> str:
    """What a fresh session of ``user`` owes after the password."""
    if twofactor.has_two_factor(user):
        return PENDING
    if settings.MOTCUA_REQUIRE_2FA_FOR_OFFICERS and twofactor.is_official(user):
        return ENROL
    return DONE


def note_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """``user_logged_in`` receiver (connected in ``WorkspaceConfig.ready``)."""
    if request is not None and hasattr(request, "session"):
        request.session[STATE_KEY] = state_for(user)


def mark_done(request: HttpRequest) -> None:
    request.session[STATE_KEY] = DONE


def owed(request: HttpRequest) -> str:
    """``PENDING``, ``ENROL`` or ``""`` for a session that owes nothing (or is anonymous)."""
    if not hasattr(request, "session") or AUTH_SESSION_KEY not in request.session:
        return ""
    state = request.session.get(STATE_KEY)
    if state == DONE:
        return ""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return ""
    if state is None:
        # A session signed in before this check existed: fail closed, decide now.
        state = state_for(user)
        request.session[STATE_KEY] = state
    # ``is_verified`` comes from OTPMiddleware; a user signed in during this very request
    # (``auth.login`` replaces ``request.user``) has not given a code yet.
    is_verified = getattr(user, "is_verified", None)
    if state == PENDING and is_verified is not None and is_verified():
        return ""
    if state == ENROL and not settings.MOTCUA_REQUIRE_2FA_FOR_OFFICERS:
        return ""
    return str(state) if state in (PENDING, ENROL) else ""


def _exempt(path: str, state: str) -> bool:
    always = {reverse("workspace:logout"), reverse("set_language"), reverse("healthz")}
    page = reverse("workspace:login_code" if state == PENDING else "workspace:security")
    return path in always or path == page


class SecondFactorMiddleware:
    """After ``OTPMiddleware``: a session that owes a second factor reaches nothing else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = owed(request)
        if not state or _exempt(request.path, state):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            # The API's error body (docs/errors.md), as its exception handler gives.
            code = "second_factor_pending" if state == PENDING else "two_factor_enrolment_required"
            message = _("Enter the code from your authenticator app first.")
            return JsonResponse(body([Problem(code=code, message=message)]), status=403)

        target = reverse("workspace:login_code" if state == PENDING else "workspace:security")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)


class SignInLocked(exceptions.AuthenticationFailed):
    """HTTP Basic refused because the username or the address is locked out."""

    default_code = "sign_in_locked"


class BasicRefused(exceptions.APIException):
    """HTTP Basic sent to a server where it is off (401, not DRF's 403 fallback)."""

    status_code = 401
    default_code = "basic_auth_disabled"
    auth_header = 'Bearer realm="api"'


class PasswordOnlyBasicAuthentication(BasicAuthentication):
    """HTTP Basic for the API, refused to users who turned two-factor authentication on (a
    password alone must not open an account that needs a second factor) and, when
    ``MOTCUA_REQUIRE_2FA_FOR_OFFICERS`` is on, to officers who have not turned it on yet.

    ``authenticate`` gets the request, so that django-axes counts a wrong password and refuses a
    locked username or address before the password is hashed (``lockout.py``).

    Off unless ``MOTCUA_API_BASIC_AUTH`` (on by default only with DEBUG: the demo, a laptop):
    credentials sent then are refused with ``basic_auth_disabled`` before any hashing, so that
    a client still sending a password learns to use a token (docs/api.md)."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        if not settings.MOTCUA_API_BASIC_AUTH:
            header = request.META.get("HTTP_AUTHORIZATION", "")
            if header[:6].lower() == "basic ":
                raise BasicRefused(
                    _("HTTP Basic is turned off on this server: send an API token instead."),
                    code="basic_auth_disabled",
                )
            return None
        return super().authenticate(request)

    def authenticate_credentials(
        self, userid: str, password: str, request: Request | None = None
    ) -> tuple[Any, None]:
        # Django's request, not DRF's: axes notes the lock on it for its middleware, and reads
        # its form data without DRF parsing the body during authentication.
        http_request = request._request if request is not None else None
        if "\x00" in userid or "\x00" in password:
            # No username or password holds a NUL byte (PostgreSQL's text cannot: the look-up
            # and the lock-out's record of it would fail with a server error).
            raise exceptions.AuthenticationFailed(
                _("Invalid username/password."), code="invalid_credentials"
            )
        credentials = {User.USERNAME_FIELD: userid, "password": password}
        user = authenticate(request=http_request, **credentials)
        if user is None:
            if http_request is not None and getattr(http_request, "axes_locked_out", False):
                lockout.explained(http_request)
                until = lockout.locked_until(http_request, userid)
                raise SignInLocked(lockout.message(until))
            raise exceptions.AuthenticationFailed(
                _("Invalid username/password."), code="invalid_credentials"
            )
        if not user.is_active:
            raise exceptions.AuthenticationFailed(
                _("User inactive or deleted."), code="inactive_user"
            )
        if isinstance(user, User) and twofactor.has_two_factor(user):
            raise exceptions.AuthenticationFailed(
                _("This account uses two-factor authentication: sign in through the workspace."),
                code="two_factor_required",
            )
        if (
            isinstance(user, User)
            and settings.MOTCUA_REQUIRE_2FA_FOR_OFFICERS
            and twofactor.is_official(user)
        ):
            # A password alone would bypass the rule that officers sign in with two factors.
            raise exceptions.AuthenticationFailed(
                _(
                    "Officers must turn on two-factor authentication: sign in through the "
                    "workspace and set it up; HTTP Basic is not accepted for officers."
                ),
                code="two_factor_enrolment_required",
            )
        return user, None


class PasswordOnlyBasicScheme(BasicScheme):  # type: ignore[no-untyped-call]
    """The OpenAPI schema describes it as the HTTP Basic it is."""

    target_class = "motcua.workspace.twofactor_guard.PasswordOnlyBasicAuthentication"
