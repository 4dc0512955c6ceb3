"""Reads of dossiers with access checks. No view calls ``Dossier.objects.get`` itself.

Officers see the dossiers of the agencies where they hold an officer role (received there, held
there, led there, or passed through a step there), documents included; reform officers and
system administrators see those whose statistics they may read, for drill-down from the figures,
but never the documents (citizens' ID scans and the like); citizens see their own, documents
included. An agency administrator's role gives no dossier at all: administering users and
processes needs none (least privilege, issue 10 item 8)."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from motcua.accounts import permissions
from motcua.accounts.permissions import AnyUser
from motcua.dossiers.deadlines import standing
from motcua.dossiers.models import Dossier
from motcua.dossiers.notices import APPLICANT_KINDS
from motcua.notifications.models import Notification


def _in_agencies(agency_ids: set[int]) -> Q:
    ids = sorted(agency_ids)
    return (
        Q(receiving_agency_id__in=ids)
        | Q(current_agency_id__in=ids)
        | Q(lead_agency_id__in=ids)
        | Q(pk__in=Dossier.objects.filter(steps__agency_id__in=ids).values("pk"))
    )


def _reach(user: AnyUser, *, for_reports: bool) -> QuerySet[Dossier]:
    dossiers = Dossier.objects.all()
    if not user.is_authenticated:
        return dossiers.none()
    agency_ids = permissions.officer_agency_ids(user)
    if for_reports:
        report_ids = permissions.report_agency_ids(user)
        if report_ids is None:
            return dossiers
        agency_ids |= report_ids
    condition = Q(owner_id=user.pk)
    if agency_ids:
        condition |= _in_agencies(agency_ids)
    return dossiers.filter(condition)


def visible_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """The dossiers ``user`` may read (without their documents for report readers)."""
    return _reach(user, for_reports=True)


def document_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """The dossiers whose documents (scans, uploads) ``user`` may open: their own, and those
    of the agencies where they work on dossiers. Reading reports gives none."""
    return _reach(user, for_reports=False)


def may_open_documents(user: AnyUser, dossier: Dossier) -> bool:
    """Whether ``user`` may open the files attached to ``dossier`` (download, preview) and
    see them listed with their contents' type, size and digest."""
    if dossier.owner_id is not None and dossier.owner_id == user.pk:
        return True
    return document_dossiers(user).filter(pk=dossier.pk).exists()


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


# What public tracking reads of a dossier (``portal.tracking``): one indexed look-up by code of
# these columns only, no join; the procedure's and the agency's names come from their own cached
# look-ups. Loading the whole row with its version, procedure, case and agency cost more in
# building the query than in running it (bench/RESULTS.md, issue #13).
TRACKED_FIELDS = (
    "code",
    "version_id",
    "receiving_agency_id",
    "status",
    "applicant_name",
    "tracking_pin",
    "owner_id",
    "received_at",
    "due_at",
    "promised_at",
    "finished_at",
    "postal_address",
    "postal_tracking_number",
    "posted_at",
)


def tracked_dossier(code: str) -> Dossier | None:
    """The dossier with ``code`` for the public tracking page, whoever asks, with only
    ``TRACKED_FIELDS`` loaded. The caller shows only its public status (no applicant, no
    documents) unless the visitor gives the dossier's tracking PIN or is its signed-in owner
    (``portal.tracking``)."""
    return Dossier.objects.only(*TRACKED_FIELDS).filter(code=code).order_by().first()


def own_dossiers(user: AnyUser) -> QuerySet[Dossier]:
    """The dossiers whose owner is ``user`` (the citizen's "my dossiers"), newest first. Unlike
    ``visible_dossiers`` it never reaches an agency's dossiers: the portal shows a person only
    their own, whatever roles their account holds."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(owner_id=user.pk)
        .select_related("version", "receiving_agency")
        .order_by("-created_at", "-pk")
    )


def own_dossier(user: AnyUser, code: str) -> Dossier:
    """The dossier with ``code`` if ``user`` owns it; otherwise 404, the same for an unknown
    code and another person's, so a guessed code reveals nothing."""
    dossier = (
        own_dossiers(user)
        .select_related(
            "version__procedure", "case", "receiving_agency__calendar", "current_agency"
        )
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404(code)
    return dossier


def timeliness(dossier: Dossier, on: dt.date | None = None) -> str:
    """Where the dossier stands today by the reports' rule (``deadlines.standing``): early /
    on_time / late once processed or returned; withdrawn apart; paused while waiting for a
    supplement or a payment; in_time / overdue otherwise (a stopped dossier too); nothing for
    a dossier never received or refused at the desk (the API's field, the dossier page's
    badge, the portal's tracking and "my dossiers" pages): citizens see what the desk sees."""
    found = standing(
        dossier.status,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        finished_at=dossier.finished_at,
        on=on or timezone.localdate(),
    )
    return found.value if found is not None else ""


def applicant_notices(user: AnyUser, dossier: Dossier) -> list[Notification] | None:
    """The notices sent to the applicant about ``dossier`` with their delivery state (queued,
    sent, failed with its error and attempts), oldest first, for an officer of the receiving
    agency, which answers the applicant; ``None`` for anyone else (an agency consulted on a
    step, report readers): the rows carry the applicant's e-mail address and phone."""
    if dossier.receiving_agency_id not in permissions.officer_agency_ids(user):
        return None
    return list(
        Notification.objects.filter(dossier_code=dossier.code, kind__in=APPLICANT_KINDS).order_by(
            "created_at", "pk"
        )
    )
