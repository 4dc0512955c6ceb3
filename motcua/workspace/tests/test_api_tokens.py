"""The token page ``/workspace/security/tokens/`` (issue #18): an officer makes a token and sees
its secret once, lists and revokes their own tokens and nobody else's; a citizen is told only
officers may; in Vietnamese, and in a browser."""

from typing import Any

import pytest
from django.test import Client

from motcua.accounts import tokens
from motcua.accounts.models import ApiToken, OrganisationAction, OrganisationEvent
from motcua.testing import TEST_PASSWORD, Cast
from motcua.testing.browser import screenshot

PAGE = "/workspace/security/tokens/"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_makes_a_token_and_sees_its_secret_once(cast: Cast) -> None:
    client = signed_in(cast.alice)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Mã truy cập API" in page.content.decode()  # Vietnamese by default
    made = client.post(PAGE, {"name": "Báo cáo Excel", "scopes": ["read"], "days": "30"})
    assert made.status_code == 201
    assert made["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=cast.alice)
    html = made.content.decode()
    start = html.index("mct_" + token.prefix + "_", html.index("data-token"))
    secret = html[start : html.index("<", start)]
    assert tokens.hash_secret(secret.split("_", 2)[2]) == token.key_hash
    again = client.get(PAGE).content.decode()
    assert token.prefix in again and secret not in again  # listed, never shown again
    api = Client().get("/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200
    assert token.scopes == "read"


def test_a_wrong_form_makes_nothing(cast: Cast) -> None:
    client = signed_in(cast.alice)
    for data in (
        {"name": "", "scopes": ["read"], "days": "30"},
        {"name": "x", "days": "30"},
        {"name": "x", "scopes": ["read"], "days": "9999"},
    ):
        assert client.post(PAGE, data).status_code == 400, data
    assert not ApiToken.objects.exists()


def test_an_officer_revokes_their_own_token_and_nobody_elses(cast: Cast) -> None:
    mine = tokens.create_token(user=cast.alice, actor=cast.alice, name="a", scopes=["read"])
    bobs = tokens.create_token(user=cast.bob, actor=cast.bob, name="b", scopes=["read"])
    alice = signed_in(cast.alice)
    assert bobs.token.prefix not in alice.get(PAGE).content.decode()
    refused = alice.post(f"{PAGE}{bobs.token.pk}/revoke/")
    assert refused.status_code == 404
    assert ApiToken.objects.get(pk=bobs.token.pk).revoked_at is None
    done = alice.post(f"{PAGE}{mine.token.pk}/revoke/")
    assert done.status_code == 302
    assert ApiToken.objects.get(pk=mine.token.pk).revoked_by == cast.alice
    assert "đã thu hồi" in alice.get(PAGE).content.decode()
    events = OrganisationEvent.objects.filter(action=OrganisationAction.API_TOKEN_REVOKED)
    assert [e.data["token"] for e in events] == [mine.token.prefix]
    assert alice.get(f"{PAGE}{mine.token.pk}/revoke/").status_code == 405


def test_a_citizen_is_told_only_officers_make_tokens(cast: Cast) -> None:
    client = signed_in(cast.henry)
    page = client.get(PAGE).content.decode()
    assert "Chỉ cán bộ" in page and 'name="days"' not in page
    response = client.post(PAGE, {"name": "x", "scopes": ["read"], "days": "30"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_the_page_needs_a_sign_in(db: None) -> None:
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/workspace/login/" in response["Location"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_officer_makes_and_revokes_a_token_in_the_browser(page: Any, live_server: Any) -> None:
    """Alice signs in, goes from Account security to API tokens, makes a read-and-write token,
    copies the secret the page shows once, uses it on the API, and revokes it."""
    cast = Cast()
    tokens.create_token(user=cast.alice, actor=cast.alice, name="Đồng bộ cũ", scopes=["read"])
    page.goto(f"{live_server.url}/workspace/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("table.list, .empty")
    page.click("a.security-link")
    page.click(f"a[href='{PAGE}']")
    page.fill("#id_name", "Phần mềm tiếp nhận")
    page.check("input[name=scopes][value=write]")
    page.fill("#id_days", "60")
    page.click("form.new-token-form button[type=submit]")
    page.wait_for_selector("code[data-token]")
    secret = page.inner_text("code[data-token]")
    assert secret.startswith("mct_")
    path = screenshot(page, "workspace-api-tokens")
    assert path.stat().st_size > 10_000
    made = ApiToken.objects.get(name="Phần mềm tiếp nhận")
    assert made.scopes == "read write"
    assert page.locator("table.token-list tbody tr").count() == 2
    client = Client()
    assert client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    page.click(f"tr[data-prefix='{made.prefix}'] button.danger")
    page.wait_for_selector(f"tr[data-prefix='{made.prefix}'] td.state")
    assert "thu hồi" in page.inner_text(f"tr[data-prefix='{made.prefix}'] td.state")
    assert client.get("/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
