"""The officer's work queues: which dossiers wait for them at one agency, with counts.

Each queue is one query over ``visible_dossiers`` (so access rules stay in one place), sorted by
due instant; a page shows the counts of all queues and the rows of one, so the number of queries
does not grow with the number of dossiers."""

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role
from motcua.accounts.permissions import AnyUser
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.dossiers.queries import visible_dossiers
from motcua.dossiers.workflow import OPEN_STATUSES, PAUSING, Status
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for

# A working day is 8 hours (Labour Code 2019 art. 105; the civil service's 8-hour day): the
# unit in which overdue working time is told to the officer.
WORKING_DAY = dt.timedelta(hours=8)
ROW_LIMIT = 100


@dataclass(frozen=True)
class Queue:
    key: str
    label: StrOrPromise


QUEUES = (
    Queue("to_receive", _("To receive")),
    Queue("my_steps", _("My steps")),
    Queue("due_soon", _("Due within 1 working day")),
    Queue("overdue", _("Overdue")),
    Queue("paused", _("Paused")),
    Queue("transferred", _("Transferred to us")),
    Queue("ready_to_return", _("Ready to return")),
)
QUEUE_KEYS = frozenset(q.key for q in QUEUES)


def officer_agencies(user: AnyUser) -> list[Agency]:
    """The agencies where ``user`` works on dossiers, by code."""
    ids = permissions.agency_ids_with_role(user, permissions.OFFICER_ROLES)
    return list(Agency.objects.filter(pk__in=sorted(ids)).select_related("calendar"))


def _open_ordered(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.select_related(
        "version__procedure", "case", "current_agency", "current_step"
    ).order_by(F("due_at").asc(nulls_last=True), "pk")


def queue(
    user: AnyUser, agency: Agency, key: str, now: dt.datetime | None = None
) -> QuerySet[Dossier]:
    """The dossiers of queue ``key`` for ``user`` at ``agency``, sorted by due instant."""
    now = now or timezone.now()
    roles = permissions.roles_in(user, agency)
    base = visible_dossiers(user)
    here_open = Q(current_agency=agency, status__in=sorted(OPEN_STATUSES))
    desk = Role.DESK_OFFICER in roles
    if key == "to_receive":
        chosen = base.filter(status=Status.NEW, receiving_agency=agency) if desk else base.none()
    elif key == "my_steps":
        chosen = base.filter(
            status__in=sorted(OPEN_STATUSES),
            current_step__status=StepStatus.ACTIVE,
            current_step__agency=agency,
            current_step__role__in=sorted(roles),
        )
    elif key == "due_soon":
        spec = spec_for(agency.calendar)
        horizon = clock.add_working_time(now, WORKING_DAY, spec)
        chosen = base.filter(here_open, due_at__gte=now, due_at__lte=horizon)
    elif key == "overdue":
        chosen = base.filter(here_open, due_at__lt=now)
    elif key == "paused":
        chosen = base.filter(
            Q(current_agency=agency) | Q(receiving_agency=agency), status__in=sorted(PAUSING)
        )
    elif key == "transferred":
        previous = (
            DossierStep.objects.filter(
                dossier=OuterRef("pk"), position__lt=OuterRef("current_step__position")
            )
            .order_by("-position")
            .values("agency_id")[:1]
        )
        chosen = (
            base.filter(
                status__in=sorted(OPEN_STATUSES),
                current_step__status=StepStatus.ACTIVE,
                current_step__agency=agency,
            )
            .annotate(previous_agency_id=Subquery(previous))
            .filter(previous_agency_id__isnull=False)
            .exclude(previous_agency_id=agency.pk)
        )
    elif key == "ready_to_return":
        chosen = (
            base.filter(status=Status.PROCESSED, receiving_agency=agency) if desk else base.none()
        )
    else:
        raise KeyError(key)
    return _open_ordered(chosen)


def counts(user: AnyUser, agency: Agency, now: dt.datetime | None = None) -> dict[str, int]:
    """How many dossiers each queue holds: one query per queue."""
    now = now or timezone.now()
    return {q.key: queue(user, agency, q.key, now).count() for q in QUEUES}


def overdue_working_days(
    due_at: dt.datetime | None, now: dt.datetime, spec: clock.CalendarSpec
) -> int:
    """Whole working days (rounded up) by which an instant is past ``due_at``; 0 when not late."""
    if due_at is None or due_at >= now:
        return 0
    late = clock.working_time_between(due_at, now, spec)
    if late <= dt.timedelta(0):
        return 0
    return math.ceil(late / WORKING_DAY)


@dataclass(frozen=True)
class Row:
    dossier: Dossier
    overdue_days: int
    due_soon: bool


def rows(user: AnyUser, agency: Agency, key: str, now: dt.datetime | None = None) -> list[Row]:
    """The first ``ROW_LIMIT`` dossiers of a queue, each with how late it is on the agency's
    calendar (one calendar read, whatever the number of rows)."""
    now = now or timezone.now()
    spec = spec_for(agency.calendar)
    horizon = clock.add_working_time(now, WORKING_DAY, spec)
    found = []
    for dossier in queue(user, agency, key, now)[:ROW_LIMIT]:
        open_ = dossier.status in OPEN_STATUSES
        late = overdue_working_days(dossier.due_at, now, spec) if open_ else 0
        soon = bool(open_ and dossier.due_at and now <= dossier.due_at <= horizon)
        found.append(Row(dossier, late, soon))
    return found
