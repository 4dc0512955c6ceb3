"""Reads of the register with their access checks: the papers a desk may re-use while it
receives a person's dossier, and a citizen's own log of re-uses (never anyone else's)."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts import permissions
from motcua.accounts.models import Agency, Role, User
from motcua.catalogue.models import RequiredDocument
from motcua.catalogue.text import search_key
from motcua.digitisation.models import DigitisedPaper, PaperReuse
from motcua.errors import Refused

# A person's papers listed at the desk: the most recent first, at most this many.
OFFER_LIMIT = 50


def check_desk(user: User, agency: Agency) -> None:
    """Only a desk officer of ``agency`` sees a person's digitised papers (and only on the
    reception of that person's dossier, where ``offered_papers`` is called)."""
    if Role.DESK_OFFICER not in permissions.roles_in(user, agency):
        raise Refused(
            _("Only the desk receiving the person's dossier sees their digitised papers."),
            code="reuse_not_desk",
        )


def reusable_papers(id_number: str, on: dt.date) -> QuerySet[DigitisedPaper]:
    """The digitised papers of the person with ``id_number`` that may be re-used on ``on``: with
    a file, not expired, and not themselves filled by a re-use (the original is offered)."""
    id_number = id_number.strip()
    if not id_number:
        return DigitisedPaper.objects.none()
    return (
        DigitisedPaper.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on),
            owner_id_number=id_number,
            document__reused_from__isnull=True,
        )
        .exclude(document__file="")
        .select_related("dossier", "agency")
        .order_by("-scanned_at", "-pk")
    )


def offered_papers(user: User, agency: Agency, id_number: str, on: dt.date) -> list[DigitisedPaper]:
    """What the desk of ``agency`` sees for the applicant it is receiving: their re-usable
    papers, one per content (the same file digitised twice is one paper), newest first."""
    check_desk(user, agency)
    seen: set[str] = set()
    offered: list[DigitisedPaper] = []
    for paper in reusable_papers(id_number, on)[: OFFER_LIMIT * 2]:
        if paper.sha256 in seen:
            continue
        seen.add(paper.sha256)
        offered.append(paper)
    return offered[:OFFER_LIMIT]


def matching(papers: Iterable[DigitisedPaper], required: RequiredDocument) -> list[DigitisedPaper]:
    """The papers that are the catalogue entry ``required``: the same entry, or one of the same
    name (the same paper asked for by another procedure or version)."""
    key = search_key(required.name)
    return [p for p in papers if p.required_id == required.pk or p.name_key == key]


def own_reuses(user: User) -> QuerySet[PaperReuse]:
    """The re-uses of the papers of the person signed in (their account's ID number, which
    is its user name and unique), newest first; none for an account without one."""
    if not user.is_authenticated or not user.id_number:
        return PaperReuse.objects.none()
    return (
        PaperReuse.objects.filter(owner_id_number=user.id_number)
        .select_related("paper", "paper__dossier", "paper__agency", "dossier", "agency")
        .order_by("-at", "-pk")
    )
