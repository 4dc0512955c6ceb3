"""The Decision 766 digitisation components (group "Số hóa hồ sơ", 22 points; domain §5), per
receiving agency over a period of local dates, from the register of digitised papers
(``motcua.digitisation``):

- electronic results: of the results returned in the period (the rollups' ``returned``, read by
  ``index766``), those issued as an electronic document — the dossier's result is in the
  register (attached as a file, and signed when the leader signs on approval);
- dossiers digitised: of the dossiers received in the period, those each of whose papers handed
  in (checklist documents provided, the result aside) has its electronic copy in the register —
  scanned at the desk, uploaded by the applicant or re-used;
- re-use: of the dossiers received in the period whose applicant already had a paper digitised
  before (the same ID number, in another dossier, earlier than the receipt), those that re-used
  one instead of asking for it again (a ``PaperReuse``).

Decree 45/2020/NĐ-CP art. 25–26 and Decree 107/2021/NĐ-CP: papers received are digitised and
re-used. Two grouped queries whatever the number of dossiers: one over the dossiers received in
the period (with ``EXISTS`` on their documents, the register and the re-use log), one over those
returned in it. Neither the rollups nor the engine's writers are touched (``reports-read``)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from motcua.digitisation.models import DigitisedPaper, PaperKind, PaperReuse
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.workflow import Status
from motcua.reports.behind import Period

# Not received: registered online and waiting (1) or refused at the desk (3); as the rollups.
NOT_RECEIVED = (Status.NEW.value, Status.NOT_ACCEPTED.value)


@dataclass
class Digitisation:
    """One agency's digitisation counts in a period."""

    received: int = 0  # dossiers received in the period
    digitised: int = 0  # of those, every paper handed in has its electronic copy
    could_reuse: int = 0  # of those, the applicant had a paper digitised before
    reused: int = 0  # of those, at least one paper re-used
    results_electronic: int = 0  # results returned in the period issued electronically

    def add(self, other: "Digitisation") -> None:
        self.received += other.received
        self.digitised += other.digitised
        self.could_reuse += other.could_reuse
        self.reused += other.reused
        self.results_electronic += other.results_electronic


def _scoped(dossiers: QuerySet[Dossier], agency_ids: set[int] | None) -> QuerySet[Dossier]:
    if agency_ids is not None:
        dossiers = dossiers.filter(receiving_agency_id__in=sorted(agency_ids))
    return dossiers.order_by()


def _received_counts(period: Period, agency_ids: set[int] | None) -> list[dict[str, Any]]:
    papers = DossierDocument.objects.filter(dossier=OuterRef("pk"), provided=True, result=False)
    undigitised = papers.filter(digitised__isnull=True)
    earlier = DigitisedPaper.objects.filter(
        owner_id_number=OuterRef("applicant_id_number"), scanned_at__lt=OuterRef("received_at")
    ).exclude(dossier=OuterRef("pk"))
    reused = PaperReuse.objects.filter(dossier=OuterRef("pk"))
    # A paper of the same person: never matched on an empty ID number.
    had_papers = Q(Exists(earlier)) & ~Q(applicant_id_number="")
    received = _scoped(
        Dossier.objects.filter(received_at__gte=period.low, received_at__lt=period.high).exclude(
            status__in=NOT_RECEIVED
        ),
        agency_ids,
    )
    counted = received.values("receiving_agency_id").annotate(
        received=Count("pk"),
        digitised=Count("pk", filter=Q(Exists(papers)) & ~Q(Exists(undigitised))),
        could_reuse=Count("pk", filter=had_papers),
        reused=Count("pk", filter=had_papers & Q(Exists(reused))),
    )
    return [dict(row) for row in counted]


def digitisation_by_agency(
    start: dt.date, end: dt.date, agency_ids: set[int] | None = None
) -> dict[int, Digitisation]:
    """Per receiving agency (in ``agency_ids``, all when ``None``), the counts of [start, end]."""
    period = Period(start, end)
    found: dict[int, Digitisation] = {}
    for row in _received_counts(period, agency_ids):
        found[row["receiving_agency_id"]] = Digitisation(
            received=row["received"],
            digitised=row["digitised"],
            could_reuse=row["could_reuse"],
            reused=row["reused"],
        )
    results = DigitisedPaper.objects.filter(dossier=OuterRef("pk"), kind=PaperKind.RESULT)
    returned = _scoped(
        Dossier.objects.filter(
            status=Status.RETURNED, returned_at__gte=period.low, returned_at__lt=period.high
        ),
        agency_ids,
    )
    for agency_id, electronic in (
        returned.filter(Exists(results))
        .values("receiving_agency_id")
        .annotate(n=Count("pk"))
        .values_list("receiving_agency_id", "n")
    ):
        found.setdefault(agency_id, Digitisation()).results_electronic = electronic
    return found
