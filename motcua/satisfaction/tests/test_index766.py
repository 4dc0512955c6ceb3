"""The Decision 766 index's satisfaction group from real ratings: the share of the period's
ratings very satisfied or satisfied × 18, per receiving agency, with how it was earned; no
ratings in the period scores 0 and says why."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from motcua.catalogue.models import Case
from motcua.reports.index766 import service_index
from motcua.satisfaction import services
from motcua.satisfaction.models import Level, Questionnaire
from motcua.satisfaction.tests.factories import answers, returned_dossier
from motcua.testing import Cast


def rated(cast: Cast, case: Case, level: str, now: dt.datetime | None = None) -> None:
    dossier = returned_dossier(cast, case, owner=cast.henry)
    services.rate(dossier, actor=cast.henry, level=level, answers=answers(), now=now)


def test_satisfaction_points_are_the_share_satisfied_times_eighteen(
    cast: Cast, birth: Case, asked: Questionnaire
) -> None:
    for level in (Level.VERY_SATISFIED, Level.SATISFIED, Level.NOT_SATISFIED):
        rated(cast, birth, level)
    # A rating of another period is not counted.
    rated(cast, birth, Level.NOT_SATISFIED, now=timezone.now() + dt.timedelta(days=40))
    today = timezone.localdate()
    index = service_index(today, today)
    component = index.agency("H56.22").component("satisfaction")
    assert (component.measure.numerator, component.measure.denominator) == (2, 3)
    assert component.points == Decimal("12.00")
    assert component.explanation == "2/3 = 66.67 % × 18 = 12.0"
    assert index.agency("H56.22").group("satisfaction").points == Decimal("12.00")
    assert index.totals.component("satisfaction").explanation == "2/3 = 66.67 % × 18 = 12.0"
    described = component.as_dict()["measure_description"]
    assert "very satisfied or satisfied" in described


def test_a_period_without_ratings_scores_zero_and_says_so(
    cast: Cast, birth: Case, asked: Questionnaire
) -> None:
    rated(cast, birth, Level.SATISFIED)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    card = service_index(yesterday, yesterday).totals
    component = card.component("satisfaction")
    assert component.points == 0 and not component.measure.has_data
    assert "no satisfaction ratings in the period" in component.explanation
