"""Two-factor authentication for officers: a TOTP authenticator app plus ten recovery codes,
through django-otp's ``TOTPDevice`` and ``StaticDevice``.

These are the only writes to those devices. Turning it on or off and every recovery code used
append an ``OrganisationEvent`` (the accounts audit trail). A wrong code counts towards the same
lock-out as a wrong password (``lockout.py``, django-axes: by username and by address), so six
digits cannot be guessed one by one; the count is cleared only when the second factor is passed.
Those functions take the ``request``, whose address the lock-out counts too."""

import datetime as dt
from base64 import b32encode
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts import permissions
from motcua.accounts.models import OrganisationAction, OrganisationEvent, Role, User
from motcua.workspace import lockout

RECOVERY_CODES = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


class SecondFactorLocked(Exception):
    """Too many failed attempts (passwords and codes together): the username is locked."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until)
        self.until = until


# --- reads ---------------------------------------------------------------------------------


def has_two_factor(user: User) -> bool:
    """Whether ``user`` has turned two-factor authentication on (a confirmed TOTP device)."""
    return bool(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists())


def pending_device(user: User) -> Any:
    """The TOTP device being set up (created by ``start_enrolment``, not yet confirmed)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count())


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


def normalise(token: str) -> str:
    """A code as typed: spaces and dashes dropped, lower case (recovery codes are base32)."""
    return "".join(token.split()).replace("-", "").lower()


# --- writes --------------------------------------------------------------------------------


def _record(action: str, user: User, now: dt.datetime | None, data: dict[str, Any]) -> None:
    OrganisationEvent.objects.create(
        action=action, subject=user, actor=user, at=now or timezone.now(), data=data
    )


@transaction.atomic
def start_enrolment(*, user: User) -> Any:
    """Create an unconfirmed TOTP device with a fresh secret (replacing one left half set up).
    Nothing changes for signing in until ``confirm_enrolment`` accepts a code from it."""
    if has_two_factor(user):
        raise ValidationError(_("Two-factor authentication is already on."))
    TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def cancel_enrolment(*, user: User) -> None:
    TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()


@transaction.atomic
def confirm_enrolment(
    *, user: User, token: str, now: dt.datetime | None = None
) -> tuple[Any, list[str]]:
    """Turn two-factor authentication on once the app shows a code the pending device accepts;
    returns the device and the ten recovery codes, which are shown once (each is deleted when
    used)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user_id=user.pk, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if device is None:
        raise ValidationError(_("Start setting up two-factor authentication first."))
    if not device.verify_token(normalise(token)):
        raise ValidationError({"token": _("This code is not right. Check the app and try again.")})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user_id=user.pk).delete()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    _record(OrganisationAction.TWO_FACTOR_ENABLED, user, now, {"recovery_codes": RECOVERY_CODES})
    return device, codes


def _verify(user: User, token: str) -> tuple[Any, bool]:
    """The confirmed device that accepts ``token`` (locked for update; a recovery code is used
    up) and whether it was a recovery code; ``(None, False)`` when none does."""
    token = normalise(token)
    if not token:
        return None, False
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if device.verify_token(token):
            return device, isinstance(device, StaticDevice)
    return None, False


def disable(
    *,
    user: User,
    request: HttpRequest,
    token: str = "",
    password: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Turn two-factor authentication off, proven by a current code, a recovery code or the
    password; removes the devices and the remaining recovery codes. A wrong proof counts
    towards the lock-out like a wrong sign-in."""
    if not (token.strip() or password):
        raise ValidationError(_("Type a current code or your password to turn it off."))
    username = user.get_username()
    if lockout.is_locked(request, username):
        raise SecondFactorLocked(_until(request, username))
    with transaction.atomic():
        if not has_two_factor(user):
            raise ValidationError(_("Two-factor authentication is not on."))
        proof = ""
        if token.strip():
            device, recovery = _verify(user, token)
            if device is not None:
                proof = "recovery_code" if recovery else "code"
        elif user.check_password(password):
            proof = "password"
        if proof:
            TOTPDevice.objects.filter(user_id=user.pk).delete()
            StaticDevice.objects.filter(user_id=user.pk).delete()
            _record(OrganisationAction.TWO_FACTOR_DISABLED, user, now, {"proof": proof})
            return
    # Outside the transaction, so that the refusal does not roll the count back.
    lockout.record_failure(request, username)
    if token.strip():
        raise ValidationError({"token": _("This code is not right.")})
    raise ValidationError({"password": _("This password is not right.")})


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
    with transaction.atomic():
        device, recovery = _verify(user, token)
        if device is not None and recovery:
            _record(
                OrganisationAction.RECOVERY_CODE_USED,
                user,
                now,
                {"remaining": recovery_codes_left(user)},
            )
    if device is None:
        lockout.record_failure(request, username)
        if lockout.is_locked(request, username):
            raise SecondFactorLocked(_until(request, username))
        raise ValidationError({"token": _("This code is not right.")})
    lockout.clear(username)
    return device
