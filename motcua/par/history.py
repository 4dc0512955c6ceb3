"""Appending the PAR self-assessment's events (``ParEvent``): every service writes through
``record`` in its own transaction."""

import datetime as dt
from typing import Any

from motcua.accounts.models import User
from motcua.par.models import Assessment, CriteriaSet, ParEvent
from motcua.par.workflow import Action


def record(
    action: Action,
    *,
    actor: User | None,
    now: dt.datetime,
    criteria_set: CriteriaSet | None = None,
    assessment: Assessment | None = None,
    old_status: str = "",
    new_status: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> ParEvent:
    if assessment is not None and criteria_set is None:
        criteria_set = assessment.criteria_set
    return ParEvent.objects.create(
        criteria_set=criteria_set,
        assessment=assessment,
        action=action,
        old_status=old_status,
        new_status=new_status,
        actor=actor,
        at=now,
        reason=reason,
        data=data or {},
    )
