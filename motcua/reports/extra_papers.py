"""Giấy tờ ngoài danh mục / Papers beyond the published list: how many papers outside a case's
published list each agency's officers demanded in a period (at the desk's checklist or in a
supplement request), and in how many dossiers. Demanding them is a prohibited act unless a legal
basis requires the paper (Decree 61/2018 art. 5; ``dossiers/extra_papers.py``): the reform office
reads this to follow it up.

Read from the demands the engine stores (``ExtraPaperDemand``, one row per paper, indexed by
instant and agency): one GROUP BY, no event or dossier scan."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from motcua.dossiers.deadlines import VIETNAM
from motcua.dossiers.extra_paper_models import ExtraPaperDemand


@dataclass(frozen=True)
class ExtraPaperRow:
    """One agency and officer: papers beyond the list demanded, and in how many dossiers."""

    agency_code: str
    agency_name: str
    officer: str  # username; empty for the operator (imports, commands)
    officer_name: str
    papers: int
    dossiers: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency_code,
            "agency_name": self.agency_name,
            "officer": self.officer,
            "officer_name": self.officer_name,
            "papers": self.papers,
            "dossiers": self.dossiers,
        }


@dataclass(frozen=True)
class ExtraPapersReport:
    start: dt.date
    end: dt.date
    rows: list[ExtraPaperRow] = field(default_factory=list)

    @property
    def papers(self) -> int:
        return sum(r.papers for r in self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start,
            "to": self.end,
            "rows": [r.as_dict() for r in self.rows],
            "papers": self.papers,
        }


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end] in local dates as instants [first, after)."""
    first = dt.datetime.combine(start, dt.time(), tzinfo=VIETNAM)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=VIETNAM)
    return first, after


def extra_papers_report(
    start: dt.date, end: dt.date, *, agency_ids: set[int] | None
) -> ExtraPapersReport:
    """Papers beyond the published list demanded in [start, end] (local dates), per agency and
    officer, over ``agency_ids`` (``None``: all agencies); most papers first."""
    first, after = _bounds(start, end)
    demands = ExtraPaperDemand.objects.filter(at__gte=first, at__lt=after)
    if agency_ids is not None:
        demands = demands.filter(agency_id__in=agency_ids)
    grouped = (
        demands.values("agency__code", "agency__name", "officer__username", "officer__full_name")
        .annotate(papers=Count("pk"), dossiers=Count("dossier", distinct=True))
        .order_by("-papers", "agency__code", "officer__username")
    )
    rows = [
        ExtraPaperRow(
            agency_code=g["agency__code"],
            agency_name=g["agency__name"],
            officer=g["officer__username"] or "",
            officer_name=g["officer__full_name"] or "",
            papers=g["papers"],
            dossiers=g["dossiers"],
        )
        for g in grouped
    ]
    return ExtraPapersReport(start, end, rows)
