"""Idempotent intake: a repeated request creates no second dossier.

A double click on "Tiếp nhận", a browser resubmitting a form, a client retrying after a
timeout: each would otherwise take a new code and count twice in the reports. The reception
form carries a one-time token and the API's intake endpoints accept an ``Idempotency-Key``
header (the IETF httpapi draft's name). ``once`` runs the intake with the key stored in the
same transaction as the dossier, so the key exists exactly when the dossier does:

- the first request creates the dossier and stores the answer it gave (status and body);
- a repeat by the same user with the same key within ``WINDOW`` gets that answer again;
- the same key with another request (body or endpoint) is refused (``KeyReused``);
- keys are per user: another user's identical key is another key;
- a request that fails stores nothing, so the key may be sent again with a corrected body.

Two simultaneous requests with one key queue on the unique constraint (PostgreSQL makes the
second INSERT wait for the first transaction, then fails it; SQLite's IMMEDIATE transactions
queue whole): the second answers with the first's dossier."""

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, IntakeKey
from motcua.errors import Mismatch, Refusal

# How long a key is remembered: a day covers every retry and double submit; after it, the key
# is forgotten and the same key makes a new dossier (documented in docs/dossiers.md).
WINDOW = dt.timedelta(hours=24)
KEY_MAX_LENGTH = 200  # the stored key adds a short prefix, within the column's 255


class KeyInvalid(Refusal):
    """The key is empty, too long or not printable ASCII (400)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="idempotency_key_invalid")


class KeyReused(Mismatch):
    """The key was already used by this user for another request (422)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="idempotency_key_reused")


@dataclass(frozen=True)
class Answer:
    """What the intake answered, first time or again (``replayed``)."""

    dossier: Dossier
    status_code: int
    body: Any
    replayed: bool


def fingerprint(endpoint: str, payload: Any) -> str:
    """SHA-256 of ``endpoint`` and ``payload`` written canonically (sorted keys), so the same
    request with its fields in another order is the same request."""
    canonical = json.dumps(
        [endpoint, payload],
        cls=DjangoJSONEncoder,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_key(key: str) -> str:
    """The key as sent, or ``KeyInvalid``: 1–200 printable ASCII characters (a UUID is best)."""
    if not key or len(key) > KEY_MAX_LENGTH or not all(" " <= ch <= "~" for ch in key):
        raise KeyInvalid(
            _("The Idempotency-Key must be 1 to %(max)s printable ASCII characters (a UUID).")
            % {"max": KEY_MAX_LENGTH}
        )
    return key


def _live(actor: User, key: str, now: dt.datetime) -> IntakeKey | None:
    return (
        IntakeKey.objects.select_related("dossier")
        .filter(user=actor, key=key, expires_at__gt=now, dossier__isnull=False)
        .first()
    )


def _replay(found: IntakeKey, wanted: str) -> Answer:
    if found.fingerprint != wanted:
        raise KeyReused(
            _(
                "This Idempotency-Key was already used for another request (dossier %(code)s). "
                "Send a new key for a new dossier."
            )
            % {"code": found.dossier.code if found.dossier else ""}
        )
    assert found.dossier is not None  # noqa: S101 - _live reads only keys with their dossier
    return Answer(found.dossier, found.status_code, found.body, replayed=True)


def answered(
    key: str, *, actor: User, fingerprint: str, now: dt.datetime | None = None
) -> Dossier | None:
    """The dossier ``actor``'s request with ``key`` already made or acted on, when that request
    was this one (same ``fingerprint``) and is still remembered: a form sent twice, seen before
    the second send is checked against a status the first one changed."""
    found = _live(actor, key, now or timezone.now())
    if found is None or found.fingerprint != fingerprint:
        return None
    return found.dossier


def once(
    key: str,
    *,
    actor: User,
    fingerprint: str,
    create: Callable[[], tuple[Dossier, int, Any]],
    now: dt.datetime | None = None,
) -> Answer:
    """Run ``create`` (an intake service, returning the dossier and the answer to store) unless
    ``actor`` already sent ``key``: then answer as the first time. The intake's own refusals
    pass through unchanged and leave no key behind."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            found = _live(actor, key, now)
            if found is not None:
                return _replay(found, fingerprint)
            IntakeKey.objects.filter(user=actor, expires_at__lte=now).delete()
            row = IntakeKey.objects.create(
                user=actor,
                key=key,
                fingerprint=fingerprint,
                created_at=now,
                expires_at=now + WINDOW,
            )
            dossier, status_code, body = create()
            row.dossier = dossier
            row.status_code = status_code
            row.body = body
            row.save(update_fields=["dossier", "status_code", "body"])
            return Answer(dossier, status_code, body, replayed=False)
    except IntegrityError:
        # A simultaneous request with this key committed first: answer with its dossier.
        found = _live(actor, key, now)
        if found is None:
            raise
        return _replay(found, fingerprint)
