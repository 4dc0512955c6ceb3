"""Reads of the satisfaction ratings: the questionnaire in force, who returned a dossier's
result (from its events), what the desk's kiosk offers, and the results counted per agency,
procedure, officer or month. Results never name the applicant; the public ones hide groups
smaller than ``MOTCUA_RATING_PUBLIC_MINIMUM``."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierEvent, ReturnMethod
from motcua.dossiers.workflow import Action, Status
from motcua.satisfaction.models import (
    Level,
    Question,
    Questionnaire,
    Rating,
    RatingAnswer,
)

RETURNING = (Action.RETURN_RESULT.value, Action.HAND_TO_POST.value)
GROUPS = ("agency", "procedure", "officer", "month")
PUBLIC_GROUPS = ("agency", "procedure")


def questionnaire_in_force() -> Questionnaire | None:
    """The active questionnaire with its questions, or ``None`` when none is in force (the
    overall level is then asked alone)."""
    return (
        Questionnaire.objects.filter(active=True)
        .prefetch_related(Prefetch("questions", Question.objects.order_by("position")))
        .first()
    )


def returning_event(dossier: Dossier) -> DossierEvent | None:
    """The event that returned the result (handed over at the desk, sent electronically or
    handed to the post): its actor is the officer the rating is about."""
    return (
        DossierEvent.objects.filter(dossier=dossier, action__in=RETURNING)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def kiosk_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.MOTCUA_RATING_KIOSK_MINUTES)


def kiosk_dossier(officer: User, now: dt.datetime) -> Dossier | None:
    """The dossier ``officer`` most recently handed to its applicant at the desk, if within
    the kiosk's window (``MOTCUA_RATING_KIOSK_MINUTES``): the one the tablet facing the
    citizen offers for rating. ``None`` when there is none that recent."""
    event = (
        DossierEvent.objects.filter(
            actor=officer,
            action=Action.RETURN_RESULT,
            data__method=ReturnMethod.IN_PERSON.value,
            at__gte=now - kiosk_window(),
            at__lte=now,
        )
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        return None
    dossier = (
        Dossier.objects.select_related("version__procedure", "receiving_agency")
        .filter(pk=event.dossier_id, status=Status.RETURNED)
        .first()
    )
    return dossier


def rating_of(dossier: Dossier) -> Rating | None:
    return (
        Rating.objects.filter(dossier=dossier)
        .prefetch_related(Prefetch("answers", RatingAnswer.objects.select_related("question")))
        .first()
    )


# --- results ---------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    """How many ratings gave each level, and their shares in per cent (one decimal)."""

    very_satisfied: int = 0
    satisfied: int = 0
    not_satisfied: int = 0

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied

    @property
    def satisfied_total(self) -> int:
        """Very satisfied and satisfied: what the Decision 766 index counts as satisfied."""
        return self.very_satisfied + self.satisfied

    @property
    def very_satisfied_percent(self) -> Decimal:
        return _percent(self.very_satisfied, self.total)

    @property
    def satisfied_percent(self) -> Decimal:
        return _percent(self.satisfied, self.total)

    @property
    def not_satisfied_percent(self) -> Decimal:
        return _percent(self.not_satisfied, self.total)

    @property
    def satisfied_total_percent(self) -> Decimal:
        return _percent(self.satisfied_total, self.total)


@dataclass
class Row:
    """One group of the results: its key (a code, a username, ``YYYY-MM``), label and tally."""

    key: str
    label: str
    tally: Tally = field(default_factory=Tally)


LEVEL_COUNTS = {
    "very_satisfied": Count("pk", filter=Q(level=Level.VERY_SATISFIED)),
    "satisfied": Count("pk", filter=Q(level=Level.SATISFIED)),
    "not_satisfied": Count("pk", filter=Q(level=Level.NOT_SATISFIED)),
}


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight of ``start`` and of the day after ``end``."""
    tz = ZoneInfo(settings.TIME_ZONE)
    first = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return first, after


def ratings_in(start: dt.date, end: dt.date, agency_ids: Iterable[int] | None) -> QuerySet[Rating]:
    """Ratings made on the local days [start, end] of dossiers received by ``agency_ids``
    (all when ``None``)."""
    first, after = _bounds(start, end)
    found = Rating.objects.filter(created_at__gte=first, created_at__lt=after)
    if agency_ids is not None:
        found = found.filter(dossier__receiving_agency_id__in=sorted(agency_ids))
    return found


def _tally(values: Mapping[str, Any]) -> Tally:
    return Tally(values["very_satisfied"], values["satisfied"], values["not_satisfied"])


def results(
    start: dt.date, end: dt.date, group: str, agency_ids: Iterable[int] | None = None
) -> list[Row]:
    """The ratings of the period grouped by ``group`` (one of ``GROUPS``), largest first for
    agencies, procedures and officers, in order of time for months."""
    if group not in GROUPS:
        raise ValueError(group)
    found = ratings_in(start, end, agency_ids)
    if group == "month":
        tz = ZoneInfo(settings.TIME_ZONE)
        rows = (
            found.annotate(month=TruncMonth("created_at", tzinfo=tz))
            .values("month")
            .annotate(**LEVEL_COUNTS)
            .order_by("month")
        )
        return [Row(f"{r['month']:%Y-%m}", f"{r['month']:%m/%Y}", _tally(r)) for r in rows]
    key, label = {
        "agency": ("dossier__receiving_agency__code", "dossier__receiving_agency__name"),
        "procedure": ("dossier__version__procedure__code", "dossier__version__name"),
        "officer": ("officer__username", "officer__full_name"),
    }[group]
    grouped = (
        found.values(key).annotate(name=Max(label), total=Count("pk"), **LEVEL_COUNTS).order_by()
    )
    out = [Row(r[key] or "", r["name"] or r[key] or "—", _tally(r)) for r in grouped]
    out.sort(key=lambda row: (-row.tally.total, row.key))
    return out


def question_results(
    start: dt.date, end: dt.date, agency_ids: Iterable[int] | None = None
) -> list[Row]:
    """Each question's answers over the ratings of the period, in the questionnaire's order."""
    answers = RatingAnswer.objects.filter(rating__in=ratings_in(start, end, agency_ids))
    grouped = (
        answers.values("question_id")
        .annotate(
            position=Max("question__position"),
            text=Max("question__text"),
            **{
                name: Count("pk", filter=Q(level=level))
                for name, level in (
                    ("very_satisfied", Level.VERY_SATISFIED),
                    ("satisfied", Level.SATISFIED),
                    ("not_satisfied", Level.NOT_SATISFIED),
                )
            },
        )
        .order_by("position", "question_id")
    )
    return [Row(str(r["question_id"]), r["text"], _tally(r)) for r in grouped]


def comments(
    start: dt.date, end: dt.date, agency_ids: Iterable[int] | None = None, limit: int = 50
) -> list[tuple[dt.datetime, str, str, str]]:
    """The latest comments of the period as (when, procedure, level, text): what leaders read,
    without the dossier or the applicant."""
    found = (
        ratings_in(start, end, agency_ids)
        .exclude(comment="")
        .order_by("-created_at")
        .values_list("created_at", "dossier__version__name", "level", "comment")[:limit]
    )
    return [(at, name, str(Level(level).label), text) for at, name, level, text in found]


def public_results(start: dt.date, end: dt.date, group: str) -> tuple[list[Row], int]:
    """The public page's rows for ``group`` (agency or procedure): only groups with at least
    ``MOTCUA_RATING_PUBLIC_MINIMUM`` ratings, and how many groups were left out."""
    if group not in PUBLIC_GROUPS:
        raise ValueError(group)
    minimum = settings.MOTCUA_RATING_PUBLIC_MINIMUM
    rows = results(start, end, group)
    shown = [r for r in rows if r.tally.total >= minimum]
    return shown, len(rows) - len(shown)


def satisfaction_by_agency(
    start: dt.date, end: dt.date, agency_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int]]:
    """Per receiving agency: (ratings made in the period, of which very satisfied or
    satisfied). What the Decision 766 index's satisfaction group measures."""
    rows = (
        ratings_in(start, end, agency_ids)
        .values("dossier__receiving_agency_id")
        .annotate(total=Count("pk"), satisfied=Count("pk", filter=~Q(level=Level.NOT_SATISFIED)))
        .order_by()
    )
    return {r["dossier__receiving_agency_id"]: (r["total"], r["satisfied"]) for r in rows}
