"""Two-factor authentication: turning it on with a real authenticator code, the code step of
signing in, the shared lock-out, recovery codes, turning it off, the audit events, and that an
unverified session reaches neither the workspace, the admin nor the API."""

import base64
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, RequestFactory, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import OrganisationAction, OrganisationEvent, User
from motcua.dossiers.models import Dossier
from motcua.testing import TEST_PASSWORD, Cast, problems
from motcua.testing.browser import SCREENSHOTS
from motcua.workspace import lockout, twofactor

CODE_PAGE = "/workspace/login/code/"
# With UPDATE_DOCS_SCREENSHOTS=1 the browser test refreshes docs/screenshots/ (see
# test_browser.py); otherwise its screenshot goes to var/screenshots/.
DOCS = (
    Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS")
    else SCREENSHOTS
)


def code_for(user: User) -> str:
    """The code the user's authenticator app shows, computed from the device's key: the latest
    step the device still accepts (one step ahead of its clock), so each call gives a code
    that has not been used yet."""
    device = TOTPDevice.objects.filter(user=user).order_by("-pk").first()
    assert device is not None
    ahead = device.drift + device.tolerance
    now_t = int((time.time() - device.t0) // device.step)
    assert now_t + ahead > device.last_t, "no unused code left in the window"
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, ahead):06d}"


def wrong_code_for(user: User) -> str:
    """Six digits that no step of the device's window accepts."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    valid = {
        totp(device.bin_key, device.step, device.t0, device.digits, device.drift + d)
        for d in range(-device.tolerance, device.tolerance + 1)
    }
    return next(f"{n:06d}" for n in range(123456, 10**6) if n not in valid)


def turn_on(user: User) -> list[str]:
    """Two-factor authentication on for ``user`` through the services; the recovery codes."""
    twofactor.start_enrolment(user=user)
    _, codes = twofactor.confirm_enrolment(user=user, token=code_for(user))
    return codes


def password_step(client: Client, username: str = "alice") -> Any:
    return client.post("/workspace/login/", {"username": username, "password": TEST_PASSWORD})


def _shot(page: Any, name: str) -> Path:
    DOCS.mkdir(parents=True, exist_ok=True)
    path = DOCS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def events(user: User, action: str) -> list[OrganisationEvent]:
    return list(OrganisationEvent.objects.filter(subject=user, action=action))


def basic(username: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{TEST_PASSWORD}".encode()).decode()


# --- without two-factor authentication ----------------------------------------------------


def test_users_without_two_factor_sign_in_as_before(client: Client, cast: Cast) -> None:
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200
    assert client.get("/api/v1/dossiers/").status_code == 200
    # Nothing to ask on the code page: it sends the user on.
    assert client.get(CODE_PAGE).status_code == 302


def test_the_security_page_says_it_is_off_and_links_from_the_top_bar(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.alice)
    page = client.get("/workspace/security/").content.decode()
    assert 'data-two-factor="off"' in page
    assert 'href="/workspace/security/"' in client.get("/workspace/").content.decode()


def test_the_security_page_needs_a_session(client: Client, db: None) -> None:
    response = client.get("/workspace/security/")
    assert response.status_code == 302
    assert response["Location"].startswith("/workspace/login/")


# --- turning it on ------------------------------------------------------------------------


def test_turning_it_on_shows_a_qr_code_and_needs_a_code_from_the_app(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.alice)
    assert client.post("/workspace/security/", {"action": "start"}).status_code == 302
    device = TOTPDevice.objects.get(user=cast.alice)
    assert not device.confirmed
    page = client.get("/workspace/security/").content.decode()
    assert "<svg" in page  # the QR code, drawn in the page (no image service)
    assert twofactor.secret_text(device) in page
    assert not twofactor.has_two_factor(cast.alice)

    response = client.post("/workspace/security/", {"action": "confirm", "confirm-token": "12345x"})
    assert response.status_code == 400
    assert 'value="12345x"' in response.content.decode()  # what was typed is kept
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not events(cast.alice, OrganisationAction.TWO_FACTOR_ENABLED)

    response = client.post(
        "/workspace/security/", {"action": "confirm", "confirm-token": code_for(cast.alice)}
    )
    assert response.status_code == 302
    assert twofactor.has_two_factor(cast.alice)
    page = client.get("/workspace/security/").content.decode()
    tokens = list(
        StaticToken.objects.filter(device__user=cast.alice).values_list("token", flat=True)
    )
    assert len(tokens) == 10
    assert all(token in page for token in tokens)
    # Shown once only.
    again = client.get("/workspace/security/").content.decode()
    assert not any(token in again for token in tokens)
    assert 'data-two-factor="on"' in again
    [event] = events(cast.alice, OrganisationAction.TWO_FACTOR_ENABLED)
    assert event.actor == cast.alice
    # The session that turned it on is verified: it goes on working.
    assert client.get("/workspace/").status_code == 200


def test_cancelling_the_set_up_leaves_it_off(client: Client, cast: Cast) -> None:
    client.force_login(cast.alice)
    client.post("/workspace/security/", {"action": "start"})
    client.post("/workspace/security/", {"action": "cancel"})
    assert not TOTPDevice.objects.filter(user=cast.alice).exists()
    assert password_step(Client())["Location"] == "/workspace/"


# --- signing in with a code ---------------------------------------------------------------


def test_signing_in_asks_for_the_code_after_the_password(client: Client, cast: Cast) -> None:
    turn_on(cast.alice)
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"] == f"{CODE_PAGE}?next=%2Fworkspace%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    response = client.post(CODE_PAGE, {"token": code_for(cast.alice), "next": "/workspace/"})
    assert response.status_code == 302
    assert response["Location"] == "/workspace/"
    assert client.get("/workspace/").status_code == 200
    assert client.get("/api/v1/dossiers/").status_code == 200


def test_the_code_page_does_not_follow_a_next_to_another_site(client: Client, cast: Cast) -> None:
    turn_on(cast.alice)
    password_step(client)
    response = client.post(
        CODE_PAGE, {"token": code_for(cast.alice), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/workspace/"


def test_an_unverified_session_reaches_no_page_of_the_workspace(
    client: Client, cast: Cast, received: Dossier
) -> None:
    turn_on(cast.alice)
    password_step(client)
    for path in ("/workspace/", f"/workspace/dossiers/{received.code}/", "/workspace/security/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(CODE_PAGE), path
    response = client.post(
        f"/workspace/dossiers/{received.code}/act/forward/",
        {"revision": received.revision, "note": "x"},
    )
    assert response.status_code == 302
    assert response["Location"] == CODE_PAGE
    assert Dossier.objects.get(pk=received.pk).status == received.status


def test_an_unverified_session_cannot_use_the_api(
    client: Client, cast: Cast, received: Dossier
) -> None:
    client.cookies["django_language"] = "en"
    turn_on(cast.alice)
    password_step(client)
    assert client.get("/api/v1/dossiers/").status_code == 403
    response = client.get(f"/api/v1/dossiers/{received.code}/")
    assert response.status_code == 403
    assert problems(response) == ["second_factor_pending"]
    assert "code" in response.json()["message"]  # says to enter the code

    assert client.post("/api/v1/dossiers/receive/", {}).status_code == 403


def test_an_unverified_session_cannot_reach_the_admin(client: Client, cast: Cast) -> None:
    cast.grace.is_staff = True
    cast.grace.save(update_fields=["is_staff"])
    turn_on(cast.grace)
    # Whatever signed the user in (here the test client, like the admin's own login form).
    client.force_login(cast.grace)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(CODE_PAGE)


def test_http_basic_is_refused_to_accounts_with_a_second_factor(client: Client, cast: Cast) -> None:
    turn_on(cast.alice)
    assert client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=basic("alice")).status_code in {
        401,
        403,
    }
    # Accounts without it keep HTTP Basic.
    assert client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=basic("bob")).status_code == 200


# --- wrong codes and the lock-out ---------------------------------------------------------


def test_a_wrong_code_is_refused_and_counted(client: Client, cast: Cast) -> None:
    turn_on(cast.alice)
    password_step(client)
    response = client.post(CODE_PAGE, {"token": wrong_code_for(cast.alice)})
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert lockout.failures("alice") == 1
    assert client.get("/workspace/").status_code == 302


def test_five_wrong_codes_lock_the_account(client: Client, cast: Cast) -> None:
    turn_on(cast.alice)
    password_step(client)
    for _ in range(4):
        assert client.post(CODE_PAGE, {"token": wrong_code_for(cast.alice)}).status_code == 400
    response = client.post(CODE_PAGE, {"token": wrong_code_for(cast.alice)})
    assert response.status_code == 302
    assert response["Location"] == "/workspace/login/"
    assert "_auth_user_id" not in client.session
    assert lockout.is_locked(RequestFactory().get("/"), "alice")
    # Locked: the right password is refused, and so would be the right code.
    response = password_step(client)
    assert response.status_code == 200
    assert "bị khóa" in response.content.decode()
    with pytest.raises(twofactor.SecondFactorLocked):
        twofactor.verify_sign_in(
            user=cast.alice, token=code_for(cast.alice), request=RequestFactory().post(CODE_PAGE)
        )


def test_signing_in_again_does_not_reset_the_count_of_wrong_codes(
    client: Client, cast: Cast
) -> None:
    """The password alone must not clear failures, or codes could be guessed without end."""
    turn_on(cast.alice)
    password_step(client)
    for _ in range(3):
        client.post(CODE_PAGE, {"token": wrong_code_for(cast.alice)})
    other = Client()
    assert password_step(other)["Location"].startswith(CODE_PAGE)
    assert lockout.failures("alice") == 3
    other.post(CODE_PAGE, {"token": wrong_code_for(cast.alice)})
    other.post(CODE_PAGE, {"token": wrong_code_for(cast.alice)})
    assert lockout.is_locked(RequestFactory().get("/"), "alice")


def test_the_right_code_clears_the_count(client: Client, cast: Cast) -> None:
    turn_on(cast.alice)
    password_step(client)
    client.post(CODE_PAGE, {"token": wrong_code_for(cast.alice)})
    client.post(CODE_PAGE, {"token": code_for(cast.alice)})
    assert lockout.failures("alice") == 0


# --- recovery codes -----------------------------------------------------------------------


def test_a_recovery_code_works_once(client: Client, cast: Cast) -> None:
    codes = turn_on(cast.alice)
    password_step(client)
    response = client.post(CODE_PAGE, {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 200
    [event] = events(cast.alice, OrganisationAction.RECOVERY_CODE_USED)
    assert event.data == {"remaining": 9}
    assert twofactor.recovery_codes_left(cast.alice) == 9

    again = Client()
    password_step(again)
    response = again.post(CODE_PAGE, {"token": codes[0]})
    assert response.status_code == 400
    assert again.get("/workspace/").status_code == 302
    assert len(events(cast.alice, OrganisationAction.RECOVERY_CODE_USED)) == 1


# --- turning it off -----------------------------------------------------------------------


def _verified(client: Client, user: User) -> None:
    password_step(client, user.username)
    assert client.post(CODE_PAGE, {"token": code_for(user)}).status_code == 302


def test_turning_it_off_needs_a_current_code(client: Client, cast: Cast) -> None:
    turn_on(cast.alice)
    _verified(client, cast.alice)
    response = client.post("/workspace/security/", {"action": "disable"})
    assert response.status_code == 400
    response = client.post(
        "/workspace/security/",
        {"action": "disable", "disable-token": wrong_code_for(cast.alice)},
    )
    assert response.status_code == 400
    assert wrong_code_for(cast.alice) in response.content.decode()  # kept next to the field
    assert twofactor.has_two_factor(cast.alice)
    assert lockout.failures("alice") == 1
    assert not events(cast.alice, OrganisationAction.TWO_FACTOR_DISABLED)

    response = client.post(
        "/workspace/security/", {"action": "disable", "disable-token": code_for(cast.alice)}
    )
    assert response.status_code == 302
    assert not twofactor.has_two_factor(cast.alice)
    assert not StaticDevice.objects.filter(user=cast.alice).exists()
    [event] = events(cast.alice, OrganisationAction.TWO_FACTOR_DISABLED)
    assert event.data == {"proof": "code"}
    # Signing in is back to the password alone.
    assert password_step(Client())["Location"] == "/workspace/"


def test_turning_it_off_with_the_password(client: Client, cast: Cast) -> None:
    turn_on(cast.alice)
    _verified(client, cast.alice)
    response = client.post(
        "/workspace/security/", {"action": "disable", "disable-password": "not it"}
    )
    assert response.status_code == 400
    assert twofactor.has_two_factor(cast.alice)
    response = client.post(
        "/workspace/security/", {"action": "disable", "disable-password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert not twofactor.has_two_factor(cast.alice)
    [event] = events(cast.alice, OrganisationAction.TWO_FACTOR_DISABLED)
    assert event.data == {"proof": "password"}


def test_a_session_still_waiting_for_a_code_goes_on_once_it_is_turned_off(
    client: Client, cast: Cast
) -> None:
    turn_on(cast.alice)
    password_step(client)
    request = RequestFactory().post("/workspace/security/")
    twofactor.disable(user=cast.alice, password=TEST_PASSWORD, request=request)
    response = client.get(CODE_PAGE)
    assert response.status_code == 302
    assert client.get("/workspace/").status_code == 200


# --- required for officers ----------------------------------------------------------------


@override_settings(MOTCUA_REQUIRE_2FA_FOR_OFFICERS=True)
def test_when_required_officers_without_it_are_sent_to_set_it_up(
    client: Client, cast: Cast
) -> None:
    response = password_step(client)
    assert response["Location"] == "/workspace/security/"
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/workspace/security/")
    assert client.get("/api/v1/dossiers/").status_code == 403

    client.post("/workspace/security/", {"action": "start"})
    client.post(
        "/workspace/security/", {"action": "confirm", "confirm-token": code_for(cast.alice)}
    )
    assert client.get("/workspace/").status_code == 200


@override_settings(MOTCUA_REQUIRE_2FA_FOR_OFFICERS=True)
def test_when_required_citizens_are_not_asked(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.henry)
    assert client.get("/api/v1/dossiers/").status_code == 200


# --- in a browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_turns_it_on_in_the_browser_and_signs_in_with_a_code(
    page: Any, live_server: Any
) -> None:
    """Alice sets it up from the key the page shows (as an app would read it from the QR code),
    sees her recovery codes, signs out, and signs in again with the password and a code."""
    cast = Cast()
    page.goto(f"{live_server.url}/workspace/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("table.list, .empty")
    page.click("a.security-link")
    page.click("form:has(input[value=start]) button")
    page.wait_for_selector(".qr svg")
    assert _shot(page, "workspace-two-factor").stat().st_size > 10_000
    key = base64.b32decode(page.inner_text("code.secret").replace(" ", ""))
    page.fill("#id_confirm-token", f"{totp(key):06d}")
    page.click("form:has(input[value=confirm]) button")
    page.wait_for_selector("ol.codes")
    assert page.locator("ol.codes li").count() == 10
    assert twofactor.has_two_factor(cast.alice)

    page.click("header form[action='/workspace/logout/'] button")
    page.goto(f"{live_server.url}/workspace/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("#id_token")
    assert "/workspace/login/code/" in page.url
    page.fill("#id_token", code_for(cast.alice))
    page.click("button[type=submit].primary")
    page.wait_for_selector("table.list, .empty")
    assert page.url.rstrip("/").endswith("/workspace")
