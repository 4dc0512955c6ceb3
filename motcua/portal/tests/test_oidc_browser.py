"""Sign-in on the portal through a real OpenID Connect provider, in headless Chromium: the
provider (django-oauth-toolkit in OIDC mode, ``oidc_provider/``) runs in a second process on
its own port; nothing is mocked. A person whose verified e-mail address matches a portal
account signs into that account; a new person gets a citizen's account."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from motcua.accounts import registration
from motcua.accounts.models import OrganisationAction, OrganisationEvent, Role, User
from motcua.portal.tests.oidc_provider.serve import CLIENT_ID, CLIENT_SECRET, PASSWORD
from motcua.portal.tests.test_browser import PHONE, Tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def provider(live_server: Any, tmp_path: Path, settings: Any) -> Iterator[str]:
    """The provider's address, with the portal configured as its client."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "OIDC_PROVIDER_DB": str(tmp_path / "provider.sqlite3")}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "motcua.portal.tests.oidc_provider.serve",
            str(port),
            f"{live_server.url}/oidc/callback/",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "provider.log").open("w"),
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/o/.well-known/jwks.json") as answer:  # noqa: S310
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((tmp_path / "provider.log").read_text()) from None
                time.sleep(0.3)
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/o/authorize/"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/o/token/"
        settings.OIDC_OP_USER_ENDPOINT = f"{base}/o/userinfo/"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/o/.well-known/jwks.json"
        settings.AUTHENTICATION_BACKENDS = [
            *settings.AUTHENTICATION_BACKENDS,
            "motcua.portal.oidc.CitizenOIDCBackend",
        ]
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _sign_in_at_provider(page: Any, live_server: Any, username: str) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    with page.expect_navigation():
        page.click("main a.button")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation(url=f"{live_server.url}/"):
        page.click("button[type=submit]")


def test_a_citizen_signs_in_through_the_identity_provider(
    page: Any, live_server: Any, provider: str
) -> None:
    # Lan has a portal account whose e-mail address she verified with a code.
    lan, code = registration.register_account(
        registration.Registration(
            kind="individual",
            full_name="Nguyễn Thị Lan",
            id_number="079301004321",
            password="Ngay-mai-troi-nang-2026",
            email="lan@example.vn",
        )
    )
    registration.verify_contact(lan, code)
    page.set_viewport_size(PHONE)
    tour = Tour(page)
    page.goto(f"{live_server.url}/dang-nhap/")
    tour.check("oidc-sign-in")

    _sign_in_at_provider(page, live_server, "lan")
    assert "Nguyễn Thị Lan" in page.inner_text("header")
    assert User.objects.filter(email="lan@example.vn").count() == 1

    with page.expect_navigation():
        page.click("header button:has-text('Đăng xuất')")
    page.context.clear_cookies()

    # Minh has no account: signing in through the provider makes a citizen's account.
    _sign_in_at_provider(page, live_server, "minh")
    assert "Phạm Văn Minh" in page.inner_text("header")
    minh = User.objects.get(email="minh@example.vn")
    assert minh.is_active and not minh.has_usable_password()
    assert [a.role for a in minh.role_assignments.all()] == [Role.CITIZEN]
    assert registration.is_portal_account(minh)
    assert OrganisationEvent.objects.filter(
        subject=minh, action=OrganisationAction.CITIZEN_REGISTERED, data__via="oidc"
    ).exists()

    assert tour.problems == [], "\n".join(tour.problems)
