"""Role grants on the agency administration screens and in the Django admin (issue 10,
item 2): the screens and the admin go through the grant services, so the same rules hold
whichever way a role is given; head of department and signing leader wait for a second
person, who confirms or rejects them on the "Role grants awaiting confirmation" page."""

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from motcua.accounts import grants
from motcua.accounts.models import (
    GrantRequestStatus,
    OrganisationAction,
    OrganisationEvent,
    Role,
    RoleAssignment,
    RoleGrantRequest,
    User,
)
from motcua.testing import Cast

AGENCY = "H56.22"
OTHER = "H56.23"


def client_for(user: User) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def _grant(client: Client, username: str, role: str, code: str = AGENCY) -> Any:
    return client.post(
        f"/workspace/admin/{code}/users/grant/", {"username": username, "role": role}
    )


# --- the agency's users page --------------------------------------------------------------


def test_granting_a_leading_role_on_the_screen_only_requests_it(cast: Cast) -> None:
    erin = client_for(cast.erin)
    response = _grant(erin, "oscar", Role.SIGNING_LEADER)
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=cast.oscar).exists()
    pending = RoleGrantRequest.objects.get(user=cast.oscar)
    page = text(erin.get(f"/workspace/admin/{AGENCY}/users/", follow=True))
    assert f'data-grant-request="{pending.pk}"' in page
    assert "awaiting confirmation" in page
    # The requester gets no confirm button for his own request.
    assert f"/workspace/admin/grants/{pending.pk}/decide/" not in page


def test_the_screen_refuses_a_grant_to_oneself_a_citizen_or_elsewhere(cast: Cast) -> None:
    erin = client_for(cast.erin)
    assert _grant(erin, "erin", Role.SIGNING_LEADER).status_code == 403
    assert _grant(erin, "erin", Role.DESK_OFFICER).status_code == 403
    citizen = _grant(erin, "henry", Role.HEAD_OF_DEPARTMENT)
    assert citizen.status_code == 400 and "accounts only" in text(citizen)
    assert _grant(erin, "henry", Role.SPECIALIST).status_code == 400
    assert _grant(erin, "oscar", Role.SPECIALIST, OTHER).status_code == 404
    assert not RoleGrantRequest.objects.exists()
    assert (
        not RoleAssignment.objects.filter(user__in=[cast.erin, cast.henry, cast.oscar])
        .exclude(role__in=[Role.AGENCY_ADMIN, Role.CITIZEN])
        .exists()
    )
    assert not OrganisationEvent.objects.exists()


def test_the_agency_s_leader_confirms_from_the_grants_page(cast: Cast) -> None:
    pending = grants.request_role(cast.oscar, Role.HEAD_OF_DEPARTMENT, cast.agency, actor=cast.erin)
    dave = client_for(cast.dave)
    queue = text(dave.get("/workspace/"))
    assert 'href="/workspace/admin/grants/"' in queue  # the top bar's link
    page = text(dave.get("/workspace/admin/grants/"))
    assert f"/workspace/admin/grants/{pending.pk}/decide/" in page
    response = dave.post(
        f"/workspace/admin/grants/{pending.pk}/decide/",
        {"decision": "confirm", "reason": "QĐ 15/QĐ-UBND", "back": "grants"},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=cast.oscar, role=Role.HEAD_OF_DEPARTMENT).exists()
    # Confirming twice grants nothing more.
    dave.post(f"/workspace/admin/grants/{pending.pk}/decide/", {"decision": "confirm"})
    granted = OrganisationEvent.objects.filter(action=OrganisationAction.ROLE_GRANTED)
    assert [(e.actor, e.subject) for e in granted] == [(cast.dave, cast.oscar)]


def test_the_requester_cannot_confirm_from_the_screen(cast: Cast) -> None:
    pending = grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    erin = client_for(cast.erin)
    response = erin.post(f"/workspace/admin/grants/{pending.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == GrantRequestStatus.PENDING


def test_a_system_administrator_rejects_with_a_reason_on_the_users_page(cast: Cast) -> None:
    pending = grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    grace = client_for(cast.grace)
    page = text(grace.get(f"/workspace/admin/{AGENCY}/users/"))
    assert f"/workspace/admin/grants/{pending.pk}/decide/" in page
    url = f"/workspace/admin/grants/{pending.pk}/decide/"
    without = grace.post(url, {"decision": "reject", "reason": "", "back": "users"}, follow=True)
    assert "Say why the role is rejected." in text(without)
    pending.refresh_from_db()
    assert pending.status == GrantRequestStatus.PENDING
    grace.post(url, {"decision": "reject", "reason": "Sai người", "back": "users"})
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (GrantRequestStatus.REJECTED, cast.grace)
    assert not RoleAssignment.objects.filter(user=cast.oscar).exists()


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "frank", "henry", "oscar"])
def test_others_neither_see_nor_decide_pending_grants(cast: Cast, who: str) -> None:
    pending = grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    client = client_for(getattr(cast, who))
    assert client.get("/workspace/admin/grants/").status_code == 403
    response = client.post(f"/workspace/admin/grants/{pending.pk}/decide/", {"decision": "confirm"})
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == GrantRequestStatus.PENDING


def test_a_leader_of_another_agency_does_not_find_the_request(cast: Cast) -> None:
    pending = grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    cast.ivan.role_assignments.create(role=Role.SIGNING_LEADER, agency=cast.other_agency)
    ivan = client_for(cast.ivan)
    assert f'data-grant-request="{pending.pk}"' not in text(ivan.get("/workspace/admin/grants/"))
    url = f"/workspace/admin/grants/{pending.pk}/decide/"
    assert ivan.post(url, {"decision": "confirm"}).status_code == 404


# --- the Django admin ---------------------------------------------------------------------


@pytest.fixture
def root(cast: Cast) -> User:
    return User.objects.create_superuser("root", "root@example.vn", "x", full_name="Root")


def _admin_post(client: Client, user: User, rows: list[dict[str, str]], **more: str) -> Any:
    """Post the user's change form as the admin shows it, with ``rows`` as new roles."""
    form = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert form.status_code == 200
    data: dict[str, Any] = {
        "username": user.username,
        "email": user.email,
        "full_name": user.full_name,
        "id_number": user.id_number,
        "phone": user.phone,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    for inline in form.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for i, existing in enumerate(formset.initial_forms):
            data[f"{prefix}-{i}-id"] = str(existing.instance.pk)
            data[f"{prefix}-{i}-user"] = str(user.pk)
        if inline.opts.__class__.__name__ == "NewRoleAssignmentInline":
            data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
            for i, row in enumerate(rows):
                for key, value in row.items():
                    data[f"{prefix}-{i}-{key}"] = value
                data[f"{prefix}-{i}-user"] = str(user.pk)
    data.update(more)
    return client.post(f"/admin/accounts/user/{user.pk}/change/", data)


def test_the_admin_requests_a_leading_role_instead_of_granting_it(cast: Cast, root: User) -> None:
    client = Client()
    client.force_login(root)
    response = _admin_post(
        client, cast.oscar, [{"role": Role.SIGNING_LEADER, "agency": str(cast.agency.pk)}]
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    assert not RoleAssignment.objects.filter(user=cast.oscar).exists()
    assert RoleGrantRequest.objects.get(user=cast.oscar).requested_by == root
    # An ordinary role is granted through the service, with its event.
    _admin_post(client, cast.oscar, [{"role": Role.SPECIALIST, "agency": str(cast.agency.pk)}])
    event = OrganisationEvent.objects.get(action=OrganisationAction.ROLE_GRANTED)
    assert (event.actor, event.subject) == (root, cast.oscar)


def test_the_admin_refuses_a_role_to_a_citizen_or_oneself(cast: Cast, root: User) -> None:
    client = Client()
    client.force_login(root)
    row = [{"role": Role.DESK_OFFICER, "agency": str(cast.agency.pk)}]
    assert _admin_post(client, cast.henry, row).status_code == 200  # the form, with the error
    assert _admin_post(client, root, row).status_code == 200
    assert (
        not RoleAssignment.objects.filter(user__in=[cast.henry, root])
        .exclude(role=Role.CITIZEN)
        .exists()
    )
    assert not OrganisationEvent.objects.exists()


def test_the_admin_shows_existing_roles_read_only(cast: Cast, root: User) -> None:
    """A posted change of an existing row's role is ignored: only removal goes through."""
    client = Client()
    client.force_login(root)
    held = RoleAssignment.objects.get(user=cast.bob)
    form = client.get(f"/admin/accounts/user/{cast.bob.pk}/change/")
    held_inline = form.context["inline_admin_formsets"][0]
    assert "role" not in held_inline.formset.forms[0].fields
    prefix = held_inline.formset.prefix
    _admin_post(client, cast.bob, [], **{f"{prefix}-0-role": Role.SIGNING_LEADER})
    held.refresh_from_db()
    assert held.role == Role.SPECIALIST


def test_a_staff_user_cannot_raise_his_own_privileges_in_the_admin(cast: Cast, root: User) -> None:
    client = Client()
    client.force_login(root)
    form = client.get(f"/admin/accounts/user/{root.pk}/change/").context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


def test_removing_a_role_in_the_admin_goes_through_the_service(cast: Cast, root: User) -> None:
    """Removal is revoked through ``revoke_role`` (an event); one's own role is refused."""
    client = Client()
    client.force_login(root)
    form = client.get(f"/admin/accounts/user/{cast.bob.pk}/change/")
    prefix = form.context["inline_admin_formsets"][0].formset.prefix
    assert _admin_post(client, cast.bob, [], **{f"{prefix}-0-DELETE": "on"}).status_code == 302
    assert not RoleAssignment.objects.filter(user=cast.bob).exists()
    event = OrganisationEvent.objects.get(action=OrganisationAction.ROLE_REVOKED)
    assert (event.actor, event.subject) == (root, cast.bob)
    own = root.role_assignments.create(role=Role.SPECIALIST, agency=cast.agency)
    assert _admin_post(client, root, [], **{f"{prefix}-0-DELETE": "on"}).status_code == 200
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
