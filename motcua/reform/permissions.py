"""Who may do what in the reform records.

The reform office (Sở Nội vụ) is a reform officer held without an agency: it edits the
province's plans, sets targets, plans inspections, appraises and reads everything. An agency's
focal point for reform (cán bộ đầu mối CCHC) is a reform officer held in that agency: it edits
its own agency's plan and reports the progress and results of its own agency, and reads only
its own agency's records."""

from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, Role, User
from motcua.accounts.permissions import active_assignments, agency_ids_with_role, remembered_roles
from motcua.errors import Refused
from motcua.reform.models import Plan, Task


def is_reform_office(user: User) -> bool:
    """A reform officer held province-wide (without an agency)."""
    pairs = remembered_roles(user)
    if pairs is not None:
        return (Role.REFORM_OFFICER, None) in pairs
    return active_assignments(user).filter(role=Role.REFORM_OFFICER, agency__isnull=True).exists()


def focal_agency_ids(user: User) -> set[int]:
    """The agencies in which ``user`` is the reform focal point."""
    return agency_ids_with_role(user, [Role.REFORM_OFFICER])


def may_use(user: User) -> bool:
    """Whether the reform screens open for ``user`` at all."""
    return is_reform_office(user) or bool(focal_agency_ids(user))


def visible_agency_ids(user: User) -> set[int] | None:
    """The agencies whose records ``user`` reads: ``None`` for all (the reform office)."""
    if is_reform_office(user):
        return None
    return focal_agency_ids(user)


def may_read_agency(user: User, agency: Agency | None) -> bool:
    """The province's records (``agency`` None) are read by everyone who uses the screens,
    since agencies carry out its tasks; an agency's by the office and its focal point."""
    if is_reform_office(user):
        return True
    return (agency is None and may_use(user)) or (
        agency is not None and agency.pk in focal_agency_ids(user)
    )


def ensure_office(user: User) -> None:
    if not is_reform_office(user):
        raise Refused(_("Only the reform office may do this."), code="not_reform_office")


def ensure_agency(user: User, agency: Agency) -> None:
    """The reform office, or the focal point of ``agency``."""
    if not (is_reform_office(user) or agency.pk in focal_agency_ids(user)):
        raise Refused(
            _("Only the agency's reform focal point may do this."), code="not_agency_focal_point"
        )


def ensure_plan_editor(user: User, plan_agency: Agency | None) -> None:
    """The province's plan is the office's; an agency's plan is its focal point's too."""
    if plan_agency is None:
        ensure_office(user)
    else:
        ensure_agency(user, plan_agency)


def may_report(user: User, task: Task) -> bool:
    """Progress is reported by the office or by the focal point of the lead agency."""
    return is_reform_office(user) or task.lead_agency_id in focal_agency_ids(user)


def may_edit_plan(user: User, plan: Plan) -> bool:
    if plan.agency is None:
        return is_reform_office(user)
    return is_reform_office(user) or plan.agency_id in focal_agency_ids(user)
