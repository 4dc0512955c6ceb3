"""Password reset for portal accounts by e-mail, read from a real local SMTP server: the link
sets a new password once; unknown addresses and officials' get the same answer and no mail;
requests are rate-limited per address."""

import re
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from motcua.accounts.models import OrganisationAction, OrganisationEvent
from motcua.testing import Cast
from motcua.testing.servers import SmtpServer, body_of

NEW = "Mat-khau-moi-cua-Henry-2026"


def _ask(client: Client, address: str) -> Any:
    return client.post("/quen-mat-khau/", {"email": address})


def _page(client: Client, path: str) -> str:
    """The page without its CSRF tokens, which differ on every request."""
    page = client.get(path).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def _link(smtp_server: SmtpServer) -> str:
    [message] = smtp_server.messages
    found = re.search(r"https?://\S+/dat-lai-mat-khau/\S+/", body_of(message))
    assert found, body_of(message)
    return found.group(0)


def test_a_citizen_resets_the_password_through_the_mailed_link(
    client: Client, cast: Cast, smtp_server: SmtpServer, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = "https://dichvucong.example.gov.vn"
    page = client.get("/quen-mat-khau/").content.decode()
    assert "Quên mật khẩu" in page
    response = _ask(client, "HENRY@example.vn")  # case does not matter
    assert (response.status_code, response["Location"]) == (302, "/quen-mat-khau/da-gui/")
    [message] = smtp_server.messages
    assert message["To"] == "henry@example.vn"
    assert message["Subject"] == "MộtCửa: đặt lại mật khẩu"
    assert "Có yêu cầu đặt lại mật khẩu cho tài khoản của bạn" in body_of(message)
    link = _link(smtp_server)
    assert link.startswith("https://dichvucong.example.gov.vn/dat-lai-mat-khau/")

    path = link.removeprefix("https://dichvucong.example.gov.vn")
    form = client.get(path, follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert (done.status_code, done["Location"]) == (302, "/dat-lai-mat-khau/xong/")
    cast.henry.refresh_from_db()
    assert cast.henry.check_password(NEW)
    assert OrganisationEvent.objects.filter(
        subject=cast.henry, action=OrganisationAction.PASSWORD_RESET
    ).exists()
    again = client.get(path, follow=True).content.decode()
    assert 'data-reset="invalid"' in again  # a link works once


@pytest.mark.parametrize("address", ["nobody@example.vn", "alice@example.vn"])
def test_unknown_and_officials_addresses_get_the_same_answer_and_no_mail(
    client: Client, cast: Cast, smtp_server: SmtpServer, address: str
) -> None:
    """An unknown address and an official's (who resets through the agency) answer exactly as
    a citizen's does, and nothing is mailed."""
    known = _ask(client, "henry@example.vn")
    other = _ask(client, address)
    assert (other.status_code, other["Location"]) == (known.status_code, known["Location"])
    assert [m["To"] for m in smtp_server.messages] == ["henry@example.vn"]
    assert _page(client, other["Location"]) == _page(client, known["Location"])


def test_an_officials_link_is_refused(client: Client, cast: Cast) -> None:
    uid = urlsafe_base64_encode(force_bytes(cast.alice.pk))
    token = default_token_generator.make_token(cast.alice)
    page = client.get(f"/dat-lai-mat-khau/{uid}/{token}/", follow=True).content.decode()
    assert 'data-reset="invalid"' in page


def test_a_forged_token_is_refused(client: Client, cast: Cast) -> None:
    uid = urlsafe_base64_encode(force_bytes(cast.henry.pk))
    page = client.get(f"/dat-lai-mat-khau/{uid}/abc-123/", follow=True).content.decode()
    assert 'data-reset="invalid"' in page
    cast.henry.refresh_from_db()
    assert not cast.henry.check_password(NEW)


def test_reset_requests_are_rate_limited_per_address(
    client: Client, cast: Cast, smtp_server: SmtpServer, settings: Any
) -> None:
    settings.MOTCUA_ACCOUNT_RATE = "2/minute"
    for _ in range(2):
        assert _ask(client, "henry@example.vn").status_code == 302
    limited = _ask(client, "henry@example.vn")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) >= 1
    assert len(smtp_server.messages) == 2
    assert client.get("/quen-mat-khau/").status_code == 200  # reading the form is not counted
