"""Lock-out after repeated failed sign-ins, through django-axes, on every way in: the
workspace's sign-in and its two-factor code step, the Django admin, and the API's HTTP Basic
(the API's session comes from the workspace's sign-in).

``AXES_FAILURE_LIMIT`` failures for one username, or ``MOTCUA_LOCKOUT_IP_FAILURE_LIMIT`` from
one address whatever the usernames, lock it for ``AXES_COOLOFF_TIME`` after the last failure:
the right password is refused meanwhile, before it is hashed (``AxesStandaloneBackend`` is the
first authentication backend). A wrong two-factor code counts as a failed sign-in; the count of
a username is cleared once a sign-in is complete (password, and code when the account has one),
or when an administrator unlocks it (``unlock``, audited). Failures are kept in the database
(``axes.models.AccessAttempt``), so every worker sees the same count, and administrators see
them in the Django admin."""

import datetime as dt
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.models import Agency, OrganisationAction, OrganisationEvent, User

# ``AXES_CLIENT_IP_CALLABLE``: the address as the access log of personal data reads it.
from motcua.dossiers.access_log import client_ip as client_ip
from motcua.errors import Refused

# Set on a request whose page already tells the user about the lock (the sign-in form, the
# code page, the API's answer): ``lockout_response`` then keeps that page.
EXPLAINED = "motcua_lockout_explained"


def normalise(username: str | None) -> str | None:
    """The key a username is counted under: trimmed and lower-cased, as "ALICE" and "alice"
    are the same guess."""
    if username is None:
        return None
    return username.strip().lower()[:150]


def username_of(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the normalised username of an attempt."""
    field = User.USERNAME_FIELD
    if credentials:
        return normalise(credentials.get(field))
    data = getattr(request, "POST", None)
    return normalise(data.get(field)) if data is not None else None


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc] # axes is untyped
    """Axes' database handler with a limit of its own for the address: many officers of one
    office sign in from one address, so it takes ``MOTCUA_LOCKOUT_IP_FAILURE_LIMIT`` failures
    (across usernames) to lock an address, ``AXES_FAILURE_LIMIT`` to lock a username."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """Failures on ``AXES_FAILURE_LIMIT``'s scale, which axes compares with that limit: the
        username's as they are, the address's scaled by username limit / address limit, so
        that the address reaches the limit exactly at its own."""
        limit = int(settings.AXES_FAILURE_LIMIT)
        address_limit = max(1, int(settings.MOTCUA_LOCKOUT_IP_FAILURE_LIMIT))
        parameters = get_lockout_parameters(request, credentials)
        worst = 0
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            if parameter == "ip_address":
                failures = failures * limit // address_limit
            worst = max(worst, failures)
        return worst


# --- reads ---------------------------------------------------------------------------------


def is_locked(request: HttpRequest, username: str) -> bool:
    """Whether a sign-in as ``username`` from this request's address is refused now."""
    credentials = {User.USERNAME_FIELD: username}
    return not AxesProxyHandler.is_allowed(request, credentials)


def _cool_off() -> dt.timedelta:
    """How long failures count and a lock lasts (``AXES_COOLOFF_TIME``)."""
    cool_off: dt.timedelta = settings.AXES_COOLOFF_TIME
    return cool_off


def _threshold() -> dt.datetime:
    return timezone.now() - _cool_off()


def locked_until(request: HttpRequest, username: str) -> dt.datetime | None:
    """When the lock on ``username`` or on this request's address ends (counted from the last
    failure that holds it), or ``None`` when neither is locked."""
    if not is_locked(request, username):
        return None
    AxesProxyHandler.update_request(request)
    last = (
        AccessAttempt.objects.filter(attempt_time__gte=_threshold())
        .filter(username=normalise(username))
        .aggregate(at=Max("attempt_time"))["at"]
    )
    by_address = (
        AccessAttempt.objects.filter(attempt_time__gte=_threshold())
        .filter(ip_address=getattr(request, "axes_ip_address", None))
        .aggregate(at=Max("attempt_time"))["at"]
    )
    latest = max((t for t in (last, by_address) if t is not None), default=timezone.now())
    return latest + _cool_off()


def failures(username: str) -> int:
    """Failed attempts counted now against ``username`` (from any address)."""
    total = AccessAttempt.objects.filter(
        username=normalise(username), attempt_time__gte=_threshold()
    ).aggregate(n=Sum("failures_since_start"))["n"]
    return int(total or 0)


def locked_usernames(usernames: list[str]) -> dict[str, dt.datetime]:
    """Of ``usernames``, those locked now (by their own failures), each with when the lock
    ends; one query, for the list of an agency's users."""
    rows = (
        AccessAttempt.objects.filter(
            username__in=[normalise(u) for u in usernames], attempt_time__gte=_threshold()
        )
        .values("username")
        .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
    )
    return {
        row["username"]: row["last"] + _cool_off()
        for row in rows
        if row["n"] >= int(settings.AXES_FAILURE_LIMIT)
    }


def message(until: dt.datetime | None) -> str:
    """What the user is told while locked out."""
    when = formats.time_format(timezone.localtime(until or timezone.now()), "H:i")
    return _(
        "Too many failed attempts: this account is locked until %(until)s. "
        "Try again later or ask your agency administrator."
    ) % {"until": when}


# --- writes --------------------------------------------------------------------------------


def record_failure(request: HttpRequest, username: str) -> None:
    """Count a failed attempt that did not go through ``authenticate`` (a wrong two-factor
    code, a wrong password when turning it off) the way axes counts a wrong password: by the
    ``user_login_failed`` signal that axes listens to."""
    user_login_failed.send(
        sender=__name__,
        credentials={User.USERNAME_FIELD: username},
        request=request,
    )


def clear(username: str) -> None:
    """Forget the failures of ``username`` once a sign-in is complete."""
    AxesProxyHandler.reset_attempts(username=normalise(username))


def explained(request: HttpRequest) -> None:
    """Note that the page answering ``request`` already explains the lock."""
    setattr(request, EXPLAINED, True)


@transaction.atomic
def unlock(
    *, subject: User, actor: User, agency: Agency | None = None, now: dt.datetime | None = None
) -> int:
    """Lift the lock on ``subject``'s username before it ends by itself: a system administrator
    for anyone, an agency administrator for users holding a role at ``agency``, which he
    administers. Appends an ``OrganisationEvent``; returns how many failures were forgotten."""
    may = permissions.is_system_admin(actor) or (
        agency is not None
        and permissions.can_administer_agency(actor, agency)
        and subject.role_assignments.filter(agency=agency).exists()
    )
    if not may:
        raise Refused(_("You may not unlock this account."), code="unlock_not_allowed")

    username = normalise(subject.get_username())
    forgotten = (
        AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))[
            "n"
        ]
        or 0
    )
    AxesProxyHandler.reset_attempts(username=username)
    OrganisationEvent.objects.create(
        action=OrganisationAction.SIGN_IN_UNLOCKED,
        subject=subject,
        actor=actor,
        agency=agency,
        at=now or timezone.now(),
        data={"failures_forgotten": int(forgotten)},
    )
    return int(forgotten)


# --- the answer to a locked-out request ----------------------------------------------------


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: keep a page that already explains the lock (``explained``);
    otherwise (the Django admin's sign-in) answer 429 with the lock message."""
    if original_response is not None and getattr(request, EXPLAINED, False):
        return original_response
    username = get_client_username(request, credentials) or ""
    until = locked_until(request, username) if username else None
    return render(
        request,
        "workspace/locked_out.html",
        {"message": message(until)},
        status=int(settings.AXES_HTTP_RESPONSE_CODE),
    )
