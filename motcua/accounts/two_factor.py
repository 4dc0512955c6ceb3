"""Two-factor devices of officers: a TOTP authenticator app plus ten recovery codes, through
django-otp's ``TOTPDevice`` and ``StaticDevice``.

These are the only writes to those devices (the admin shows them read-only,
``two_factor_admin.py``). Turning it on or off and every recovery code used append an
``OrganisationEvent`` (the accounts audit trail). The sign-in lock-out that wrong codes count
towards is the workspace's (``workspace/twofactor.py`` calls these inside it)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import OrganisationAction, OrganisationEvent, User
from motcua.errors import invalid

RECOVERY_CODES = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


# --- reads ---------------------------------------------------------------------------------


def has_two_factor(user: User) -> bool:
    """Whether ``user`` has turned two-factor authentication on (a confirmed TOTP device)."""
    return bool(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists())


def pending_device(user: User) -> Any:
    """The TOTP device being set up (created by ``start_enrolment``, not yet confirmed)."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user_id=user.pk, device__confirmed=True).count())


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
        raise invalid("two_factor_already_on", _("Two-factor authentication is already on."))
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
        raise invalid(
            "two_factor_not_started", _("Start setting up two-factor authentication first.")
        )
    if not device.verify_token(normalise(token)):
        raise invalid(
            "token_wrong", _("This code is not right. Check the app and try again."), "token"
        )
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


@transaction.atomic
def check_code(*, user: User, token: str, now: dt.datetime | None = None) -> Any:
    """The confirmed device that accepts ``token`` as a second factor, or ``None``. A recovery
    code is used up and recorded with how many are left."""
    device, recovery = _verify(user, token)
    if device is not None and recovery:
        _record(
            OrganisationAction.RECOVERY_CODE_USED,
            user,
            now,
            {"remaining": recovery_codes_left(user)},
        )
    return device


@transaction.atomic
def turn_off(
    *, user: User, token: str = "", password: str = "", now: dt.datetime | None = None
) -> bool:
    """Turn two-factor authentication off when a current code, a recovery code (``token``) or
    the password proves it is the user: removes the devices and the remaining recovery codes
    and records how it was proven. Returns whether the proof was right."""
    if not has_two_factor(user):
        raise invalid("two_factor_off", _("Two-factor authentication is not on."))

    proof = ""
    if token.strip():
        device, recovery = _verify(user, token)
        if device is not None:
            proof = "recovery_code" if recovery else "code"
    elif user.check_password(password):
        proof = "password"
    if not proof:
        return False
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    _record(OrganisationAction.TWO_FACTOR_DISABLED, user, now, {"proof": proof})
    return True
