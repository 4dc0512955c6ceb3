"""Which account a sign-in through the identity provider opens (``portal/oidc.py``'s rules,
read through ``accounts.registration``), and the provider's button on the sign-in page. The
whole sign-in against a real provider is ``test_oidc_browser.py``."""

from typing import Any

import pytest
from django.test import Client

from motcua.accounts import registration
from motcua.accounts.models import OrganisationAction, OrganisationEvent, Role, User
from motcua.testing import Cast

pytestmark = pytest.mark.django_db

PASSWORD = "Ngay-mai-troi-nang-2026"


def lan(email: str = "lan@example.vn", phone: str = "") -> tuple[User, str]:
    return registration.register_account(
        registration.Registration(
            kind="individual",
            full_name="Nguyễn Thị Lan",
            id_number="079301004321",
            password=PASSWORD,
            email=email,
            phone=phone,
        )
    )


def test_only_an_account_whose_email_was_verified_is_linked(db: None) -> None:
    user, code = lan()
    assert registration.verified_email_accounts("lan@example.vn") == []
    registration.verify_contact(user, code)
    assert registration.verified_email_accounts("LAN@example.vn") == [user]


def test_an_officials_email_is_never_linked(cast: Cast) -> None:
    cast.alice.email = "alice@h56.gov.vn"
    cast.alice.save()
    assert registration.email_of_official("alice@h56.gov.vn")
    assert registration.verified_email_accounts("alice@h56.gov.vn") == []
    assert not registration.email_of_official("someone@example.vn")


def test_a_provider_account_is_an_active_citizen_without_a_password(db: None) -> None:
    user = registration.register_oidc_account(
        issuer="http://idp.example/o",
        subject="abc-123",
        email="Minh@Example.vn",
        full_name="Phạm  Văn Minh",
    )
    assert user.username == registration.oidc_username("http://idp.example/o", "abc-123")
    assert user.is_active and not user.has_usable_password()
    assert user.email == "minh@example.vn" and user.full_name == "Phạm Văn Minh"
    assert [a.role for a in user.role_assignments.all()] == [Role.CITIZEN]
    assert registration.is_portal_account(user)
    event = OrganisationEvent.objects.get(
        subject=user, action=OrganisationAction.CITIZEN_REGISTERED
    )
    assert event.data["via"] == "oidc"
    # The same subject at another provider is another account.
    assert registration.oidc_username("http://other.example/o", "abc-123") != user.username


def test_the_provider_button_shows_only_when_a_provider_is_configured(
    client: Client, db: None, settings: Any
) -> None:
    settings.OIDC_RP_CLIENT_ID = ""
    assert "/oidc/authenticate/" not in client.get("/dang-nhap/").content.decode()
    settings.OIDC_RP_CLIENT_ID = "motcua-portal"
    page = client.get("/dang-nhap/?next=/tra-cuu/").content.decode()
    assert 'href="/oidc/authenticate/?next=/tra-cuu/"' in page
    failed = client.get("/dang-nhap/?oidc=failed").content.decode()
    assert 'role="alert"' in failed


def test_the_provider_addresses_are_404_while_none_is_configured(
    client: Client, db: None, settings: Any
) -> None:
    settings.OIDC_RP_CLIENT_ID = ""
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
