"""The sign-in lock-out on every way in (django-axes, ``lockout.py``): HTTP Basic counts and
obeys it before hashing, the Django admin obeys it, an address is locked across usernames, an
administrator unlocks (audited); the API's request rates; and HTTP Basic refused to officers
who must have two-factor authentication but have not set it up."""

import base64
from typing import Any, ClassVar

import pytest
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings

from motcua.accounts.models import OrganisationAction, OrganisationEvent
from motcua.testing import TEST_PASSWORD, Cast, make_user, problems
from motcua.throttling import AnonRateThrottle, UserRateThrottle
from motcua.workspace import lockout

DOSSIERS = "/api/v1/dossiers/"
LOCK_TEXT = "bị khóa"


def basic(username: str, password: str = TEST_PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def fail(client: Client, username: str, times: int = 5, **extra: Any) -> None:
    """``times`` wrong passwords for ``username`` on the workspace's sign-in page."""
    for _ in range(times):
        client.post("/workspace/login/", {"username": username, "password": "wrong"}, **extra)


def sign_in(client: Client, username: str, **extra: Any) -> Any:
    return client.post(
        "/workspace/login/", {"username": username, "password": TEST_PASSWORD}, **extra
    )


def code_of(response: Any) -> str:
    (code,) = problems(response)
    return code


class CountingHasher(MD5PasswordHasher):
    """The tests' MD5 hasher, counting how often a password is hashed or checked."""

    calls: ClassVar[int] = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


COUNTING = "motcua.workspace.tests.test_lockout.CountingHasher"


# --- HTTP Basic -----------------------------------------------------------------------------


def test_http_basic_refuses_a_locked_user_even_with_the_right_password(
    client: Client, cast: Cast
) -> None:
    fail(client, "bob")
    response = Client().get(DOSSIERS, HTTP_AUTHORIZATION=basic("bob"))
    assert response.status_code in {401, 403}
    assert code_of(response) == "sign_in_locked"


def test_http_basic_with_a_nul_byte_is_invalid_credentials_not_a_server_error(
    client: Client, cast: Cast
) -> None:
    """A NUL byte in the username or the password (which PostgreSQL's text cannot hold) is
    a wrong sign-in like any other, on both databases (found by the API fuzzing)."""
    for username, password in (("bob\x00", TEST_PASSWORD), ("bob", "pass\x00word")):
        response = client.get(DOSSIERS, HTTP_AUTHORIZATION=basic(username, password))
        assert response.status_code in {401, 403}
        assert code_of(response) == "invalid_credentials"


def test_http_basic_failures_are_counted_and_lock_the_account(client: Client, cast: Cast) -> None:
    for _ in range(5):
        response = client.get(DOSSIERS, HTTP_AUTHORIZATION=basic("bob", "wrong"))
        assert response.status_code in {401, 403}
    # Now the right password is refused too, on the API and in the workspace.
    response = client.get(DOSSIERS, HTTP_AUTHORIZATION=basic("BOB"))
    assert response.status_code in {401, 403}
    assert code_of(response) == "sign_in_locked"
    response = sign_in(Client(), "bob")
    assert response.status_code == 200
    assert LOCK_TEXT in response.content.decode()
    assert lockout.failures("bob") == 5


def test_a_locked_http_basic_request_is_refused_before_any_password_hashing(
    client: Client, cast: Cast
) -> None:
    """Each hash costs ~0.44 s with PBKDF2 in production: a locked account (or address)
    must not cost one."""
    fail(client, "bob")
    with override_settings(PASSWORD_HASHERS=[COUNTING]):
        CountingHasher.calls = 0
        for _ in range(3):
            client.get(DOSSIERS, HTTP_AUTHORIZATION=basic("bob"))
            client.get(DOSSIERS, HTTP_AUTHORIZATION=basic("bob", "wrong"))
        assert CountingHasher.calls == 0
        # Unlocked accounts are checked as before.
        assert client.get(DOSSIERS, HTTP_AUTHORIZATION=basic("carol")).status_code == 200
        assert CountingHasher.calls == 1


def test_a_successful_http_basic_request_goes_on_as_before(client: Client, cast: Cast) -> None:
    assert client.get(DOSSIERS, HTTP_AUTHORIZATION=basic("bob")).status_code == 200


# --- the Django admin -----------------------------------------------------------------------


def test_a_locked_superuser_cannot_sign_in_to_the_admin(client: Client, db: None) -> None:
    make_user("root", is_staff=True, is_superuser=True)
    for _ in range(5):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "root", "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert response.status_code == 429
    assert LOCK_TEXT in response.content.decode()
    assert lockout.failures("root") == 5


def test_the_django_admin_lists_the_failed_attempts(client: Client, cast: Cast) -> None:
    fail(client, "bob")
    root = make_user("root", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(root)
    response = admin.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert "bob" in response.content.decode()


# --- by address -----------------------------------------------------------------------------


def test_many_usernames_tried_from_one_address_lock_the_address(client: Client, cast: Cast) -> None:
    """A guesser changing the username each time is stopped by the address's own limit, which
    is higher than a username's, as an office shares one address."""
    limit = settings.MOTCUA_LOCKOUT_IP_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for i in range(limit - 1):
        fail(client, f"guess{i}", times=1)
    assert sign_in(Client(), "alice").status_code == 302
    fail(client, "another-guess", times=1)
    response = sign_in(Client(), "bob")
    assert response.status_code == 200
    assert LOCK_TEXT in response.content.decode()
    assert Client().get(DOSSIERS, HTTP_AUTHORIZATION=basic("bob")).status_code in {401, 403}
    # The same account from another address is not locked.
    assert sign_in(Client(), "bob", REMOTE_ADDR="192.0.2.7").status_code == 302


@override_settings(MOTCUA_BEHIND_PROXY=True)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_added(
    client: Client, cast: Cast
) -> None:
    """A forged first ``X-Forwarded-For`` entry does not dodge the address limit."""
    for i in range(settings.MOTCUA_LOCKOUT_IP_FAILURE_LIMIT):
        fail(client, f"guess{i}", times=1, HTTP_X_FORWARDED_FOR=f"10.9.{i}.1, 203.0.113.5")
    response = sign_in(Client(), "bob", HTTP_X_FORWARDED_FOR="10.0.0.1, 203.0.113.5")
    assert LOCK_TEXT in response.content.decode()
    assert sign_in(Client(), "bob", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


# --- unlocking ------------------------------------------------------------------------------


def test_an_agency_administrator_sees_the_lock_and_unlocks_an_officer(
    client: Client, cast: Cast
) -> None:
    fail(client, "bob")
    admin = Client()
    admin.force_login(cast.erin)
    page = admin.get("/workspace/admin/H56.22/users/").content.decode()
    assert f"/workspace/admin/H56.22/users/{cast.bob.pk}/unlock/" in page
    assert f"/workspace/admin/H56.22/users/{cast.alice.pk}/unlock/" not in page
    response = admin.post(f"/workspace/admin/H56.22/users/{cast.bob.pk}/unlock/")
    assert response.status_code == 302
    assert sign_in(Client(), "bob").status_code == 302
    [event] = OrganisationEvent.objects.filter(action=OrganisationAction.SIGN_IN_UNLOCKED)
    assert (event.subject, event.actor, event.agency) == (cast.bob, cast.erin, cast.agency)
    assert event.data == {"failures_forgotten": 5}


def test_only_administrators_of_the_users_agency_may_unlock(client: Client, cast: Cast) -> None:
    fail(client, "bob")
    officer = Client()
    officer.force_login(cast.alice)
    assert officer.post(f"/workspace/admin/H56.22/users/{cast.bob.pk}/unlock/").status_code == 404
    # Henry holds no role at the agency Erin administers.
    erin = Client()
    erin.force_login(cast.erin)
    assert erin.post(f"/workspace/admin/H56.22/users/{cast.henry.pk}/unlock/").status_code == 404
    with pytest.raises(PermissionDenied):
        lockout.unlock(subject=cast.henry, actor=cast.erin, agency=cast.agency)
    with pytest.raises(PermissionDenied):
        lockout.unlock(subject=cast.bob, actor=cast.alice, agency=cast.agency)
    assert lockout.failures("bob") == 5
    assert not OrganisationEvent.objects.filter(action=OrganisationAction.SIGN_IN_UNLOCKED)
    # A system administrator may unlock anyone.
    lockout.unlock(subject=cast.bob, actor=cast.grace)
    assert lockout.failures("bob") == 0


# --- request rates --------------------------------------------------------------------------


def _rates(anon: str, user: str) -> dict[str, Any]:
    return {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user}}


def test_the_api_answers_429_past_the_anonymous_rate(client: Client, cast: Cast) -> None:
    with override_settings(REST_FRAMEWORK=_rates("3/minute", "100/minute")):
        for _ in range(3):
            assert client.get("/api/v1/calendars/").status_code == 200
        response = client.get("/api/v1/calendars/")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        # Another address has its own count.
        assert client.get("/api/v1/calendars/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_api_answers_429_past_a_users_rate(client: Client, cast: Cast) -> None:
    client.force_login(cast.bob)
    with override_settings(REST_FRAMEWORK=_rates("1/minute", "3/minute")):
        for _ in range(3):
            assert client.get(DOSSIERS).status_code == 200
        assert client.get(DOSSIERS).status_code == 429
        other = Client()
        other.force_login(cast.carol)
        assert other.get(DOSSIERS).status_code == 200


def test_the_default_rates_are_set(db: None) -> None:
    """Every API view is rate-limited by default, anonymous clients more tightly."""
    anon_count, anon_seconds = AnonRateThrottle().parse_rate(AnonRateThrottle().get_rate())
    user_count, user_seconds = UserRateThrottle().parse_rate(UserRateThrottle().get_rate())
    assert anon_count and anon_seconds and user_count and user_seconds
    assert anon_count / anon_seconds < user_count / user_seconds


# --- two-factor authentication required -----------------------------------------------------


@override_settings(MOTCUA_REQUIRE_2FA_FOR_OFFICERS=True)
def test_http_basic_is_refused_to_an_officer_not_enrolled_when_two_factor_is_required(
    client: Client, cast: Cast
) -> None:
    response = client.get(DOSSIERS, HTTP_AUTHORIZATION=basic("bob"))
    assert response.status_code in {401, 403}
    assert code_of(response) == "two_factor_enrolment_required"
    # A citizen is no officer: HTTP Basic still works for him.
    response = client.get("/api/v1/calendars/", HTTP_AUTHORIZATION=basic("henry"))
    assert response.status_code == 200
    assert response.wsgi_request.user == cast.henry
