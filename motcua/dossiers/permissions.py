"""What a user may do with a dossier: the (role, scope) grants the workflow table checks, built
from the shared role helpers in ``motcua.accounts.permissions``."""

from collections.abc import Iterable

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role
from motcua.accounts.permissions import AnyUser
from motcua.dossiers.models import Dossier
from motcua.dossiers.steps import approval_refusal
from motcua.dossiers.workflow import Action, Grant, Scope, allowed_actions


def _roles_by_agency(user: AnyUser, agency_ids: Iterable[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for agency_id, role in (
        permissions.active_assignments(user)
        .filter(agency_id__in=list(agency_ids))
        .values_list("agency_id", "role")
    ):
        found.setdefault(agency_id, set()).add(role)
    return found


def grants_for(user: AnyUser, dossier: Dossier) -> set[Grant]:
    """The (role, scope) pairs ``user`` holds on ``dossier``."""
    if not user.is_authenticated:
        return set()
    step = dossier.current_step
    agency_ids = {dossier.receiving_agency_id, dossier.current_agency_id}
    if step is not None:
        agency_ids.add(step.agency_id)
    roles = _roles_by_agency(user, agency_ids)
    grants: set[Grant] = set()
    grants |= {(r, Scope.RECEIVING) for r in roles.get(dossier.receiving_agency_id, set())}
    grants |= {(r, Scope.CURRENT) for r in roles.get(dossier.current_agency_id, set())}
    if step is not None and step.role in roles.get(step.agency_id, set()):
        grants.add((step.role, Scope.STEP))
    if dossier.owner_id is not None and dossier.owner_id == user.pk:
        grants.add((Role.CITIZEN, Scope.OWNER))
    return grants


def intake_grants(user: AnyUser, agency: Agency) -> set[Grant]:
    """Grants for creating a dossier at ``agency``: desk officers there receive or refuse;
    any citizen may submit online."""
    grants: set[Grant] = {(r, Scope.RECEIVING) for r in permissions.roles_in(user, agency)}
    if permissions.is_citizen(user):
        grants.add((Role.CITIZEN, Scope.ANYONE))
    return grants


def actions_for(user: AnyUser, dossier: Dossier) -> list[Action]:
    """The actions ``user`` may take on ``dossier`` now (shown as buttons, listed by the API).
    Beyond the table, the engine's position rule: at the last processing step the holder
    approves (no step is left to forward to); before it, nobody approves."""
    allowed = allowed_actions(dossier.status, grants_for(user, dossier))
    if Action.APPROVE in allowed:
        at_last = approval_refusal(dossier) is None
        hidden = Action.FORWARD if at_last else Action.APPROVE
        allowed = [a for a in allowed if a != hidden]
    return allowed
