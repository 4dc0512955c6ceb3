"""Role grants: the checks every grant and revocation passes, and grants that wait for a
second person's confirmation.

Rules (issue 10, item 2): nobody grants or removes a role of their own; roles held in an agency
go to officials' accounts only, never to a citizen's; an agency administrator grants only in
the agencies they administer; head of department and signing leader (``CONFIRMED_ROLES``) are
requested and take effect once a system administrator or the agency's signing leader, neither
the requester nor the grantee, confirms. ``actor=None`` is the system itself (demo data,
commands run by the operator) and needs no confirmation. Every step appends an
``OrganisationEvent``; ``accounts.services`` grants and revokes through these checks."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.errors import GrantRefused
from motcua.accounts.models import (
    AGENCY_ROLES,
    GLOBAL_ROLES,
    Agency,
    GrantRequestStatus,
    OrganisationAction,
    OrganisationEvent,
    Role,
    RoleAssignment,
    RoleGrantRequest,
    User,
)
from motcua.accounts.permissions import CONFIRMED_ROLES, AnyUser

# A rejection says why in a sentence or two; the audit trail keeps it.
MAX_REASON = 1000


def check_role_target(role: str, agency: Agency | None) -> None:
    if role in AGENCY_ROLES and agency is None:
        raise ValidationError(
            _("This role is held in an agency: choose the agency."), code="role_needs_agency"
        )
    if role in GLOBAL_ROLES and agency is not None:
        raise ValidationError(_("This role is not held in an agency."), code="role_without_agency")


def check_may_grant(actor: User | None, role: str, agency: Agency | None) -> None:
    """The actor may grant or revoke ``role`` at ``agency``: a system administrator anywhere,
    an agency administrator only agency roles in the agencies they administer."""
    if actor is None or permissions.is_system_admin(actor):
        return
    if role in {Role.SYSTEM_ADMIN, Role.REFORM_OFFICER} or agency is None:
        raise GrantRefused(
            _("Only a system administrator may grant this role."), code="system_admin_only"
        )
    if not permissions.can_administer_agency(actor, agency):
        raise GrantRefused(_("You do not administer this agency."), code="not_agency_administrator")


def check_not_own(actor: User | None, user: User) -> None:
    """Nobody grants or removes a role of their own, system administrators included: a
    second administrator does it, so each change of powers has two people behind it."""
    if actor is not None and actor.pk == user.pk:
        raise GrantRefused(
            _("You may not grant or remove a role of your own: ask another administrator."),
            code="own_role",
        )


def check_grantee(user: User, role: str) -> None:
    """Roles other than citizen go to officials' accounts: active and not a citizen's."""
    if role == Role.CITIZEN:
        return
    if not permissions.is_officer_account(user):
        raise ValidationError(
            _(
                "Roles are granted to officials' accounts only, not to a citizen's account "
                "or a disabled one."
            ),
            code="grantee_not_officer",
        )


def check_grant(user: User, role: str, agency: Agency | None, *, actor: User | None) -> None:
    """Every check a grant or a grant request passes, without writing anything (the Django
    admin validates its form with it before saving through the services)."""
    check_role_target(role, agency)
    check_may_grant(actor, role, agency)
    check_not_own(actor, user)
    check_grantee(user, role)


def check_revoke(assignment: RoleAssignment, *, actor: User | None) -> None:
    check_may_grant(actor, assignment.role, assignment.agency)
    check_not_own(actor, assignment.user)


def needs_confirmation(role: str, actor: User | None) -> bool:
    """Whether a grant of ``role`` by ``actor`` waits for a second person's confirmation."""
    return actor is not None and role in CONFIRMED_ROLES


def open_request(
    user: User,
    role: str,
    agency: Agency,
    *,
    actor: User,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    now: dt.datetime | None = None,
    data: dict[str, object] | None = None,
) -> RoleGrantRequest:
    """Record a pending grant and its event; the caller has checked the grant and holds a
    transaction (``request_role``, ``services.create_officer``)."""
    if RoleAssignment.objects.filter(user=user, role=role, agency=agency).exists():
        raise ValidationError(
            {
                "role": ValidationError(
                    _("This user already holds this role here."), code="role_already_held"
                )
            }
        )
    if RoleGrantRequest.objects.filter(
        user=user, role=role, agency=agency, status=GrantRequestStatus.PENDING
    ).exists():
        raise ValidationError(
            {
                "role": ValidationError(
                    _("This role was already requested for this user and awaits confirmation."),
                    code="grant_already_requested",
                )
            }
        )
    at = now or timezone.now()
    grant_request = RoleGrantRequest.objects.create(
        user=user,
        role=role,
        agency=agency,
        valid_from=valid_from,
        valid_to=valid_to,
        requested_by=actor,
        requested_at=at,
    )
    OrganisationEvent.objects.create(
        action=OrganisationAction.ROLE_GRANT_REQUESTED,
        agency=agency,
        subject=user,
        actor=actor,
        at=at,
        data={"role": role, "request": grant_request.pk, **(data or {})},
    )
    return grant_request


@transaction.atomic
def request_role(
    user: User,
    role: str,
    agency: Agency,
    *,
    actor: User,
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    now: dt.datetime | None = None,
) -> RoleGrantRequest:
    """Ask that ``user`` be made head of department or signing leader at ``agency``; nothing
    changes until ``confirm_role_request``."""
    if role not in CONFIRMED_ROLES:
        raise ValidationError(
            {
                "role": ValidationError(
                    _("This role is granted directly, without confirmation."),
                    code="grant_needs_no_confirmation",
                )
            }
        )
    check_grant(user, role, agency, actor=actor)
    # One request at a time per user: a double click waits here and then finds the first.
    User.objects.select_for_update().filter(pk=user.pk).first()
    return open_request(
        user, role, agency, actor=actor, valid_from=valid_from, valid_to=valid_to, now=now
    )


def _locked(grant_request: RoleGrantRequest) -> RoleGrantRequest:
    return (
        RoleGrantRequest.objects.select_for_update(of=("self",))
        .select_related("user", "agency", "requested_by")
        .get(pk=grant_request.pk)
    )


def _check_may_decide(grant_request: RoleGrantRequest, actor: User) -> None:
    if grant_request.status != GrantRequestStatus.PENDING:
        raise ValidationError(
            _("This request was already %(status)s.")
            % {"status": grant_request.get_status_display()},
            code="grant_request_decided",
        )
    if grant_request.requested_by_id == actor.pk:
        raise GrantRefused(
            _("You requested this role: another person confirms or rejects it."),
            code="confirm_own_request",
        )
    if grant_request.user_id == actor.pk:
        raise GrantRefused(
            _("This role would be yours: another person confirms or rejects it."),
            code="own_role",
        )
    if not permissions.can_confirm_grants(actor, grant_request.agency):
        raise GrantRefused(
            _("Only a system administrator or the agency's signing leader confirms this role."),
            code="not_grant_confirmer",
        )


def _decide(
    grant_request: RoleGrantRequest, status: str, *, actor: User, at: dt.datetime, reason: str
) -> None:
    grant_request.status = status
    grant_request.decided_by = actor
    grant_request.decided_at = at
    grant_request.reason = reason
    grant_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def _requester(grant_request: RoleGrantRequest) -> str | None:
    return grant_request.requested_by.username if grant_request.requested_by else None


@transaction.atomic
def confirm_role_request(
    grant_request: RoleGrantRequest,
    *,
    actor: User,
    reason: str = "",
    now: dt.datetime | None = None,
) -> RoleAssignment:
    """Confirm a pending grant: the role takes effect now, granted in the confirmer's name
    (the ``role_granted`` event names the requester and the request)."""
    locked = _locked(grant_request)
    _check_may_decide(locked, actor)
    # The account may have changed since the request (a citizen's role added, disabled).
    check_role_target(locked.role, locked.agency)
    check_grantee(locked.user, locked.role)
    at = now or timezone.now()
    assignment, created = RoleAssignment.objects.get_or_create(
        user=locked.user,
        role=locked.role,
        agency=locked.agency,
        defaults={"valid_from": locked.valid_from, "valid_to": locked.valid_to},
    )
    _decide(locked, GrantRequestStatus.CONFIRMED, actor=actor, at=at, reason=reason.strip())
    if created:
        OrganisationEvent.objects.create(
            action=OrganisationAction.ROLE_GRANTED,
            agency=locked.agency,
            subject=locked.user,
            actor=actor,
            at=at,
            data={
                "role": locked.role,
                "request": locked.pk,
                "requested_by": _requester(locked),
                "reason": reason.strip(),
            },
        )
    return assignment


@transaction.atomic
def reject_role_request(
    grant_request: RoleGrantRequest,
    *,
    actor: User,
    reason: str,
    now: dt.datetime | None = None,
) -> RoleGrantRequest:
    """Reject a pending grant, saying why; the role is never granted by this request."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Say why the role is rejected."), code="reason_required")}
        )
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Keep the reason under %(n)d characters.") % {"n": MAX_REASON},
                    code="reason_too_long",
                )
            }
        )
    locked = _locked(grant_request)
    _check_may_decide(locked, actor)
    at = now or timezone.now()
    _decide(locked, GrantRequestStatus.REJECTED, actor=actor, at=at, reason=reason)
    OrganisationEvent.objects.create(
        action=OrganisationAction.ROLE_GRANT_REJECTED,
        agency=locked.agency,
        subject=locked.user,
        actor=actor,
        at=at,
        data={
            "role": locked.role,
            "request": locked.pk,
            "requested_by": _requester(locked),
            "reason": reason,
        },
    )
    return locked


# --- reads ---------------------------------------------------------------------------------


def pending_requests(agency_ids: set[int] | None = None) -> QuerySet[RoleGrantRequest]:
    """Pending grants (of the agencies ``agency_ids``; all when ``None``), oldest first."""
    pending = RoleGrantRequest.objects.filter(status=GrantRequestStatus.PENDING)
    if agency_ids is not None:
        pending = pending.filter(agency_id__in=sorted(agency_ids))
    return pending.select_related("user", "agency", "requested_by").order_by("requested_at", "pk")


def requests_to_decide(user: AnyUser) -> QuerySet[RoleGrantRequest]:
    """Pending grants ``user`` may confirm or reject: at the agencies they confirm for, not
    requested by them, not for themselves."""
    if not user.is_authenticated:
        return RoleGrantRequest.objects.none()
    return (
        pending_requests(permissions.grant_confirmer_agency_ids(user))
        .exclude(requested_by_id=user.pk)
        .exclude(user_id=user.pk)
    )
