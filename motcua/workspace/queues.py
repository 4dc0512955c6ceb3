"""The officer's work queues: which dossiers wait for them at one agency, with counts.

Each queue is one query over ``visible_dossiers`` (so access rules stay in one place), sorted by
due instant; a page shows the counts of all queues and the rows of one, so the number of queries
does not grow with the number of dossiers."""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role
from motcua.accounts.permissions import AnyUser
from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.dossiers.deadlines import VIETNAM
from motcua.dossiers.filters import DossierFilter
from motcua.dossiers.ledger import MAX_PERIOD, ledger_xlsx
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.dossiers.queries import visible_dossiers
from motcua.dossiers.workflow import OPEN_STATUSES, PAUSING, Channel, Status
from motcua.workdays import clock
from motcua.workdays.calendars import spec_for

if TYPE_CHECKING:
    # django-stubs' helper type: installed with the type checker only (a dev dependency).
    from django_stubs_ext import StrOrPromise

# A working day is 8 hours (Labour Code 2019 art. 105; the civil service's 8-hour day): the
# unit in which overdue working time is told to the officer.
WORKING_DAY = dt.timedelta(hours=8)
ROW_LIMIT = 100


@dataclass(frozen=True)
class Queue:
    key: str
    label: "StrOrPromise"


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
    return page_rows(queue(user, agency, key, now)[:ROW_LIMIT], agency, now)


# --- the filtered list ---------------------------------------------------------------------

PAGE_SIZE = 50
FILTER_NAMES = tuple(DossierFilter.base_filters)
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def is_filtering(params: QueryDict) -> bool:
    """Whether ``params`` carry any ``DossierFilter`` value (then the page lists the matches
    instead of a queue)."""
    return any(v.strip() for name in FILTER_NAMES for v in params.getlist(name))


def procedure_choices(agency: Agency) -> list[tuple[str, str]]:
    """The procedures ``agency`` is assigned (receives, decides or coordinates), by code, each
    with its latest version's name: one query."""
    latest = (
        ProcedureVersion.objects.filter(procedure=OuterRef("pk"))
        .order_by("-number")
        .values("name")[:1]
    )
    found = (
        Procedure.objects.filter(assignments__agency=agency)
        .annotate(latest_name=Subquery(latest))
        .order_by("code")
        .values_list("code", "latest_name")
        .distinct()
    )
    return [("", "—"), *((code, f"{code} · {name or ''}") for code, name in found)]


def list_filter(user: AnyUser, agency: Agency, params: QueryDict | None) -> Any:
    """``DossierFilter`` (the API's filters, same parameters) over the dossiers ``user`` may
    read, its form dressed for the page: translated labels, the statuses as boxes, the
    procedure as a choice among ``agency``'s procedures, date-time pickers for the ranges."""
    found = DossierFilter(params, queryset=visible_dossiers(user))
    fields = found.form.fields
    fields["q"].label = _("Code, applicant name or ID number")
    fields["q"].widget = forms.SearchInput(
        attrs={"placeholder": _("Code, applicant name or ID number")}
    )
    fields["status"].label = _("Status")
    fields["status"].widget = forms.CheckboxSelectMultiple(choices=fields["status"].choices)
    fields["channel"].label = _("Channel")
    fields["channel"].empty_label = _("Any")
    fields["channel"].choices = Channel.choices  # the widget copies the choices: set again
    fields["agency"].label = _("Agency code")
    fields["agency"].help_text = _("Receiving, current or lead agency.")
    fields["procedure"] = forms.ChoiceField(
        label=_("Procedure"), required=False, choices=procedure_choices(agency)
    )
    labels = {
        "received_from": _("Received from"),
        "received_to": _("Received until"),
        "due_from": _("Due from"),
        "due_to": _("Due until"),
    }
    for name, label in labels.items():
        fields[name].label = label
        fields[name].widget = forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_LOCAL
        )
    fields["overdue"].label = _("Overdue")
    fields["overdue"].widget = forms.Select(
        choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
    )
    return found


def filtered(found: Any) -> QuerySet[Dossier]:
    """The matches of a valid ``list_filter``, sorted by due instant (no due date last)."""
    queryset: QuerySet[Dossier] = found.qs
    return _open_ordered(queryset)


def page_rows(dossiers: Iterable[Dossier], agency: Agency, now: dt.datetime) -> list[Row]:
    """Rows for a page of dossiers, lateness told on ``agency``'s calendar."""
    spec = spec_for(agency.calendar)
    horizon = clock.add_working_time(now, WORKING_DAY, spec)
    found = []
    for dossier in dossiers:
        open_ = dossier.status in OPEN_STATUSES
        late = overdue_working_days(dossier.due_at, now, spec) if open_ else 0
        soon = bool(open_ and dossier.due_at and now <= dossier.due_at <= horizon)
        found.append(Row(dossier, late, soon))
    return found


def _local_date(instant: dt.datetime | None) -> dt.date | None:
    return instant.astimezone(VIETNAM).date() if instant else None


def ledger_rows(dossiers: QuerySet[Dossier], agency: Agency) -> QuerySet[Dossier]:
    """The filtered ``dossiers`` the ledger of ``agency`` lists: received there, in order."""
    return dossiers.filter(receiving_agency=agency, received_at__isnull=False).order_by(
        "received_at", "code"
    )


def ledger_for(
    dossiers: QuerySet[Dossier], agency: Agency, cleaned: dict[str, Any]
) -> tuple[bytes, str]:
    """The ledger (Form 06, Circular 03/2025/TT-VPCP) of the filtered ``dossiers`` received at
    ``agency``, as ``(xlsx, file name)``; one query for the rows. The period printed is the
    received-date range of the filters, or else the first and last receipt listed. Raises
    ``ValueError`` with the reason for a period the ledger endpoint would refuse too."""
    start = _local_date(cleaned.get("received_from"))
    end = _local_date(cleaned.get("received_to"))
    if start and end and end - start > MAX_PERIOD:
        raise ValueError(_("The period is longer than three years."))
    rows = ledger_rows(dossiers, agency).select_related("version__field", "lead_agency")
    received = [day for dossier in rows if (day := _local_date(dossier.received_at))]
    today = timezone.localdate()
    start = start or (min(received) if received else today)
    end = end or (max(received) if received else today)
    if start > end:
        raise ValueError(_("The period starts after it ends."))
    if end - start > MAX_PERIOD:
        raise ValueError(_("The period is longer than three years."))
    fields = sorted({d.version.field.name for d in rows})
    workbook = ledger_xlsx(
        rows,  # evaluated above: written from the result cache, no second query
        title="Sổ theo dõi hồ sơ",
        field_name=", ".join(fields) or "—",
        start=start,
        end=end,
        agency_name=agency.name,
    )
    return workbook, f"so-theo-doi-{slugify(agency.code)}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
