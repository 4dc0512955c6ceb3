"""Reads of the PAR self-assessment with their access checks: what a user may see, each
self-assessment's scores by area, the ranking of departments and of communes with last year's
scores beside this year's."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from motcua.accounts.models import User
from motcua.par.models import Area, Assessment, CriteriaSet, Criterion, Score, SubCriterion
from motcua.par.permissions import focal_agency_ids, is_reform_office, may_read
from motcua.par.workflow import Group, Status


def criteria_sets() -> QuerySet[CriteriaSet]:
    return CriteriaSet.objects.order_by("-year")


def criteria_set(year: int) -> CriteriaSet:
    found = CriteriaSet.objects.filter(year=year).first()
    if found is None:
        raise Http404(str(year))
    return found


def tree(criteria_set: CriteriaSet) -> QuerySet[Area]:
    """The set's areas with their criteria and sub-criteria, in order (three queries)."""
    return criteria_set.areas.prefetch_related(
        Prefetch("criteria", Criterion.objects.order_by("position")),
        Prefetch("criteria__subs", SubCriterion.objects.order_by("position")),
    ).order_by("position")


def counts(criteria_set: CriteriaSet) -> tuple[int, int, int]:
    """(areas, criteria, sub-criteria) of the set."""
    return (
        criteria_set.areas.count(),
        Criterion.objects.filter(area__criteria_set=criteria_set).count(),
        SubCriterion.objects.filter(criterion__area__criteria_set=criteria_set).count(),
    )


def visible_assessments(user: User, criteria_set: CriteriaSet) -> QuerySet[Assessment]:
    """Every self-assessment of the year for the reform office, the agency's own for a focal
    point."""
    found = Assessment.objects.filter(criteria_set=criteria_set).select_related("agency")
    if is_reform_office(user):
        return found.order_by("group", "agency__code")
    return found.filter(agency_id__in=sorted(focal_agency_ids(user))).order_by("agency__code")


def assessment_for(user: User, pk: int) -> Assessment:
    """The self-assessment ``pk`` if ``user`` may read it; 404 otherwise (another agency's
    self-assessment does not exist for a focal point)."""
    found = Assessment.objects.select_related("agency", "criteria_set").filter(pk=pk).first()
    if found is None or not may_read(user, found):
        raise Http404(str(pk))
    return found


@dataclass
class AreaScore:
    """One area's maximum, self-assessed and final points in a self-assessment."""

    area: Area
    self_points: Decimal
    final_points: Decimal | None
    scores: list[Score]


def scores_by_area(assessment: Assessment) -> list[AreaScore]:
    """The self-assessment's scores grouped by area, each with its evidence (four queries)."""
    scores = list(
        assessment.scores.select_related("sub__criterion__area")
        .prefetch_related("evidence")
        .order_by("sub__criterion__area__position", "sub__criterion__position", "sub__position")
    )
    out: list[AreaScore] = []
    for score in scores:
        area = score.sub.criterion.area
        if not out or out[-1].area.pk != area.pk:
            out.append(AreaScore(area, Decimal(0), None, []))
        row = out[-1]
        row.scores.append(score)
        row.self_points += score.self_points or 0
        if score.final_points is not None:
            row.final_points = (row.final_points or Decimal(0)) + score.final_points
    return out


@dataclass
class Ranked:
    """One agency's place in its group: this year's final total and, when it was ranked last
    year, last year's total and place."""

    rank: int
    assessment: Assessment
    last_total: Decimal | None = None
    last_rank: int | None = None

    @property
    def change(self) -> Decimal | None:
        total = self.assessment.final_total
        if total is None or self.last_total is None:
            return None
        return total - self.last_total


RANKED = (Status.APPRAISED, Status.PUBLISHED)


def _ranked(criteria_set: CriteriaSet, group: str) -> list[Assessment]:
    rows = (
        Assessment.objects.filter(criteria_set=criteria_set, group=group, status__in=RANKED)
        .select_related("agency")
        .order_by("-final_total", "agency__code")
    )
    return list(rows)


def _places(rows: list[Assessment]) -> list[int]:
    """Competition ranking (1, 2, 2, 4): equal totals share a place."""
    places: list[int] = []
    for i, row in enumerate(rows):
        same = i and rows[i - 1].final_total == row.final_total
        places.append(places[-1] if same else i + 1)
    return places


def ranking(criteria_set: CriteriaSet, group: str) -> list[Ranked]:
    """The group's appraised self-assessments, highest final total first, with last year's
    published total and place (four queries)."""
    rows = _ranked(criteria_set, group)
    last = CriteriaSet.objects.filter(year=criteria_set.year - 1, published_at__isnull=False)
    before: dict[int, tuple[Decimal | None, int]] = {}
    if last.exists():
        previous = _ranked(last.get(), group)
        for place, row in zip(_places(previous), previous, strict=True):
            before[row.agency_id] = (row.final_total, place)
    out = []
    for place, row in zip(_places(rows), rows, strict=True):
        total, was = before.get(row.agency_id, (None, None))
        out.append(Ranked(place, row, total, was))
    return out


def may_see_ranking(user: User, criteria_set: CriteriaSet) -> bool:
    """The reform office sees the ranking as the appraisals close; others once published."""
    return criteria_set.published_at is not None or is_reform_office(user)


GROUPS = (Group.DEPARTMENT, Group.COMMUNE)
