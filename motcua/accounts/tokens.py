"""API tokens (issue #18): made, checked, revoked, each step in the audit trail.

A token reads ``mct_<prefix>_<secret>``. The prefix (10 hex digits) finds the row; the secret
(32 random bytes) is checked against ``key_hash``, an HMAC-SHA256 keyed with
``MOTCUA_API_TOKEN_KEY`` (SECRET_KEY when unset) through Django's ``salted_hmac``. A keyed fast
hash suffices because the secret is random, not a password a person chose: nothing is gained
by stretching it (PBKDF2 costs ~250 ms a request), and without the key a stolen table gives no
way to test guesses offline. Only the hash is kept: the token is shown once, when made.

Who may do what: an officer (an active account holding a role other than citizen) makes and
revokes personal tokens for themselves only; the operator (``actor=None``: the ``motcua
api-token`` command) makes application tokens for a service account, and revokes any token; a
system administrator revokes any token too (an incident). Every creation and revocation is an
``OrganisationEvent``; so is every refused use of a token that exists (expired, revoked, wrong
secret, out of scope, its user inactive). A use with an unknown prefix names no token and no
account: it is logged, not recorded (anyone may send garbage)."""

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.models import (
    ApiToken,
    ApiTokenKind,
    ApiTokenScope,
    OrganisationAction,
    OrganisationEvent,
    Role,
    User,
)
from motcua.errors import Refused, invalid

log = logging.getLogger(__name__)

TOKEN_MARK = "mct"  # noqa: S105 - the mark tokens start with, not a secret
PREFIX_BYTES = 5
SECRET_BYTES = 32
# The last use is noted at most once a minute per token: a write per request would cost more
# than the check itself (issue #18: a token as fast as a session).
LAST_USED_GRANULARITY = dt.timedelta(minutes=1)
SALT = "motcua.accounts.tokens"

# Why a use was refused: the code the API answers with and the event's ``reason``.
EXPIRED = "token_expired"
REVOKED = "token_revoked"
WRONG_SECRET = "token_invalid"  # noqa: S105 - a refusal code
INACTIVE = "token_user_inactive"
OUT_OF_SCOPE = "token_scope"


@dataclass(frozen=True)
class NewToken:
    """A token just made, with its secret in clear: shown once, never stored."""

    token: ApiToken
    secret: str


class TokenRefused(Exception):
    """A token was sent and is not good for this request: ``code`` says why."""

    def __init__(self, code: str, token: ApiToken | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.token = token


def hash_secret(secret: str) -> str:
    """The keyed hash kept for ``secret`` (hex, 64 digits)."""
    key = settings.MOTCUA_API_TOKEN_KEY
    return salted_hmac(SALT, secret, secret=key, algorithm="sha256").hexdigest()


def is_official(user: User) -> bool:
    """An officer's account: active, holding some role other than citizen (or staff)."""
    if not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return permissions.active_assignments(user).exclude(role=Role.CITIZEN).exists()


def _scopes(scopes: Iterable[str]) -> str:
    chosen = set(scopes)
    known = {str(s) for s in ApiTokenScope}
    if not chosen or not chosen <= known:
        raise invalid("api_token_scope", _("Choose read, write or both."), "scopes")
    return " ".join(sorted(chosen))


def _expiry(expires_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if expires_at is None:
        return now + dt.timedelta(days=settings.MOTCUA_API_TOKEN_DEFAULT_DAYS)
    longest = now + dt.timedelta(days=settings.MOTCUA_API_TOKEN_MAX_DAYS)
    if expires_at <= now or expires_at > longest:
        message = _("A token expires in the future, at most %(days)s days from now.")
        raise invalid(
            "api_token_expiry", message % {"days": settings.MOTCUA_API_TOKEN_MAX_DAYS}, "expires_at"
        )
    return expires_at


def _name(name: str) -> str:
    name = name.strip()
    if not name:
        raise invalid("required", _("Give the token a name (what uses it)."), "name")
    if len(name) > 100:
        raise invalid("too_long", _("At most 100 characters."), "name")
    return name


def _new_prefix() -> str:
    while True:
        prefix = secrets.token_hex(PREFIX_BYTES)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def create_token(
    *,
    user: User,
    actor: User | None,
    name: str,
    scopes: Iterable[str],
    kind: str = ApiTokenKind.PERSONAL,
    expires_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> NewToken:
    """Make a token acting as ``user``. A personal token only by ``user`` themself, an
    officer; an application token only by the operator (``actor=None``)."""
    now = now or timezone.now()
    if kind == ApiTokenKind.PERSONAL:
        if actor is None or actor.pk != user.pk:
            raise Refused(
                _("Only the officer themself makes a personal token."), code="api_token_not_yours"
            )
        if not is_official(user):
            raise Refused(_("Only officers may make API tokens."), code="api_token_not_official")
    elif kind == ApiTokenKind.APPLICATION:
        if actor is not None:
            message = _("Application tokens are made by the operator (motcua api-token).")
            raise Refused(message, code="api_token_operator_only")
        if not user.is_active:
            raise Refused(_("The account is inactive."), code="api_token_user_inactive")
    else:
        raise invalid("api_token_kind", _("A token is personal or for an application."), "kind")
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken.objects.create(
        user=user,
        kind=kind,
        name=_name(name),
        prefix=_new_prefix(),
        key_hash=hash_secret(secret),
        scopes=_scopes(scopes),
        created_at=now,
        created_by=actor,
        expires_at=_expiry(expires_at, now),
    )
    _record(
        OrganisationAction.API_TOKEN_CREATED,
        token,
        actor,
        now,
        expires_at=token.expires_at.isoformat(),
    )
    return NewToken(token, f"{TOKEN_MARK}_{token.prefix}_{secret}")


def may_revoke(actor: User | None, token: ApiToken) -> bool:
    """The token's own user (for a personal token), the operator, a system administrator."""
    if actor is None or permissions.is_system_admin(actor):
        return True
    return token.kind == ApiTokenKind.PERSONAL and token.user_id == actor.pk


@transaction.atomic
def revoke_token(
    token: ApiToken, *, actor: User | None, now: dt.datetime | None = None
) -> ApiToken:
    """Revoke ``token`` from now on; revoking a revoked token changes nothing."""
    now = now or timezone.now()
    if not may_revoke(actor, token):
        raise Refused(_("You may not revoke this token."), code="api_token_not_yours")
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = now
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    _record(OrganisationAction.API_TOKEN_REVOKED, locked, actor, now)
    return locked


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """``user``'s personal tokens, newest first (the token page)."""
    return ApiToken.objects.filter(user=user, kind=ApiTokenKind.PERSONAL).order_by(
        "-created_at", "-pk"
    )


def _parse(raw: str) -> tuple[str, str] | None:
    mark, _sep, rest = raw.partition("_")
    prefix, _sep, secret = rest.partition("_")
    if mark != TOKEN_MARK or len(prefix) != 2 * PREFIX_BYTES or not secret:
        return None
    return prefix, secret


def check_token(
    raw: str, *, method_scope: str, path: str = "", now: dt.datetime | None = None
) -> ApiToken:
    """The token ``raw`` names, when it may be used now for ``method_scope`` (``read`` or
    ``write``); its last use noted. Otherwise ``TokenRefused``, recorded when a token was
    named."""
    now = now or timezone.now()
    parsed = _parse(raw)
    token = None
    if parsed is not None:
        # The prefix is unique: no ORDER BY, one row by its index.
        token = ApiToken.objects.select_related("user").filter(prefix=parsed[0]).order_by().first()
    if parsed is None or token is None:
        log.warning("API token refused: no such token (%s)", path)
        raise TokenRefused(WRONG_SECRET)
    reason = _refusal(token, parsed[1], method_scope, now)
    if reason:
        refuse(token, reason, now=now, path=path, scope=method_scope)
        raise TokenRefused(reason, token)
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_GRANULARITY:
        # Compare-and-set: concurrent requests write once.
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(
            last_used_at=now
        )
        token.last_used_at = now
    return token


def _refusal(token: ApiToken, secret: str, method_scope: str, now: dt.datetime) -> str:
    if not constant_time_compare(hash_secret(secret), token.key_hash):
        return WRONG_SECRET
    if token.revoked_at is not None:
        return REVOKED
    if token.expires_at <= now:
        return EXPIRED
    if not token.user.is_active:
        return INACTIVE
    if method_scope not in token.scope_set:
        return OUT_OF_SCOPE
    return ""


def refuse(
    token: ApiToken, reason: str, *, now: dt.datetime | None = None, path: str = "", scope: str = ""
) -> None:
    """Record a refused use of ``token`` (its own transaction: the request fails after)."""
    _record(
        OrganisationAction.API_TOKEN_REFUSED, token, None, now or timezone.now(),
        reason=reason, path=path[:200], scope=scope,
    )  # fmt: skip


def _record(
    action: str, token: ApiToken, actor: User | None, now: dt.datetime, **data: str
) -> None:
    OrganisationEvent.objects.create(
        action=action,
        subject=token.user,
        actor=actor,
        at=now,
        data={
            "token": token.prefix,
            "name": token.name,
            "kind": token.kind,
            "scopes": token.scopes,
            **data,
        },
    )
