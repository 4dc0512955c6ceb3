"""Sign-in, sign-out and the lock-out after five failed attempts."""

import datetime as dt
from typing import Any

from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from motcua.testing import TEST_PASSWORD, Cast
from motcua.workspace import lockout


def _sign_in(client: Client, username: str, password: str) -> object:
    return client.post("/workspace/login/", {"username": username, "password": password})


def test_anonymous_visitors_are_sent_to_the_sign_in_page(client: Client, db: None) -> None:
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/workspace/login/?next=/workspace/")


def test_the_sign_in_page_speaks_vietnamese(client: Client, db: None) -> None:
    response = client.get("/workspace/login/")
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_an_officer_signs_in_and_lands_on_the_queues(client: Client, cast: Cast) -> None:
    response = client.post("/workspace/login/", {"username": "alice", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200


def test_signing_out_ends_the_session(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    response = client.post("/workspace/logout/")
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 302


def test_five_failures_lock_the_account_even_with_the_right_password(
    client: Client, cast: Cast
) -> None:
    for _ in range(5):
        response = client.post("/workspace/login/", {"username": "alice", "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/workspace/login/", {"username": "ALICE", "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_then_success_clear_the_count(client: Client, cast: Cast) -> None:
    for _ in range(4):
        client.post("/workspace/login/", {"username": "alice", "password": "wrong"})
    response = client.post("/workspace/login/", {"username": "alice", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert lockout.failures("alice") == 0


def _age_failures(minutes: int) -> None:
    """Move every recorded failure ``minutes`` into the past (django-axes stamps them with the
    time of the request)."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=minutes))


def test_the_lock_ends_after_fifteen_minutes(client: Client, cast: Cast) -> None:
    for _ in range(5):
        _sign_in(client, "bob", "wrong")
    _age_failures(14)
    assert "_auth_user_id" not in _signed_in(client, "bob")
    _age_failures(16)
    assert "_auth_user_id" in _signed_in(client, "bob")


def test_failures_older_than_the_window_do_not_count(client: Client, cast: Cast) -> None:
    for _ in range(4):
        _sign_in(client, "bob", "wrong")
    _age_failures(20)
    _sign_in(client, "bob", "wrong")
    assert lockout.failures("bob") == 1
    assert "_auth_user_id" in _signed_in(client, "bob")


def _signed_in(client: Client, username: str) -> Any:
    _sign_in(client, username, TEST_PASSWORD)
    return client.session


def test_the_language_switch_turns_the_pages_english(client: Client, db: None) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/workspace/login/"})
    assert "Sign in" in client.get("/workspace/login/").content.decode()
