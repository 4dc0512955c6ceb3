"""Who may do what: every permission question in MộtCửa is answered here.

Roles are held per agency (``RoleAssignment``); a role is active on a day when the day lies in the
assignment's validity. Views, services and the API call these helpers; none of them look at
``RoleAssignment`` themselves.
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts.models import Agency, Role, RoleAssignment, User

AnyUser = User | AnonymousUser

# Roles that work on dossiers inside an agency (issue 3's workflow table refines each action).
OFFICER_ROLES = frozenset(
    {Role.DESK_OFFICER, Role.SPECIALIST, Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER}
)


# Roles that take effect only once a second person confirms the grant: the head of department
# approves and the signing leader signs the results, so one administrator alone cannot give
# anyone (least of all himself) those powers (issue 10, item 2).
CONFIRMED_ROLES = frozenset({Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER})


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def active_assignments(user: AnyUser, on: dt.date | None = None) -> QuerySet[RoleAssignment]:
    """The user's role assignments in force on ``on`` (today by default)."""
    if not user.is_authenticated or not user.is_active:
        return RoleAssignment.objects.none()
    day = _today(on)
    return RoleAssignment.objects.filter(
        Q(user_id=user.pk),
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )


# The top bar asks a dozen role questions of the same user while a page renders; it reads the
# user's roles in force today once (``remember_roles``) and the helpers below answer from that
# read for the rest of the request. The memo lives on the request's own user object, so a later
# request (or a test's next call) reads the roles again.
_ROLES_MEMO = "_motcua_roles_today"


def remember_roles(user: AnyUser) -> None:
    """Read ``user``'s (role, agency id) pairs in force today once for this request."""
    if user.is_authenticated and user.is_active and not hasattr(user, _ROLES_MEMO):
        pairs = frozenset(active_assignments(user).values_list("role", "agency_id"))
        setattr(user, _ROLES_MEMO, pairs)


def remembered_roles(user: AnyUser) -> frozenset[tuple[str, int | None]] | None:
    """The pairs ``remember_roles`` read, or ``None`` when it was not asked in this request."""
    pairs: frozenset[tuple[str, int | None]] | None = getattr(user, _ROLES_MEMO, None)
    return pairs


def is_system_admin(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    pairs = remembered_roles(user)
    if pairs is not None:
        return any(role == Role.SYSTEM_ADMIN for role, _agency in pairs)
    return active_assignments(user).filter(role=Role.SYSTEM_ADMIN).exists()


def has_role(user: AnyUser, role: str, agency: Agency | None = None) -> bool:
    """Whether the user holds ``role`` (in ``agency`` when given, in any agency otherwise)."""
    pairs = remembered_roles(user)
    if pairs is not None:
        return any(r == role and (agency is None or a == agency.pk) for r, a in pairs)
    assignments = active_assignments(user).filter(role=role)
    if agency is not None:
        assignments = assignments.filter(agency=agency)
    return assignments.exists()


def roles_in(user: AnyUser, agency: Agency) -> set[str]:
    """The roles the user holds in ``agency``."""
    return set(active_assignments(user).filter(agency=agency).values_list("role", flat=True))


def agency_ids_with_role(user: AnyUser, roles: Iterable[str]) -> set[int]:
    """Ids of the agencies in which the user holds any of ``roles``."""
    pairs = remembered_roles(user)
    if pairs is not None:
        wanted = set(roles)
        return {a for r, a in pairs if r in wanted and a is not None}
    return set(
        active_assignments(user)
        .filter(role__in=list(roles), agency__isnull=False)
        .values_list("agency_id", flat=True)
    )


def _with_descendants(agency_ids: set[int]) -> set[int]:
    """The agencies and every agency below them (a department's branches, a province's units)."""
    found = set(agency_ids)
    frontier = set(agency_ids)
    while frontier:
        frontier = (
            set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def is_citizen(user: AnyUser) -> bool:
    return has_role(user, Role.CITIZEN)


def is_officer_of(user: AnyUser, agency: Agency) -> bool:
    """Whether the user works on dossiers in ``agency``."""
    return bool(roles_in(user, agency) & OFFICER_ROLES)


def is_officer_account(user: User) -> bool:
    """Whether ``user`` is an official's account that may be given roles: active and never a
    citizen's (a citizen's account is the citizen's own, not a post in an agency)."""
    return user.is_active and not user.role_assignments.filter(role=Role.CITIZEN).exists()


def grant_confirmer_agency_ids(user: AnyUser) -> set[int] | None:
    """Agencies whose pending role grants the user may confirm or reject: every agency for a
    system administrator (``None``), otherwise those where the user is the signing leader."""
    if is_system_admin(user):
        return None
    return agency_ids_with_role(user, [Role.SIGNING_LEADER])


def can_confirm_grants(user: AnyUser, agency: Agency) -> bool:
    """Whether the user may confirm or reject a role grant at ``agency`` (never their own
    request or their own promotion: ``accounts.services`` checks that)."""
    allowed = grant_confirmer_agency_ids(user)
    return allowed is None or agency.pk in allowed


def officer_agency_ids(user: AnyUser) -> set[int]:
    """Agencies whose dossiers the user works on, documents included: those where they hold an
    officer role, and for heads of department and signing leaders the agencies below theirs."""
    own = agency_ids_with_role(user, OFFICER_ROLES)
    leading = agency_ids_with_role(user, [Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER])
    return own | _with_descendants(leading)


def administered_agency_ids(user: AnyUser) -> set[int]:
    """Agencies the user may administer: their own as agency administrator, and those below."""
    return _with_descendants(agency_ids_with_role(user, [Role.AGENCY_ADMIN]))


def can_administer_agency(user: AnyUser, agency: Agency) -> bool:
    """System administrators administer every agency; an agency administrator administers
    their agency and the agencies below it (users, roles, internal processes, calendars)."""
    return is_system_admin(user) or agency.pk in administered_agency_ids(user)


def can_manage_catalogue(user: AnyUser) -> bool:
    """Publishing, amending and abolishing procedures follows a provincial decision and is
    entered by the system administrators (the provincial Office's TTHC control unit)."""
    return is_system_admin(user)


def can_manage_calendar(user: AnyUser, calendar_id: int, parent_id: int | None) -> bool:
    """System administrators manage every calendar. An agency administrator may change a
    calendar below the national one only when every agency using it is one they administer,
    so a change never moves other agencies' deadlines behind their back."""
    if is_system_admin(user):
        return True
    if parent_id is None:
        return False
    administered = administered_agency_ids(user)
    if not administered:
        return False
    users_of_calendar = set(
        Agency.objects.filter(calendar_id=calendar_id).values_list("pk", flat=True)
    )
    return bool(users_of_calendar) and users_of_calendar <= administered


def report_agency_ids(user: AnyUser) -> set[int] | None:
    """Agencies whose statistics the user may read; ``None`` means all agencies.

    Reform officers without an agency and system administrators read everything; a reform
    officer attached to an agency, heads of department and signing leaders read their agency
    and the agencies below it."""
    if is_system_admin(user):
        return None
    assignments = active_assignments(user)
    if assignments.filter(role=Role.REFORM_OFFICER, agency__isnull=True).exists():
        return None
    own = agency_ids_with_role(
        user, [Role.REFORM_OFFICER, Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER]
    )
    return _with_descendants(own)


def can_read_reports(user: AnyUser, agency: Agency | None = None) -> bool:
    """Whether the user may read reports (for ``agency``, or at all when not given)."""
    allowed = report_agency_ids(user)
    if allowed is None:
        return user.is_authenticated
    if agency is None:
        return bool(allowed)
    return agency.pk in allowed


def holders_of(role: str, agency: Agency, on: dt.date | None = None) -> QuerySet[User]:
    """Active users holding ``role`` in ``agency`` on ``on`` (today by default): who may be
    handed a dossier's step of that role there."""
    day = _today(on)
    held = RoleAssignment.objects.filter(
        Q(role=role, agency=agency),
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )
    return User.objects.filter(is_active=True, pk__in=held.values("user_id")).order_by(
        "full_name", "username"
    )


# The agency's leaders answer for its money: the settlement comparison's mismatches and the
# refunds of online payments are theirs (there is no separate finance role in the one-stop
# model; the signing leader is the agency's head, the head of department its deputy for it).
PAYMENT_ROLES = frozenset({Role.SIGNING_LEADER, Role.HEAD_OF_DEPARTMENT})


def payment_agency_ids(user: AnyUser) -> set[int] | None:
    """Agencies whose online payments the user oversees (settlement mismatches, refunds);
    ``None`` means all of them (a system administrator reads every mismatch, those the gateway
    alone knows included, but refunds nothing: ``can_refund``)."""
    if is_system_admin(user):
        return None
    return _with_descendants(agency_ids_with_role(user, PAYMENT_ROLES))


def can_oversee_payments(user: AnyUser) -> bool:
    """Whether the user may read the settlement runs (for some agency at least)."""
    allowed = payment_agency_ids(user)
    return user.is_authenticated if allowed is None else bool(allowed)


def refund_agency_ids(user: AnyUser) -> set[int]:
    """Agencies whose dossiers' online payments the user may refund: where they are signing
    leader or head of department, and the agencies below. Giving money back is the agency's
    decision, so a system administrator has none."""
    return _with_descendants(agency_ids_with_role(user, PAYMENT_ROLES))


def can_refund(user: AnyUser, agency: Agency) -> bool:
    """Whether the user may refund an online payment of a dossier received by ``agency``."""
    return agency.pk in refund_agency_ids(user)
