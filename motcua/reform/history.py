"""Appending to the reform history: one ``ReformEvent`` per change, written by the services in
the change's transaction."""

import datetime as dt
from typing import Any

from django.db import models

from motcua.accounts.models import Agency, User
from motcua.reform.models import ReformAction, ReformEvent


def subject(record: models.Model) -> str:
    """How an event names its record: ``task:12``, ``inspection:3``."""
    return f"{record._meta.model_name}:{record.pk}"


def record(
    action: ReformAction,
    target: models.Model,
    *,
    actor: User | None,
    at: dt.datetime,
    agency: Agency | None = None,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    reason: str = "",
) -> ReformEvent:
    return ReformEvent.objects.create(
        action=action,
        subject=subject(target),
        agency=agency,
        actor=actor,
        at=at,
        old=old or {},
        new=new or {},
        reason=reason,
    )


def history_of(target: models.Model) -> models.QuerySet[ReformEvent]:
    return ReformEvent.objects.filter(subject=subject(target)).select_related("actor")
