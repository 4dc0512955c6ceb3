"""Who may do what in the PAR self-assessment: the reform office (Role.REFORM_OFFICER) imports
the criteria, designates focal points, appraises and publishes; an agency's focal point
(``FocalPoint``) opens, scores and submits its own agency's self-assessment, and until the
results are published sees no other agency's."""

from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, Role, User
from motcua.accounts.permissions import active_assignments
from motcua.errors import Refused
from motcua.par.models import Assessment, FocalPoint


def is_reform_office(user: User | None) -> bool:
    """A reform officer (the Department of Home Affairs' CCHC staff); ``None`` is the operator
    running a command."""
    if user is None:
        return True
    return active_assignments(user).filter(role=Role.REFORM_OFFICER).exists()


def focal_agency_ids(user: User) -> set[int]:
    """The agencies ``user`` is the PAR focal point of."""
    return set(FocalPoint.objects.filter(user=user).values_list("agency_id", flat=True))


def is_focal_point(user: User | None, agency: Agency) -> bool:
    return user is not None and FocalPoint.objects.filter(user=user, agency=agency).exists()


def require_reform_office(user: User | None) -> None:
    if not is_reform_office(user):
        raise Refused(_("Only the reform office may do this."), code="par_reform_office_only")


def require_focal_point(user: User | None, agency: Agency) -> None:
    if not is_focal_point(user, agency):
        raise Refused(
            _("Only the agency's PAR focal point may do this."), code="par_focal_point_only"
        )


def may_read(user: User, assessment: Assessment) -> bool:
    """The reform office reads every self-assessment; a focal point reads its own agency's."""
    return is_reform_office(user) or is_focal_point(user, assessment.agency)
