"""Two-factor authentication for officers, as the workspace signs them in.

The devices and their writes are the accounts' (``accounts/two_factor.py``: every change
appends an ``OrganisationEvent``); this module adds the lock-out. A wrong code counts towards
the same lock-out as a wrong password (``lockout.py``), so six digits cannot be guessed one by
one (django-axes, by username and by address: the functions take the ``request``); the
count is cleared only when the second factor is passed."""

import datetime as dt
from base64 import b32encode
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts import two_factor as devices
from motcua.accounts.models import Role, User

# The device reads and writes the screens use, named as before.
from motcua.accounts.two_factor import RECOVERY_DEVICE_NAME as RECOVERY_DEVICE_NAME
from motcua.accounts.two_factor import cancel_enrolment as cancel_enrolment
from motcua.accounts.two_factor import confirm_enrolment as confirm_enrolment
from motcua.accounts.two_factor import has_two_factor as has_two_factor
from motcua.accounts.two_factor import pending_device as pending_device
from motcua.accounts.two_factor import recovery_codes_left as recovery_codes_left
from motcua.accounts.two_factor import start_enrolment as start_enrolment
from motcua.errors import invalid
from motcua.workspace import lockout


class SecondFactorLocked(Exception):
    """Too many failed attempts (passwords and codes together): the username is locked, as
    HTTP Basic's ``SignInLocked`` says with the same code."""

    code = "sign_in_locked"

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until)
        self.until = until


def is_official(user: User) -> bool:
    """Whether ``user`` holds any role other than citizen (the officers the
    ``MOTCUA_REQUIRE_2FA_FOR_OFFICERS`` setting speaks of), or is staff."""
    if user.is_staff or user.is_superuser:
        return True
    return bool(permissions.active_assignments(user).exclude(role=Role.CITIZEN).exists())


def secret_text(device: Any) -> str:
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    text = b32encode(device.bin_key).decode("ascii")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def disable(
    *,
    user: User,
    request: HttpRequest,
    token: str = "",
    password: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Turn two-factor authentication off, proven by a current code, a recovery code or the
    password (``two_factor.turn_off``). A wrong proof counts towards the lock-out like a wrong
    sign-in."""
    if not (token.strip() or password):
        raise invalid("proof_required", _("Type a current code or your password to turn it off."))
    username = user.get_username()
    if lockout.is_locked(request, username):
        raise SecondFactorLocked(_until(request, username))
    if devices.turn_off(user=user, token=token, password=password, now=now):
        return
    # Outside the transaction, so that the refusal does not roll the count back.
    lockout.record_failure(request, username)
    if token.strip():
        raise invalid("token_wrong", _("This code is not right."), "token")
    raise invalid("password_wrong", _("This password is not right."), "password")


def _until(request: HttpRequest, username: str) -> dt.datetime:
    return lockout.locked_until(request, username) or timezone.now()


def verify_sign_in(
    *, user: User, token: str, request: HttpRequest, now: dt.datetime | None = None
) -> Any:
    """The second step of signing in: the device that accepts ``token``. A wrong code counts
    towards the lock-out (``SecondFactorLocked`` once locked, even for a right code); a right
    one clears the count. A recovery code is used up and recorded with how many are left."""
    username = user.get_username()
    if lockout.is_locked(request, username):
        raise SecondFactorLocked(_until(request, username))
    device = devices.check_code(user=user, token=token, now=now)
    if device is None:
        lockout.record_failure(request, username)
        if lockout.is_locked(request, username):
            raise SecondFactorLocked(_until(request, username))
        raise invalid("token_wrong", _("This code is not right."), "token")
    lockout.clear(username)

    return device
