"""Who may take which feedback action: the workflow table's roles, held province-wide (the
reform officer) or in the agency that holds the feedback now."""

from motcua.accounts.models import Role, User
from motcua.accounts.permissions import active_assignments
from motcua.feedback.models import Feedback
from motcua.feedback.workflow import HOLDER_TRANSFER_ROLES, RULES, Action


def is_reform_officer(user: User) -> bool:
    """A reform officer routes feedback across the province (with or without an agency)."""
    return active_assignments(user).filter(role=Role.REFORM_OFFICER).exists()


def may_take(user: User, action: Action, feedback: Feedback) -> bool:
    """Whether ``user``'s roles allow ``action`` on ``feedback`` (the status is checked apart)."""
    rule = RULES[action]
    if Role.REFORM_OFFICER in rule.roles and is_reform_officer(user):
        return True
    if feedback.agency_id is None:
        return False
    roles = set(rule.roles) - {Role.REFORM_OFFICER}
    if action == Action.TRANSFER:
        roles |= HOLDER_TRANSFER_ROLES
    held = active_assignments(user).filter(agency_id=feedback.agency_id, role__in=sorted(roles))
    return held.exists()


def may_read(user: User, feedback: Feedback) -> bool:
    """Officers of the holding agency and reform officers read a feedback in the workspace."""
    if is_reform_officer(user):
        return True
    return (
        feedback.agency_id is not None
        and active_assignments(user).filter(agency_id=feedback.agency_id).exists()
    )
