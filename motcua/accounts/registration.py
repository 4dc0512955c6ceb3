"""Citizens' and organisations' own accounts, registered on the portal: the account, the citizen
role, and one-time codes that prove the e-mail address or phone is theirs.

An account is created inactive and becomes active once a code sent to its contact is typed
back (``verify_contact``). Each function runs in one transaction and appends an
``OrganisationEvent``; sending the code is the caller's (the portal sends it by e-mail or SMS
once the transaction is committed), since delivery lives above this layer."""

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from motcua.accounts import services
from motcua.accounts.models import (
    AccountKind,
    ContactChannel,
    ContactVerification,
    OrganisationAction,
    OrganisationEvent,
    Role,
    User,
)
from motcua.accounts.validators import clean_line, clean_number
from motcua.errors import invalid, on_field, together

# The personal identification number is 12 digits (Law on Identification 2023, art. 12); an
# enterprise's or organisation's tax code is 10 digits, a branch's 13 (10, a dash and 3) under
# Circular 105/2020/TT-BTC art. 5. Checked by form only, not against the national databases.
PERSONAL_ID_RE = re.compile(r"^[0-9]{12}$")
TAX_CODE_RE = re.compile(r"^[0-9]{10}(-?[0-9]{3})?$")
PHONE_RE = re.compile(r"^(\+84|0)[0-9]{9,10}$")
CODE_DIGITS = 6


@dataclass(frozen=True)
class Registration:
    """What a person types to register; ``email`` or ``phone`` (or both) is their contact."""

    kind: str
    full_name: str
    id_number: str
    password: str
    email: str = ""
    phone: str = ""
    representative: str = ""
    # The channels the person wants notices about their dossiers in (issue 13 item 6).
    notify_by_email: bool = True
    notify_by_sms: bool = True


def normalise_id_number(kind: str, value: str) -> str:
    """The ID number or tax code as stored (and as the username): digits, a branch's tax code
    with its dash."""
    number = clean_number(value)
    if kind == AccountKind.ORGANISATION and len(number) == 13 and number.isdigit():
        number = f"{number[:10]}-{number[10:]}"
    return number


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s.\-()]", "", clean_number(value))


def _check(data: Registration) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}

    def refuse(problem: ValidationError) -> None:
        for field, found in problem.error_dict.items():
            errors.setdefault(field, []).extend(found)

    if data.kind not in AccountKind.values:
        refuse(invalid("invalid_kind", _("Choose an individual or an organisation."), "kind"))
    if not data.full_name:
        refuse(invalid("required", _("This field is required."), "full_name"))
    if data.kind == AccountKind.ORGANISATION:
        if not TAX_CODE_RE.fullmatch(data.id_number):
            refuse(
                invalid(
                    "invalid_tax_code",
                    _("A tax code has 10 digits, or 13 for a branch (e.g. 0101234567-001)."),
                    "id_number",
                )
            )
        if not data.representative:
            refuse(invalid("required", _("This field is required."), "representative"))
    elif not PERSONAL_ID_RE.fullmatch(data.id_number):
        refuse(
            invalid("invalid_personal_id", _("A personal ID number has 12 digits."), "id_number")
        )
    if not data.email and not data.phone:
        refuse(invalid("contact_required", _("Give an e-mail address or a phone number."), "email"))
    if data.phone and not PHONE_RE.fullmatch(data.phone):
        refuse(
            invalid(
                "invalid_phone", _("A phone number is 10 or 11 digits, e.g. 0912345678."), "phone"
            )
        )
    if data.id_number and User.objects.filter(username__iexact=data.id_number).exists():
        refuse(
            invalid(
                "account_exists",
                _("An account with this number already exists: sign in instead."),
                "id_number",
            )
        )
    if data.email and User.objects.filter(email__iexact=data.email, kind__gt="").exists():
        refuse(
            invalid(
                "email_taken",
                _("An account with this e-mail address already exists: sign in instead."),
                "email",
            )
        )
    candidate = User(
        username=data.id_number, full_name=data.full_name, email=data.email, phone=data.phone
    )
    try:
        password_validation.validate_password(data.password, candidate)
    except ValidationError as weak:
        errors.setdefault("password", []).extend(weak.error_list)
    return errors


@transaction.atomic
def register_account(data: Registration, *, now: dt.datetime | None = None) -> tuple[User, str]:
    """Create an inactive citizen's account for ``data`` and a one-time code for its contact
    (e-mail first, else the phone). Returns the account and the code to send. Raises
    ``ValidationError`` with a dict of field errors (stable codes) when something is wrong."""
    at = now or timezone.now()
    data = Registration(
        kind=data.kind,
        full_name=clean_line(data.full_name),
        id_number=normalise_id_number(data.kind, data.id_number),
        password=data.password,
        email=data.email.strip().lower(),
        phone=normalise_phone(data.phone),
        representative=clean_line(data.representative)
        if data.kind == AccountKind.ORGANISATION
        else "",
        notify_by_email=data.notify_by_email,
        notify_by_sms=data.notify_by_sms,
    )
    errors = _check(data)
    if errors:
        raise together(on_field(error, field) for field, found in errors.items() for error in found)
    user = User(
        username=data.id_number,
        kind=data.kind,
        full_name=data.full_name,
        id_number=data.id_number,
        email=data.email,
        phone=data.phone,
        representative=data.representative,
        notify_by_email=data.notify_by_email,
        notify_by_sms=data.notify_by_sms,
        is_active=False,
    )
    user.set_password(data.password)
    user.full_clean()
    user.save()
    OrganisationEvent.objects.create(
        action=OrganisationAction.CITIZEN_REGISTERED,
        subject=user,
        actor=None,
        at=at,
        data={"kind": data.kind, "email": bool(data.email), "phone": bool(data.phone)},
    )
    services.grant_role(user, Role.CITIZEN, None, actor=None, now=at)
    _verification, code = issue_code(user, now=at)
    return user, code


def contact_of(user: User) -> tuple[str, str]:
    """The channel and address a code for ``user`` goes to: the e-mail address if there is
    one, else the phone."""
    if user.email:
        return ContactChannel.EMAIL.value, user.email
    return ContactChannel.PHONE.value, user.phone


def _hash(verification_pk: int, code: str) -> str:
    return salted_hmac("motcua.accounts.verification", f"{verification_pk}:{code}").hexdigest()


@transaction.atomic
def issue_code(user: User, *, now: dt.datetime | None = None) -> tuple[ContactVerification, str]:
    """A new one-time code for ``user``'s contact, valid ``MOTCUA_VERIFICATION_MINUTES``;
    earlier unused codes stop working. Returns the row and the code (kept only hashed)."""
    at = now or timezone.now()
    channel, target = contact_of(user)
    ContactVerification.objects.filter(user=user, used_at__isnull=True).update(superseded=True)
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    minutes = int(getattr(settings, "MOTCUA_VERIFICATION_MINUTES", 15))
    verification = ContactVerification.objects.create(
        user=user,
        channel=channel,
        target=target,
        code_hash="",
        created_at=at,
        expires_at=at + dt.timedelta(minutes=minutes),
    )
    verification.code_hash = _hash(verification.pk, code)
    verification.save(update_fields=["code_hash"])
    OrganisationEvent.objects.create(
        action=OrganisationAction.VERIFICATION_SENT,
        subject=user,
        actor=None,
        at=at,
        data={"channel": channel},
    )
    return verification, code


def verify_contact(user: User, code: str, *, now: dt.datetime | None = None) -> User:
    """Check ``code`` against ``user``'s latest code: right, the contact is verified and the
    account active. Otherwise ``ValidationError`` with code ``wrong_code`` (the try is
    counted), ``code_expired``, ``code_used`` or ``too_many_attempts``."""
    at = now or timezone.now()
    refusal: ValidationError | None = None
    with transaction.atomic():
        latest = (
            ContactVerification.objects.select_for_update()
            .filter(user=user, superseded=False)
            .order_by("-created_at", "-pk")
            .first()
        )
        if latest is None or latest.used_at is not None:
            refusal = ValidationError(
                _("This code has already been used: sign in."), code="code_used"
            )
        elif latest.attempts >= ContactVerification.MAX_ATTEMPTS:
            refusal = ValidationError(
                _("Too many wrong codes: ask for a new code."), code="too_many_attempts"
            )
        elif latest.expires_at <= at:
            refusal = ValidationError(
                _("This code has expired: ask for a new code."), code="code_expired"
            )
        elif not constant_time_compare(latest.code_hash, _hash(latest.pk, code.strip())):
            latest.attempts += 1
            latest.save(update_fields=["attempts"])
            OrganisationEvent.objects.create(
                action=OrganisationAction.VERIFICATION_FAILED,
                subject=user,
                actor=None,
                at=at,
                data={"attempts": latest.attempts},
            )
            refusal = ValidationError(_("This code is not right."), code="wrong_code")
        else:
            latest.used_at = at
            latest.save(update_fields=["used_at"])
            locked = User.objects.select_for_update().get(pk=user.pk)
            locked.is_active = True
            locked.save(update_fields=["is_active"])
            OrganisationEvent.objects.create(
                action=OrganisationAction.CONTACT_VERIFIED,
                subject=locked,
                actor=locked,
                at=at,
                data={"channel": latest.channel},
            )
            user = locked
    if refusal is not None:
        raise refusal
    return user


def is_portal_account(user: User) -> bool:
    """Whether ``user`` may use the citizens' portal sign-in: a citizen's account and nothing
    else (no role in an agency, no reform or system role, no access to the Django admin).
    Officials sign in on the workspace, never on the portal."""
    if user.is_staff or user.is_superuser:
        return False
    roles = set(user.role_assignments.values_list("role", flat=True))
    return roles == {Role.CITIZEN.value}


# --- accounts from an OpenID Connect identity provider ----------------------------------------


def oidc_username(issuer: str, subject: str) -> str:
    """The username of the account an identity provider's subject created: stable for the
    pair, and saying nothing about the person."""
    digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:32]
    return f"oidc-{digest}"


def verified_email_accounts(email: str) -> list[User]:
    """Active portal accounts whose e-mail address ``email`` was verified with a code (an
    address only typed at registration, or a phone verified instead, does not count)."""
    verified = ContactVerification.objects.filter(
        channel=ContactChannel.EMAIL, target__iexact=email, used_at__isnull=False
    ).values("user_id")
    accounts = User.objects.filter(
        pk__in=verified, email__iexact=email, is_active=True, kind__gt=""
    ).order_by("pk")
    return [user for user in accounts if is_portal_account(user)]


def email_of_official(email: str) -> bool:
    """Whether an account that is not a citizen's has ``email`` (an official's address never
    opens the portal)."""
    return any(not is_portal_account(user) for user in User.objects.filter(email__iexact=email))


@transaction.atomic
def register_oidc_account(
    *, issuer: str, subject: str, email: str, full_name: str, now: dt.datetime | None = None
) -> User:
    """An active citizen's account for a person the identity provider vouches for (its
    ``email_verified`` claim is the verified contact), with no password of its own."""
    at = now or timezone.now()
    user = User(
        username=oidc_username(issuer, subject),
        kind=AccountKind.INDIVIDUAL,
        full_name=clean_line(full_name),
        email=email.strip().lower(),
        is_active=True,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    OrganisationEvent.objects.create(
        action=OrganisationAction.CITIZEN_REGISTERED,
        subject=user,
        actor=None,
        at=at,
        data={"kind": user.kind, "via": "oidc", "issuer": issuer},
    )
    services.grant_role(user, Role.CITIZEN, None, actor=None, now=at)
    return user


@transaction.atomic
def choose_notice_channels(
    user: User, *, email: bool, sms: bool, now: dt.datetime | None = None
) -> User:
    """Record the channels a portal account wants notices about its dossiers in; they apply to
    every notice queued from now on (``dossiers.notices.channels_of``)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {"email": locked.notify_by_email, "sms": locked.notify_by_sms}
    locked.notify_by_email, locked.notify_by_sms = email, sms
    locked.save(update_fields=["notify_by_email", "notify_by_sms"])
    OrganisationEvent.objects.create(
        action=OrganisationAction.NOTICE_CHANNELS_CHOSEN,
        subject=locked,
        actor=locked,
        at=now or timezone.now(),
        data={"before": before, "after": {"email": email, "sms": sms}},
    )
    user.notify_by_email, user.notify_by_sms = email, sms
    return locked


def reset_password(*, user: User, new_password: str, now: dt.datetime | None = None) -> None:
    """Set the password a portal account chose through the e-mailed reset link (already checked
    by the form against the validators) and record it, never the password itself."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    OrganisationEvent.objects.create(
        action=OrganisationAction.PASSWORD_RESET,
        subject=user,
        actor=user,
        at=now or timezone.now(),
        data={},
    )
