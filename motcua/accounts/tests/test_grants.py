"""Role grants (issue 10, item 2): who may grant and revoke what, to whom, where; head of
department and signing leader wait for a second person's confirmation; all of it audited.

erin administers H56.22, dave is its signing leader, grace a system administrator, henry a
citizen, oscar an account with no role yet."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts import grants, permissions, services
from motcua.accounts.errors import GrantRefused
from motcua.accounts.models import (
    GrantRequestStatus,
    OrganisationAction,
    OrganisationEvent,
    Role,
    RoleAssignment,
    RoleGrantRequest,
)
from motcua.testing import TEST_PASSWORD, Cast, make_user


def codes(error: ValidationError) -> set[str | None]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


def refused(call: object, code: str) -> None:
    """``call()`` is refused with ``code`` (a ``GrantRefused`` or a ``ValidationError``)."""
    with pytest.raises((GrantRefused, ValidationError)) as caught:
        call()  # type: ignore[operator]
    error = caught.value
    assert isinstance(error, GrantRefused | ValidationError)
    found = {error.code} if isinstance(error, GrantRefused) else codes(error)
    assert code in found, found


def actions() -> list[str]:
    return list(OrganisationEvent.objects.order_by("pk").values_list("action", flat=True))


# --- who may grant, to whom, where --------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SIGNING_LEADER, Role.DESK_OFFICER, Role.AGENCY_ADMIN])
def test_an_administrator_may_not_grant_himself_any_role(cast: Cast, role: Role) -> None:
    refused(lambda: services.grant_role(cast.erin, role, cast.agency, actor=cast.erin), "own_role")
    assert (
        not RoleAssignment.objects.filter(user=cast.erin, role=role)
        .exclude(role=Role.AGENCY_ADMIN)
        .exists()
    )
    assert not actions()


def test_nor_request_a_confirmed_role_for_himself(cast: Cast) -> None:
    refused(
        lambda: grants.request_role(cast.erin, Role.SIGNING_LEADER, cast.agency, actor=cast.erin),
        "own_role",
    )
    assert not RoleGrantRequest.objects.exists()


def test_a_system_administrator_may_not_grant_himself_a_role_either(cast: Cast) -> None:
    refused(
        lambda: services.grant_role(cast.grace, Role.DESK_OFFICER, cast.agency, actor=cast.grace),
        "own_role",
    )


def test_nobody_revokes_a_role_of_his_own(cast: Cast) -> None:
    own = RoleAssignment.objects.get(user=cast.erin)
    refused(lambda: services.revoke_role(own, actor=cast.erin), "own_role")
    refused(lambda: services.end_agency_access(cast.erin, cast.agency, actor=cast.erin), "own_role")
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    # Another administrator may.
    services.revoke_role(own, actor=cast.grace)
    assert actions() == [OrganisationAction.ROLE_REVOKED]


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.HEAD_OF_DEPARTMENT])
def test_a_citizen_account_is_given_no_officer_role(cast: Cast, role: Role) -> None:
    call = grants.request_role if role in permissions.CONFIRMED_ROLES else services.grant_role
    refused(lambda: call(cast.henry, role, cast.agency, actor=cast.erin), "grantee_not_officer")
    # Not by a system administrator, nor by the system itself.
    refused(
        lambda: services.grant_role(cast.henry, Role.REFORM_OFFICER, actor=cast.grace),
        "grantee_not_officer",
    )
    refused(
        lambda: services.grant_role(cast.henry, Role.DESK_OFFICER, cast.agency, actor=None),
        "grantee_not_officer",
    )
    assert list(RoleAssignment.objects.filter(user=cast.henry).values_list("role", flat=True)) == [
        Role.CITIZEN.value
    ]


def test_a_disabled_account_is_given_no_role(cast: Cast) -> None:
    cast.oscar.is_active = False
    cast.oscar.save(update_fields=["is_active"])
    refused(
        lambda: services.grant_role(cast.oscar, Role.SPECIALIST, cast.agency, actor=cast.erin),
        "grantee_not_officer",
    )


def test_an_administrator_grants_only_in_agencies_he_administers(cast: Cast) -> None:
    refused(
        lambda: services.grant_role(
            cast.oscar, Role.SPECIALIST, cast.other_agency, actor=cast.erin
        ),
        "not_agency_administrator",
    )
    refused(
        lambda: grants.request_role(
            cast.oscar, Role.SIGNING_LEADER, cast.other_agency, actor=cast.erin
        ),
        "not_agency_administrator",
    )
    elsewhere = RoleAssignment.objects.get(user=cast.ivan, agency=cast.other_agency)
    refused(lambda: services.revoke_role(elsewhere, actor=cast.erin), "not_agency_administrator")
    assert not actions()


def test_an_ordinary_role_is_granted_at_once(cast: Cast) -> None:
    services.grant_role(cast.oscar, Role.SPECIALIST, cast.agency, actor=cast.erin)
    assert permissions.has_role(cast.oscar, Role.SPECIALIST, cast.agency)


# --- roles that need a second person ------------------------------------------------------


@pytest.mark.parametrize("role", sorted(permissions.CONFIRMED_ROLES))
def test_a_leading_role_is_not_granted_directly(cast: Cast, role: str) -> None:
    refused(
        lambda: services.grant_role(cast.oscar, role, cast.agency, actor=cast.erin),
        "grant_needs_confirmation",
    )
    refused(
        lambda: services.grant_role(cast.oscar, role, cast.agency, actor=cast.grace),
        "grant_needs_confirmation",
    )
    assert not RoleAssignment.objects.filter(user=cast.oscar).exists()


def test_a_request_takes_effect_only_once_confirmed(cast: Cast) -> None:
    pending = grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    assert pending.status == GrantRequestStatus.PENDING
    assert not permissions.has_role(cast.oscar, Role.SIGNING_LEADER, cast.agency)
    assignment = grants.confirm_role_request(pending, actor=cast.dave, reason="Quyết định 12/QĐ")
    assert permissions.has_role(cast.oscar, Role.SIGNING_LEADER, cast.agency)
    assert assignment.user == cast.oscar
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by, pending.reason) == (
        GrantRequestStatus.CONFIRMED,
        cast.dave,
        "Quyết định 12/QĐ",
    )
    requested, granted = OrganisationEvent.objects.order_by("pk")
    assert (requested.action, requested.actor, requested.subject) == (
        OrganisationAction.ROLE_GRANT_REQUESTED,
        cast.erin,
        cast.oscar,
    )
    assert (granted.action, granted.actor, granted.agency) == (
        OrganisationAction.ROLE_GRANTED,
        cast.dave,
        cast.agency,
    )
    assert granted.data["requested_by"] == "erin" and granted.data["request"] == pending.pk


def test_a_request_is_decided_once(cast: Cast) -> None:
    pending = grants.request_role(cast.oscar, Role.HEAD_OF_DEPARTMENT, cast.agency, actor=cast.erin)
    grants.confirm_role_request(pending, actor=cast.grace)
    refused(lambda: grants.confirm_role_request(pending, actor=cast.dave), "grant_request_decided")
    refused(
        lambda: grants.reject_role_request(pending, actor=cast.dave, reason="late"),
        "grant_request_decided",
    )
    assert actions().count(OrganisationAction.ROLE_GRANTED) == 1


def test_the_requester_may_not_confirm_his_own_request(cast: Cast) -> None:
    pending = grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    refused(lambda: grants.confirm_role_request(pending, actor=cast.erin), "confirm_own_request")
    # A system administrator who asked is in the same position: another one decides.
    other = grants.request_role(cast.bob, Role.HEAD_OF_DEPARTMENT, cast.agency, actor=cast.grace)
    refused(lambda: grants.confirm_role_request(other, actor=cast.grace), "confirm_own_request")
    refused(
        lambda: grants.reject_role_request(other, actor=cast.grace, reason="x"),
        "confirm_own_request",
    )
    # Even an administrator who is also the signing leader.
    services.grant_role(cast.dave, Role.AGENCY_ADMIN, cast.agency, actor=cast.erin)
    third = grants.request_role(cast.alice, Role.HEAD_OF_DEPARTMENT, cast.agency, actor=cast.dave)
    refused(lambda: grants.confirm_role_request(third, actor=cast.dave), "confirm_own_request")
    assert (
        not RoleAssignment.objects.filter(role=Role.HEAD_OF_DEPARTMENT)
        .exclude(user=cast.carol)
        .exists()
    )


def test_the_grantee_may_not_confirm_his_own_promotion(cast: Cast) -> None:
    pending = grants.request_role(cast.dave, Role.HEAD_OF_DEPARTMENT, cast.agency, actor=cast.erin)
    refused(lambda: grants.confirm_role_request(pending, actor=cast.dave), "own_role")


@pytest.mark.parametrize("who", ["alice", "bob", "carol", "frank", "henry", "oscar", "ivan"])
def test_only_a_system_administrator_or_the_agency_s_leader_confirms(cast: Cast, who: str) -> None:
    pending = grants.request_role(
        make_user("zoe"), Role.SIGNING_LEADER, cast.agency, actor=cast.erin
    )
    refused(
        lambda: grants.confirm_role_request(pending, actor=getattr(cast, who)),
        "not_grant_confirmer",
    )
    # Nor a signing leader of another agency, nor another administrator of this one.
    for outsider in (
        make_user("yen", (Role.SIGNING_LEADER, cast.other_agency)),
        make_user("xuan", (Role.AGENCY_ADMIN, cast.agency)),
    ):
        refused(
            lambda o=outsider: grants.confirm_role_request(pending, actor=o),
            "not_grant_confirmer",
        )
    assert grants.requests_to_decide(cast.dave).get() == pending
    assert grants.requests_to_decide(cast.grace).get() == pending
    assert not grants.requests_to_decide(cast.erin).exists()


def test_a_rejection_says_why_and_grants_nothing(cast: Cast) -> None:
    pending = grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    refused(
        lambda: grants.reject_role_request(pending, actor=cast.dave, reason="  "),
        "reason_required",
    )
    grants.reject_role_request(pending, actor=cast.dave, reason="Chưa có quyết định bổ nhiệm")
    pending.refresh_from_db()
    assert pending.status == GrantRequestStatus.REJECTED
    refused(lambda: grants.confirm_role_request(pending, actor=cast.grace), "grant_request_decided")
    assert not RoleAssignment.objects.filter(user=cast.oscar).exists()
    event = OrganisationEvent.objects.get(action=OrganisationAction.ROLE_GRANT_REJECTED)
    assert (event.actor, event.subject, event.data["reason"]) == (
        cast.dave,
        cast.oscar,
        "Chưa có quyết định bổ nhiệm",
    )


def test_one_pending_request_per_role_and_none_for_a_role_held(cast: Cast) -> None:
    grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    refused(
        lambda: grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.grace),
        "grant_already_requested",
    )
    refused(
        lambda: grants.request_role(
            cast.carol, Role.HEAD_OF_DEPARTMENT, cast.agency, actor=cast.erin
        ),
        "role_already_held",
    )
    refused(
        lambda: grants.request_role(cast.oscar, Role.SPECIALIST, cast.agency, actor=cast.erin),
        "grant_needs_no_confirmation",
    )


def test_confirming_checks_the_account_again(cast: Cast) -> None:
    """The account became a citizen's after the request: the role is not granted."""
    pending = grants.request_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=cast.erin)
    services.grant_role(cast.oscar, Role.CITIZEN, actor=None)
    refused(lambda: grants.confirm_role_request(pending, actor=cast.dave), "grantee_not_officer")
    pending.refresh_from_db()
    assert pending.status == GrantRequestStatus.PENDING


def test_a_new_officer_with_a_leading_role_waits_for_confirmation(cast: Cast) -> None:
    officer = services.create_officer(
        agency=cast.agency,
        role=Role.SIGNING_LEADER,
        username="linh",
        full_name="Lê Thị Linh",
        email="linh@example.vn",
        password=TEST_PASSWORD,
        actor=cast.erin,
    )
    assert not RoleAssignment.objects.filter(user=officer).exists()
    pending = RoleGrantRequest.objects.get(user=officer)
    event = OrganisationEvent.objects.get(action=OrganisationAction.ROLE_GRANT_REQUESTED)
    assert event.data["account_created"] is True and event.data["request"] == pending.pk
    grants.confirm_role_request(pending, actor=cast.dave)
    assert permissions.has_role(officer, Role.SIGNING_LEADER, cast.agency)


def test_the_system_itself_grants_a_leading_role_at_once(cast: Cast) -> None:
    """``actor=None``: demo data and the operator's commands."""
    services.grant_role(cast.oscar, Role.SIGNING_LEADER, cast.agency, actor=None)
    assert permissions.has_role(cast.oscar, Role.SIGNING_LEADER, cast.agency)


def test_permission_denied_is_what_the_screens_catch(cast: Cast) -> None:
    """Refusals about who acts are ``PermissionDenied`` (403 on the screens)."""
    with pytest.raises(PermissionDenied):
        services.grant_role(cast.erin, Role.SPECIALIST, cast.agency, actor=cast.erin)
