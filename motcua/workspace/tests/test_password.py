"""Changing one's own password from the workspace: old password checked, validators applied,
what was typed kept on errors, the session kept, the change audited."""

import pytest
from django.test import Client

from motcua.accounts.models import OrganisationAction, OrganisationEvent
from motcua.testing import TEST_PASSWORD, Cast

pytestmark = pytest.mark.django_db
URL = "/workspace/security/password/"


def test_an_officer_changes_their_password(client: Client, cast: Cast) -> None:
    client.force_login(cast.bob)
    assert client.get(URL).status_code == 200
    new = "Mot-cua-2026-moi"
    response = client.post(
        URL, {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert response.url == "/workspace/security/"  # type: ignore[attr-defined]
    cast.bob.refresh_from_db()
    assert cast.bob.check_password(new)
    # Still signed in: the session hash followed the new password.
    assert client.get("/workspace/security/").status_code == 200
    event = OrganisationEvent.objects.get(action=OrganisationAction.PASSWORD_CHANGED)
    assert event.subject == cast.bob and event.actor == cast.bob
    assert new not in str(event.data)


def test_a_wrong_old_password_or_a_weak_new_one_is_refused_next_to_the_field(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.bob)
    response = client.post(
        URL, {"old_password": "wrong", "new_password1": "x", "new_password2": "y"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "old_password" in form.errors
    assert 'name="old_password"' in response.content.decode()
    weak = client.post(
        URL, {"old_password": TEST_PASSWORD, "new_password1": "1", "new_password2": "1"}
    )
    assert weak.status_code == 400
    assert "new_password2" in weak.context["form"].errors
    cast.bob.refresh_from_db()
    assert cast.bob.check_password(TEST_PASSWORD)
    assert not OrganisationEvent.objects.filter(action=OrganisationAction.PASSWORD_CHANGED)


def test_signed_out_users_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/workspace/login/")  # type: ignore[attr-defined]
