"""Two statutory limits on the agency, checked by the services that would break them.

**One extension, issued in time.** Decree 61/2018/NĐ-CP art. 19 as amended by Decree
107/2021/NĐ-CP: the return date may be moved no more than once, and the apology with the new
date (Form 04) is sent no later than one working day before the due date. Decree 118/2025/NĐ-CP,
which replaces both from 01/07/2025, carries the rule (article to verify). The day is counted on
the receiving agency's working-day calendar, the one the due date was counted on, at date level
like every other timeliness rule here (``deadlines``). A dossier already late (past its due
date) still owes the applicant its apology: that one apology is accepted, marked late. In
between (on the due date, or after the last day to extend but before it) the time to extend has
passed and the dossier is not late yet: it is refused.

**One complete supplement request.** The applicant is told once, completely, what to supplement
(same texts; article to verify). While the dossier is processed, ``MOTCUA_SUPPLEMENT_REQUESTS``
requests (default one) are allowed; each further one needs the head of the agency holding the
dossier to record why first (``allow_further_supplement``), and Form 02 prints that permission.
Requests at intake (before receipt) are the desk's completeness check and are not counted."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.steps import spec_of
from motcua.dossiers.workflow import Action, Status
from motcua.workdays.days import is_working_day

# A calendar has at most a few weeks of consecutive days off (Lunar New Year and its swaps).
_LOOK_BACK_DAYS = 60


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def extension_deadline(dossier: Dossier) -> dt.date | None:
    """The last date Form 04 may move the return date: the working day before the due date on
    the receiving agency's calendar (None without a due date: nothing to move it from)."""
    if dossier.due_at is None:
        return None
    spec = spec_of(dossier.receiving_agency)
    day = timezone.localtime(dossier.due_at, spec.tz).date()
    for _i in range(_LOOK_BACK_DAYS):
        day -= dt.timedelta(days=1)
        if is_working_day(day, spec):
            return day
    return day  # pragma: no cover - no calendar is closed for two months


def extension_is_late(dossier: Dossier, now: dt.datetime) -> bool:
    """Whether an apology issued ``now`` is late (the dossier is past its due date), after
    refusing a second one and one issued after the last day to extend on a dossier not yet
    late. Codes: ``extension_already_given``, ``extension_too_late``."""
    given = dossier.events.filter(action=Action.EXTEND).order_by("at").first()
    if given is not None or dossier.promised_at is not None:
        when = given.at if given is not None else dossier.promised_at
        assert when is not None  # noqa: S101 - one of the two is set
        raise ValidationError(
            _(
                "The return date of dossier %(code)s was already moved once (%(date)s): it may "
                "be moved no more than once."
            )
            % {"code": dossier.code, "date": _day(timezone.localtime(when).date())},
            code="extension_already_given",
        )
    deadline = extension_deadline(dossier)
    if deadline is None or dossier.due_at is None:
        return False
    spec = spec_of(dossier.receiving_agency)
    today = timezone.localtime(now, spec.tz).date()
    due = timezone.localtime(dossier.due_at, spec.tz).date()
    if today <= deadline:
        return False
    if today > due:
        return True
    raise ValidationError(
        _(
            "Too late to extend: the apology with a new return date must be sent no later "
            "than one working day before the due date %(due)s, that is by %(deadline)s. "
            "Finish the dossier by its due date; if it is late, its apology is recorded late."
        )
        % {"due": _day(due), "deadline": _day(deadline)},
        code="extension_too_late",
    )


def supplement_requests(dossier: Dossier) -> int:
    """Supplement requests made while the dossier was processed (not those at intake)."""
    return dossier.events.filter(
        action=Action.REQUEST_SUPPLEMENT, old_status=Status.PROCESSING
    ).count()


def permissions_given(dossier: Dossier) -> list[DossierEvent]:
    """The head of the agency's permissions for further requests, oldest first."""
    return list(
        dossier.events.filter(action=Action.ALLOW_FURTHER_SUPPLEMENT)
        .select_related("actor")
        .order_by("at", "pk")
    )


def further_supplement_needed(dossier: Dossier) -> bool:
    """Whether the next request while processing needs the head of the agency's permission
    (the one the dossier page offers ``allow_further_supplement`` on)."""
    allowed = settings.MOTCUA_SUPPLEMENT_REQUESTS + len(permissions_given(dossier))
    return supplement_requests(dossier) >= allowed


def supplement_permission(dossier: Dossier) -> DossierEvent | None:
    """For a request about to be made while processing: None within the limit, the head's
    permission it uses beyond it; refused (``supplement_already_requested``) without one."""
    made = supplement_requests(dossier)
    limit = settings.MOTCUA_SUPPLEMENT_REQUESTS
    if made < limit:
        return None
    permissions = permissions_given(dossier)
    if made - limit < len(permissions):
        return permissions[made - limit]
    raise ValidationError(
        _(
            "The applicant was already asked %(count)s time(s) to supplement dossier %(code)s "
            "while it is processed: a request must list everything missing at once. A further "
            "request needs the head of the agency to allow it first, with the reason."
        )
        % {"count": made, "code": dossier.code},
        code="supplement_already_requested",
    )
