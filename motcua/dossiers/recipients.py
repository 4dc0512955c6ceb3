"""To whom and where an action may hand a dossier: the officers who may take the next step
(``forward``) and the agencies a step may be transferred to (``transfer``). The services check
every choice against these lists, the workspace offers them as pickers and the API lists them
(``GET /api/v1/dossiers/<code>/actions/<action>/candidates/``), so nobody types a username or
an agency code and no transport can hand a dossier to someone else."""

import datetime as dt

from django.utils import timezone

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role, User
from motcua.catalogue.models import AssignmentRole, ProcedureAssignment
from motcua.dossiers.models import Dossier
from motcua.dossiers.transitions import next_step
from motcua.dossiers.workflow import Status


def forward_recipients(dossier: Dossier, on: dt.date | None = None) -> list[User]:
    """The officers the dossier may be forwarded to: those holding the next step's role at the
    agency handling that step. A step handing a consulted agency's work back (``transfer``)
    goes to the officer who asked, while they still hold that role there."""
    nxt = next_step(dossier, dossier.current_step)
    if nxt is None or (nxt.role == Role.DESK_OFFICER and dossier.status == Status.PROCESSING):
        return []
    holders = list(permissions.holders_of(nxt.role, nxt.agency, on))
    if nxt.assignee_id is not None:
        asker = [u for u in holders if u.pk == nxt.assignee_id]
        if asker:
            return asker
    return holders


def transfer_agencies(dossier: Dossier, on: dt.date | None = None) -> list[Agency]:
    """The agencies the current step may be transferred to (liên thông): those the catalogue
    assigns to coordinate the procedure and the dossier's lead agency, open on ``on``, other
    than the agency holding the step. Agencies that receive or decide the same procedure for
    other places (another ward's committee) take no part in this dossier."""
    day = on or timezone.localdate()
    coordinating = ProcedureAssignment.objects.filter(
        procedure_id=dossier.version.procedure_id, role=AssignmentRole.COORDINATING
    ).values("agency_id")
    step = dossier.current_step
    here = step.agency_id if step is not None else dossier.current_agency_id
    agencies = Agency.objects.filter(pk__in=coordinating) | Agency.objects.filter(
        pk=dossier.lead_agency_id
    )
    return [a for a in agencies.exclude(pk=here).order_by("code") if a.is_valid_on(day)]


def choices_for(action: str, dossier: Dossier) -> list[tuple[str, str]]:
    """(value, label) pairs an action's picker offers: usernames for ``forward``'s ``to``,
    agency codes for ``transfer``'s ``to_agency``; empty for other actions."""
    if action == "forward":
        return [(u.username, f"{u} ({u.username})") for u in forward_recipients(dossier)]
    if action == "transfer":
        return [(a.code, str(a)) for a in transfer_agencies(dossier)]
    return []


# The actions whose input picks a recipient, and the field of their payload it fills.
PICKED_FIELDS = {"forward": "to", "transfer": "to_agency"}
