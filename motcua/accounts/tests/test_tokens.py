"""API tokens (issue #18, ``accounts/tokens.py``, ``accounts/authentication.py``): who may make
and revoke whose tokens; a token's secret kept only as a keyed hash; a valid token acting as
its user within its scopes; a wrong, expired, revoked or out-of-scope one refused with its code
and an audit event; HTTP Basic off outside DEBUG; the ``api-token`` command."""

import base64
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts import tokens
from motcua.accounts.models import (
    ApiToken,
    ApiTokenKind,
    OrganisationAction,
    OrganisationEvent,
    User,
)
from motcua.testing import TEST_PASSWORD, Cast, problems

ROOT = Path(__file__).resolve().parents[3]


def make(user: User, *scopes: str) -> tokens.NewToken:
    return tokens.create_token(user=user, actor=user, name="script", scopes=scopes or ("read",))


def bearer(secret: str, keyword: str = "Bearer") -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"{keyword} {secret}"}


def refusals(token: ApiToken) -> list[str]:
    return [
        e.data["reason"]
        for e in OrganisationEvent.objects.filter(
            action=OrganisationAction.API_TOKEN_REFUSED, data__token=token.prefix
        ).order_by("pk")
    ]


# --- made, kept, revoked ------------------------------------------------------------------


def test_an_officer_makes_a_token_whose_secret_is_kept_only_as_a_keyed_hash(cast: Cast) -> None:
    """The secret reads mct_<prefix>_<secret>; the row holds the prefix and the HMAC-SHA256 of
    the secret keyed from MOTCUA_API_TOKEN_KEY (Django's salted_hmac), nothing else of it."""
    made = make(cast.alice, "read", "write")
    mark, prefix, secret = made.secret.split("_", 2)
    assert (mark, prefix) == ("mct", made.token.prefix)
    row = ApiToken.objects.get(pk=made.token.pk)
    key = hashlib.sha256((tokens.SALT + "dev-key").encode()).digest()
    with override_settings(MOTCUA_API_TOKEN_KEY="dev-key"):
        expected = hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()
        assert tokens.hash_secret(secret) == expected
    # Keyed: another key, another hash.
    assert row.key_hash == tokens.hash_secret(secret) != expected
    stored = " ".join(str(getattr(row, f.attname)) for f in ApiToken._meta.concrete_fields)
    assert secret not in stored
    assert row.scopes == "read write" and row.kind == ApiTokenKind.PERSONAL
    assert row.expires_at > timezone.now()
    event = OrganisationEvent.objects.get(action=OrganisationAction.API_TOKEN_CREATED)
    assert (event.subject, event.actor, event.data["token"]) == (cast.alice, cast.alice, prefix)
    assert secret not in json.dumps(event.data)


def test_nobody_makes_a_personal_token_for_someone_else(cast: Cast) -> None:
    with pytest.raises(PermissionDenied) as refused:
        tokens.create_token(user=cast.bob, actor=cast.alice, name="x", scopes=["read"])
    assert refused.value.code == "api_token_not_yours"  # type: ignore[attr-defined]
    with pytest.raises(PermissionDenied):
        tokens.create_token(user=cast.bob, actor=cast.grace, name="x", scopes=["read"])
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("name", ["henry", "oscar"])
def test_citizens_and_accounts_without_a_role_make_no_token(cast: Cast, name: str) -> None:
    user = getattr(cast, name)
    with pytest.raises(PermissionDenied) as refused:
        make(user)
    assert refused.value.code == "api_token_not_official"  # type: ignore[attr-defined]


def test_application_tokens_are_the_operators_alone(cast: Cast) -> None:
    with pytest.raises(PermissionDenied) as refused:
        tokens.create_token(
            user=cast.alice, actor=cast.grace, kind=ApiTokenKind.APPLICATION, name="x",
            scopes=["read"],
        )  # fmt: skip
    assert refused.value.code == "api_token_operator_only"  # type: ignore[attr-defined]
    made = tokens.create_token(
        user=cast.alice, actor=None, kind=ApiTokenKind.APPLICATION, name="sync", scopes=["read"]
    )
    assert made.token.created_by is None


def test_scopes_expiry_and_name_are_checked(cast: Cast) -> None:
    now = timezone.now()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"scopes": []}, "api_token_scope"),
        ({"scopes": ["admin"]}, "api_token_scope"),
        ({"expires_at": now - dt.timedelta(seconds=1)}, "api_token_expiry"),
        ({"expires_at": now + dt.timedelta(days=367)}, "api_token_expiry"),
        ({"name": "  "}, "required"),
    ]
    for change, code in cases:
        fields = {"name": "x", "scopes": ["read"], **change}
        with pytest.raises(ValidationError) as refused:
            tokens.create_token(user=cast.alice, actor=cast.alice, now=now, **fields)
        assert [e.code for e in refused.value.error_dict[next(iter(refused.value.error_dict))]] == [
            code
        ], change
    assert not ApiToken.objects.exists()


def test_who_may_revoke_whose_token(cast: Cast) -> None:
    """Bob may not revoke alice's token; alice may, once; a system administrator and the
    operator may revoke anyone's. Each revocation is one event, with its actor."""
    mine = make(cast.alice).token
    with pytest.raises(PermissionDenied) as refused:
        tokens.revoke_token(mine, actor=cast.bob)
    assert refused.value.code == "api_token_not_yours"  # type: ignore[attr-defined]
    assert ApiToken.objects.get(pk=mine.pk).revoked_at is None
    tokens.revoke_token(mine, actor=cast.alice)
    tokens.revoke_token(mine, actor=cast.alice)  # again: nothing more happens
    revoked = OrganisationEvent.objects.filter(action=OrganisationAction.API_TOKEN_REVOKED)
    assert [(e.actor, e.data["token"]) for e in revoked] == [(cast.alice, mine.prefix)]
    assert ApiToken.objects.get(pk=mine.pk).revoked_by == cast.alice

    other = make(cast.bob).token
    tokens.revoke_token(other, actor=cast.grace)
    application = tokens.create_token(
        user=cast.alice, actor=None, kind=ApiTokenKind.APPLICATION, name="sync", scopes=["read"]
    ).token
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(application, actor=cast.alice)  # the operator's, not hers
    tokens.revoke_token(application, actor=None)
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()


# --- used on the API ----------------------------------------------------------------------


def test_a_valid_token_acts_as_its_user_and_notes_its_last_use(cast: Cast) -> None:
    made = make(cast.alice)
    client = Client()
    response = client.get("/api/v1/dossiers/", **bearer(made.secret))
    assert response.status_code == 200
    used = ApiToken.objects.get(pk=made.token.pk).last_used_at
    assert used is not None
    assert client.get("/api/v1/dossiers/", **bearer(made.secret, "Token")).status_code == 200
    assert ApiToken.objects.get(pk=made.token.pk).last_used_at == used  # within the minute
    # DRF's view of the request: the token's user, the token as its auth.
    body = client.get("/api/v1/dossiers/", **bearer(made.secret)).json()
    assert "results" in body
    assert not refusals(made.token)


def test_a_token_costs_one_query_a_request_once_its_use_is_noted(cast: Cast) -> None:
    """No password hashing and no session: one look-up (the token with its user), and the note
    of its last use at most once a minute."""
    made = make(cast.alice)
    client = Client()
    client.get("/api/v1/agencies/", **bearer(made.secret))
    with CaptureQueriesContext(connection) as with_token:
        assert client.get("/api/v1/agencies/", **bearer(made.secret)).status_code == 200
    anonymous = Client()
    with CaptureQueriesContext(connection) as without:
        assert anonymous.get("/api/v1/agencies/").status_code == 200
    assert len(with_token) == len(without) + 1
    assert "accounts_apitoken" in with_token.captured_queries[0]["sql"].lower()


@pytest.mark.parametrize(
    ("spoil", "recorded"),
    [
        (lambda s: s[:-2] + ("AA" if not s.endswith("AA") else "BB"), True),
        (lambda s: "mct_0000000000_" + s.split("_", 2)[2], False),
        (lambda s: "not-a-token", False),
        (lambda s: s + " extra", False),
    ],
    ids=["wrong secret", "unknown prefix", "garbage", "two words"],
)
def test_a_wrong_token_is_refused_with_401(
    cast: Cast, spoil: Callable[[str], str], recorded: bool
) -> None:
    """401 token_invalid with RFC 6750's header; a wrong secret for a token that exists is
    recorded against that token, garbage names no token and is not."""
    made = make(cast.alice)
    response = Client().get("/api/v1/dossiers/", **bearer(spoil(made.secret)))
    assert response.status_code == 401
    assert problems(response) == ["token_invalid"]
    assert response["WWW-Authenticate"].startswith('Bearer realm="api", error="invalid_token"')
    assert refusals(made.token) == (["token_invalid"] if recorded else [])


def test_an_expired_token_is_refused_and_recorded(cast: Cast) -> None:
    made = make(cast.alice)
    ApiToken.objects.filter(pk=made.token.pk).update(expires_at=timezone.now())
    response = Client().get("/api/v1/dossiers/", **bearer(made.secret))
    assert (response.status_code, problems(response)) == (401, ["token_expired"])
    assert refusals(made.token) == ["token_expired"]
    assert ApiToken.objects.get(pk=made.token.pk).last_used_at is None


def test_a_revoked_token_is_refused_from_then_on(cast: Cast) -> None:
    made = make(cast.alice)
    client = Client()
    assert client.get("/api/v1/dossiers/", **bearer(made.secret)).status_code == 200
    tokens.revoke_token(made.token, actor=cast.alice)
    response = client.get("/api/v1/dossiers/", **bearer(made.secret))
    assert (response.status_code, problems(response)) == (401, ["token_revoked"])
    assert refusals(made.token) == ["token_revoked"]


def test_a_token_of_an_inactive_account_is_refused(cast: Cast) -> None:
    made = make(cast.alice)
    User.objects.filter(pk=cast.alice.pk).update(is_active=False)
    response = Client().get("/api/v1/dossiers/", **bearer(made.secret))
    assert (response.status_code, problems(response)) == (401, ["token_user_inactive"])


def test_scopes_are_enforced_by_method(cast: Cast) -> None:
    """A read token may GET but not POST; a write token may POST but not GET; each refusal is
    a 403 token_scope with insufficient_scope, recorded."""
    reader = make(cast.alice, "read")
    client = Client()
    post = client.post(
        "/api/v1/dossiers/receive/", {}, content_type="application/json", **bearer(reader.secret)
    )
    assert (post.status_code, problems(post)) == (403, ["token_scope"])
    assert 'error="insufficient_scope", scope="write"' in post["WWW-Authenticate"]
    writer = make(cast.alice, "write")
    get = client.get("/api/v1/dossiers/", **bearer(writer.secret))
    assert (get.status_code, problems(get)) == (403, ["token_scope"])
    post = client.post(
        "/api/v1/dossiers/receive/", {}, content_type="application/json", **bearer(writer.secret)
    )
    assert post.status_code == 400  # past authentication: the empty intake is invalid
    assert refusals(reader.token) == ["token_scope"]
    assert refusals(writer.token) == ["token_scope"]
    event = OrganisationEvent.objects.filter(action=OrganisationAction.API_TOKEN_REFUSED).first()
    assert event is not None and event.data["path"] == "/api/v1/dossiers/receive/"


# --- HTTP Basic ---------------------------------------------------------------------------


def _basic(username: str) -> dict[str, Any]:
    token = base64.b64encode(f"{username}:{TEST_PASSWORD}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_http_basic_is_refused_when_off(cast: Cast) -> None:
    """Off: a password sent is refused (401 basic_auth_disabled) before it is checked; a token
    still works. On (DEBUG, the demo): Basic signs in."""
    with override_settings(MOTCUA_API_BASIC_AUTH=False):
        response = Client().get("/api/v1/dossiers/", **_basic("alice"))
        assert (response.status_code, problems(response)) == (401, ["basic_auth_disabled"])
        made = make(cast.alice)
        assert Client().get("/api/v1/dossiers/", **bearer(made.secret)).status_code == 200
    with override_settings(MOTCUA_API_BASIC_AUTH=True):
        assert Client().get("/api/v1/dossiers/", **_basic("alice")).status_code == 200


def _settings_in(env: dict[str, str]) -> dict[str, object]:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({'basic': settings.MOTCUA_API_BASIC_AUTH, "
        "'classes': settings.REST_FRAMEWORK['DEFAULT_AUTHENTICATION_CLASSES']}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "MOTCUA_API_"))}
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "motcua.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    found: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return found


def test_production_settings_turn_http_basic_off() -> None:
    """With DEBUG off (production) Basic is off unless MOTCUA_API_BASIC_AUTH turns it on;
    with DEBUG on (the demo) it is on."""
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 50}
    assert _settings_in(production)["basic"] is False
    assert _settings_in({**production, "MOTCUA_API_BASIC_AUTH": "true"})["basic"] is True
    assert _settings_in({"DEBUG": "true"})["basic"] is True


# --- the operator's command ---------------------------------------------------------------


def test_the_command_makes_lists_and_revokes_application_tokens(cast: Cast) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api-token", "create", "--user", "alice", "--name", "sync", "--scope", "read",
        "--days", "30", stdout=out, stderr=err,
    )  # fmt: skip
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.kind == ApiTokenKind.APPLICATION and token.prefix in secret
    assert secret not in err.getvalue()
    assert Client().get("/api/v1/dossiers/", **bearer(secret)).status_code == 200
    listing = io.StringIO()
    call_command("api-token", "list", stdout=listing)
    assert token.prefix in listing.getvalue() and secret.split("_")[2] not in listing.getvalue()
    call_command("api-token", "revoke", token.prefix, stdout=io.StringIO())
    assert Client().get("/api/v1/dossiers/", **bearer(secret)).status_code == 401
    event = OrganisationEvent.objects.get(action=OrganisationAction.API_TOKEN_REVOKED)
    assert event.actor is None
