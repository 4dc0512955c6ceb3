"""Reads of dossiers with access checks. No view calls ``Dossier.objects.get`` itself.

Officers see the dossiers of the agencies where they hold a role (received there, held there,
led there, or passed through a step there); reform officers and system administrators see those
whose statistics they may read; citizens see their own."""

from django.db.models import Q, QuerySet
from django.http import Http404

from motcua.accounts import permissions
from motcua.accounts.models import Role
from motcua.accounts.permissions import AnyUser
from motcua.dossiers.models import Dossier


def visible_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """The dossiers ``user`` may read."""
    dossiers = Dossier.objects.all()
    if not user.is_authenticated:
        return dossiers.none()
    report_ids = permissions.report_agency_ids(user)
    if report_ids is None:
        return dossiers
    officer_roles = {*permissions.OFFICER_ROLES, Role.AGENCY_ADMIN, Role.REFORM_OFFICER}
    agency_ids = permissions.agency_ids_with_role(user, officer_roles) | report_ids
    condition = Q(owner_id=user.pk)
    if agency_ids:
        ids = sorted(agency_ids)
        condition |= (
            Q(receiving_agency_id__in=ids)
            | Q(current_agency_id__in=ids)
            | Q(lead_agency_id__in=ids)
            | Q(pk__in=Dossier.objects.filter(steps__agency_id__in=ids).values("pk"))
        )
    return dossiers.filter(condition)


def dossier_for(user: AnyUser, code: str) -> Dossier:
    """The dossier with ``code`` if ``user`` may read it; otherwise 404, so that a guessed code
    reveals nothing."""
    dossier = (
        visible_dossiers(user)
        .select_related(
            "version__procedure",
            "case",
            "receiving_agency__calendar",
            "lead_agency",
            "current_agency__calendar",
            "current_step__agency__calendar",
            "owner",
            "assignee",
        )
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404(code)
    return dossier
