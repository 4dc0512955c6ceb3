"""Public tracking by dossier code (Decree 118/2025: the one-stop system lets the applicant
follow the dossier; seed 002 tracks by code): the status, receiving agency, received and due
dates and whether it is on time, for anyone with the code; the applicant's name and documents
only with the PIN printed on Form 01 or for the signed-in owner.

A wrong PIN answers exactly as an unknown code does (``None``), so a guessed code with a
guessed PIN reveals nothing more than a guessed code alone.

A code we do not know may be a dossier received by another system (a ministry's, another
province's): ``national_look_up`` asks the national portal through the adapter, and the page
shows its public facts, labelled as the national portal's."""

import datetime as dt
import hmac
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from motcua.accounts.models import Agency
from motcua.accounts.permissions import AnyUser
from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers.codes import normalise_pin
from motcua.dossiers.models import Dossier
from motcua.dossiers.queries import timeliness, tracked_dossier
from motcua.dossiers.workflow import Status
from motcua.integration.national import NationalDossier, NationalPortal, NationalPortalError

logger = logging.getLogger(__name__)

# How long a procedure's or an agency's name is kept in the cache for the tracking pages: the
# same few hundred names answer a million dossiers' lookups, and a renamed agency shows its new
# name within this time.
NAME_SECONDS = 300


@dataclass(frozen=True)
class Personal:
    """What only the applicant (PIN or owner) sees."""

    applicant_name: str
    documents: list[str]
    # Where the public post delivers the result (return by post only; else empty).
    postal_address: str = ""


@dataclass(frozen=True)
class Posted:
    """The result handed to the public post (bưu chính công ích): the postal item's number,
    which tells nothing about the applicant and is shown to anyone with the code, and when."""

    tracking_number: str
    posted_at: dt.datetime


@dataclass(frozen=True)
class Tracked:
    """A dossier as the public tracking page and API show it."""

    code: str
    status: str
    status_label: str
    procedure: str
    receiving_agency: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    # ``deadlines.standing`` as the desk and the reports judge it: early / on_time / late
    # (processed, returned), withdrawn, paused (waiting for a supplement or a payment),
    # in_time / overdue (in progress or stopped), or "" (not received, refused at the desk).
    timeliness: str
    personal: Personal | None
    posted: Posted | None = None


def cached_name(model: type[ProcedureVersion] | type[Agency], pk: int) -> str:
    """The ``name`` of ``model``'s row ``pk``, from the cache when it was read recently."""
    key = f"tracking-name:{model._meta.label_lower}:{pk}"
    name = cache.get(key)
    if name is None:
        manager = model._default_manager
        name = str(manager.values_list("name", flat=True).get(pk=pk))
        cache.set(key, name, NAME_SECONDS)
    return str(name)


def pin_matches(dossier: Dossier, pin: str) -> bool:
    """Compared in constant time; a dossier without a PIN matches none."""
    typed = normalise_pin(pin)
    return bool(dossier.tracking_pin) and hmac.compare_digest(
        typed.encode(), dossier.tracking_pin.encode()
    )


def track(
    code: str, *, pin: str = "", user: AnyUser | None = None, today: dt.date | None = None
) -> Tracked | None:
    """The dossier ``code`` as its public page shows it, with the personal part when ``pin``
    is its PIN or ``user`` its owner; ``None`` for an unknown code and for a wrong PIN alike."""
    dossier = tracked_dossier(code.strip())
    if dossier is None:
        return None
    owner = (
        user is not None
        and user.is_authenticated
        and dossier.owner_id is not None
        and dossier.owner_id == user.pk
    )
    if pin.strip() and not pin_matches(dossier, pin) and not owner:
        return None
    personal = None
    if owner or (pin.strip() and pin_matches(dossier, pin)):
        documents = [d.name for d in dossier.documents.filter(provided=True).order_by("pk")]
        personal = Personal(dossier.applicant_name, documents, dossier.postal_address)
    posted = None
    if dossier.postal_tracking_number and dossier.posted_at is not None:
        posted = Posted(dossier.postal_tracking_number, dossier.posted_at)
    return Tracked(
        code=dossier.code,
        status=dossier.status,
        status_label=str(Status(dossier.status).label),
        procedure=cached_name(ProcedureVersion, dossier.version_id),
        receiving_agency=cached_name(Agency, dossier.receiving_agency_id),
        received_at=dossier.received_at,
        # After an apology the applicant is given the new date (Decree 118/2025 art. 19).
        due_at=dossier.promised_at or dossier.due_at,
        finished_at=dossier.finished_at,
        timeliness=timeliness(dossier, today or timezone.localdate()),
        personal=personal,
        posted=posted,
    )


# What a code sent to the national portal may look like: ours are "H56.22-260302-0001"; other
# systems' differ, but none needs more than this, and nothing else goes into its address.
NATIONAL_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


@dataclass(frozen=True)
class NationalAnswer:
    """The national portal's answer for a code we do not know: its dossier, or ``failed``
    when it could not be asked (down, slow, an error)."""

    dossier: NationalDossier | None
    failed: bool = False


def national_look_up(code: str) -> NationalAnswer | None:
    """Ask the national portal (issue 19 item 5) about ``code``, received by another system;
    ``None`` when no portal is configured or ``code`` cannot be a dossier code. The caller has
    counted the look-up against the tracking rate already."""
    code = code.strip()
    if not settings.MOTCUA_NATIONAL_URL or not NATIONAL_CODE.match(code):
        return None
    portal = NationalPortal(
        settings.MOTCUA_NATIONAL_URL,
        settings.MOTCUA_NATIONAL_TOKEN,
        timeout=settings.MOTCUA_NATIONAL_LOOKUP_TIMEOUT,
    )
    try:
        return NationalAnswer(portal.look_up(code))
    except NationalPortalError as error:
        logger.warning("national look-up of %s failed: %s", code, error)
        return NationalAnswer(None, failed=True)
