"""Giấy tờ ngoài danh mục / Papers beyond the published list: how many papers outside a case's
published list each agency's officers demanded in a period (at the desk's checklist or in a
supplement request), and in how many dossiers. Demanding them is a prohibited act unless a legal
basis requires the paper (Decree 61/2018 art. 5; ``dossiers/extra_papers.py``): the reform office
reads this to follow it up.

Read from the demands the engine stores (``dossiers.ExtraPaperDemand``, one row per paper,
indexed by instant and agency): one GROUP BY, no event or dossier scan."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from motcua.reports.behind import Period, extra_paper_demands


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


def extra_papers_report(
    start: dt.date,
    end: dt.date,
    *,
    agency_ids: set[int] | None,
    interagency: bool | None = None,
) -> ExtraPapersReport:
    """Papers beyond the published list demanded in [start, end] (local dates), per agency and
    officer, over ``agency_ids`` (``None``: all agencies), optionally of inter-agency
    procedures only (or the others); most papers first. The same demands as the dossiers
    behind the numbers (``behind.extra_paper_demands``)."""
    demands = extra_paper_demands(Period(start, end, interagency), agency_ids)
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
