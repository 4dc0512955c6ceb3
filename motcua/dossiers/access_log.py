"""Recording, reviewing and purging the access log of personal data (``DossierAccess``).

Every screen, print, file, export and API answer that shows an applicant's personal data (name,
ID number, address, telephone, e-mail, documents) to someone other than the applicant calls
``record_reads`` or ``record_export`` once per request (Decree 13/2023/NĐ-CP: the controller
keeps a log of the processing of personal data, art. 26 "to verify"; the data subject may learn
who processed their data, art. 9 "to verify"). The citizen reading their own dossier is not
logged: no one else's data was read.

Where: the client's address as ``client_ip`` reads it (the last ``X-Forwarded-For`` entry behind
the reverse proxy, the one it added) and the browser's User-Agent. On whose behalf: the agency
the workspace has chosen, else the reader's officer agency among the dossier's (receiving,
current, lead), else their first officer agency; a report reader or system administrator with
no officer role has none (the system administrators review those rows in the Django admin)."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts import permissions
from motcua.accounts.models import Agency, User
from motcua.dossiers.access_models import AccessKind, DossierAccess
from motcua.dossiers.models import Dossier


class Asking(Protocol):
    """A request as the log reads it: Django's, or the REST framework's (whose ``user`` is the
    one its authentication found; the engine does not import the framework)."""

    @property
    def user(self) -> Any: ...

    @property
    def META(self) -> Mapping[str, Any]: ...

    def get_full_path(self, force_append_slash: bool = False) -> str: ...


USER_AGENT_LENGTH = 300
PATH_LENGTH = 500


def client_ip(request: Asking) -> str | None:
    """The client's address. Behind the reverse proxy (``BEHIND_PROXY``) the last
    ``X-Forwarded-For`` entry, the one the proxy itself added; earlier entries come from the
    client and could be forged (to dodge a limit, or to hide from this log)."""
    if settings.MOTCUA_BEHIND_PROXY:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        last = forwarded.split(",")[-1].strip()
        if last:
            return last[:45]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


@dataclass(frozen=True)
class Read:
    """What the log needs of one dossier read: its code, its applicant's account, its
    agencies (receiving, current, lead)."""

    code: str
    owner_id: int | None
    agency_ids: tuple[int | None, ...]


def _read(dossier: Dossier) -> Read:
    agencies = (dossier.receiving_agency_id, dossier.current_agency_id, dossier.lead_agency_id)
    return Read(dossier.code, dossier.owner_id, agencies)


def _reader_agency(user: User, reads: list[Read], chosen: int | None) -> int | None:
    officer_ids = permissions.officer_agency_ids(user)
    if chosen is not None and chosen in officer_ids:
        return chosen
    concerned = {pk for read in reads for pk in read.agency_ids if pk in officer_ids}
    if concerned:
        return min(concerned)
    return min(officer_ids) if officer_ids else None


def _address(request: Asking) -> str | None:
    ip = client_ip(request)
    try:
        return str(ip_address(ip)) if ip else None
    except ValueError:  # a proxy passing something else than an address: kept out
        return None


def _record(
    request: Asking, kind: AccessKind, reads: list[Read], chosen: int | None
) -> DossierAccess | None:
    user = request.user
    if not isinstance(user, User):
        return None
    others = [read for read in reads if read.owner_id is None or read.owner_id != user.pk]
    if not others:
        return None  # the applicant reading their own data
    codes = sorted({read.code for read in others})
    entry = DossierAccess(
        at=timezone.now(),
        actor=user,
        agency_id=_reader_agency(user, others, chosen),
        kind=kind,
        path=request.get_full_path()[:PATH_LENGTH],
        codes=f" {' '.join(codes)} ",
        count=len(codes),
        ip=_address(request),
        user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH],
    )
    entry.save()
    return entry


def record_reads(
    request: Asking,
    kind: AccessKind,
    dossiers: Iterable[Dossier],
    *,
    agency_id: int | None = None,
) -> DossierAccess | None:
    """Log that ``request``'s user read the personal data of ``dossiers`` (already loaded: no
    query but the insert). One row for all of them; none when the user reads only their own
    dossiers or none at all. ``agency_id``: the agency the workspace has chosen, if any."""
    return _record(request, kind, [_read(d) for d in dossiers], agency_id)


def record_query(
    request: Asking,
    kind: AccessKind,
    dossiers: QuerySet[Dossier],
    *,
    agency_id: int | None = None,
) -> DossierAccess | None:
    """Log a read of the personal data of ``dossiers`` not loaded as objects (an export's
    rows, a look-up's values): one query for their codes, one insert."""
    fields = ("code", "owner_id", "receiving_agency_id", "current_agency_id", "lead_agency_id")
    reads = [Read(code, owner, tuple(ids)) for code, owner, *ids in dossiers.values_list(*fields)]
    return _record(request, kind, reads, agency_id)


def record_export(
    request: Asking, dossiers: QuerySet[Dossier], *, agency_id: int | None = None
) -> DossierAccess | None:
    """Log an export (a ledger, a file of rows) of the personal data of ``dossiers``."""
    return record_query(request, AccessKind.EXPORT, dossiers, agency_id=agency_id)


def record_log_export(request: Asking, agency: Agency, count: int) -> DossierAccess | None:
    """Log that the access log itself was exported (it names officers and dossiers)."""
    user = request.user
    if not isinstance(user, User):
        return None
    entry = DossierAccess(
        at=timezone.now(),
        actor=user,
        agency=agency,
        kind=AccessKind.EXPORT,
        path=request.get_full_path()[:PATH_LENGTH],
        count=count,
        ip=_address(request),
        user_agent=str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_LENGTH],
    )
    entry.save()
    return entry


# --- review --------------------------------------------------------------------------------


def accesses_of(
    agency: Agency,
    *,
    officer: str = "",
    code: str = "",
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[DossierAccess]:
    """The log rows of ``agency``'s officers, newest first, filtered by officer (username),
    dossier code and period ``[start, end)``. The caller checks that the reader administers
    ``agency`` (``permissions.can_administer_agency``)."""
    rows = DossierAccess.objects.filter(agency=agency).select_related("actor")
    if officer:
        rows = rows.filter(Q(actor__username__iexact=officer))
    if code:
        rows = rows.filter(codes__contains=f" {code.strip().upper()} ")
    if start is not None:
        rows = rows.filter(at__gte=start)
    if end is not None:
        rows = rows.filter(at__lt=end)
    return rows.order_by("-at", "-pk")


# --- retention -----------------------------------------------------------------------------


def retention_days() -> int:
    """``MOTCUA_ACCESS_LOG_RETENTION_DAYS``: how long a row is kept; 0 keeps them forever."""
    return max(0, int(settings.MOTCUA_ACCESS_LOG_RETENTION_DAYS))


def purge_expired(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Delete the rows older than the retention period (``days``, else the setting) and record
    the purge as a row of its own (what was deleted: how many, up to when). Returns how many
    were deleted; nothing is deleted when the period is 0 (kept forever).

    The only deletion of an append-only history, through the base manager on purpose: personal
    data is kept no longer than its purpose needs (Decree 13/2023/NĐ-CP, art. 3 principles of
    storage limitation, "to verify")."""
    now = now or timezone.now()
    keep = retention_days() if days is None else days
    if keep <= 0:
        return 0
    cutoff = now - dt.timedelta(days=keep)
    expired = DossierAccess._base_manager.filter(at__lt=cutoff).exclude(kind=AccessKind.PURGE)
    deleted, _ = expired.delete()
    if deleted:
        DossierAccess(
            at=now, kind=AccessKind.PURGE, path=f"before {cutoff.isoformat()}", count=deleted
        ).save()
    return deleted
