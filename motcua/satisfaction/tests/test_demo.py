"""The demo (``load-demo``, with and without ``--history``) makes ratings through the service,
so the 766 index's satisfaction group earns points from the demo's data and says how; the
citizen's own returned dossier is left for them to rate."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.demo.history import build_history
from motcua.dossiers.models import Dossier
from motcua.reports.index766 import service_index
from motcua.satisfaction.models import Rating, RatingChannel


@pytest.mark.django_db
def test_the_demo_rates_returned_dossiers_and_the_index_earns_satisfaction_points() -> None:
    call_command("load-demo", stdout=StringIO())
    ratings = Rating.objects.select_related("officer")
    assert ratings.count() == 2
    assert {r.channel for r in ratings} == {RatingChannel.KIOSK}
    assert {r.officer.username for r in ratings if r.officer} == {"mytho"}
    assert sorted(r.level for r in ratings) == ["not_satisfied", "very_satisfied"]
    own = Dossier.objects.filter(owner__username="congdan", status="10")
    assert own.exists() and not Rating.objects.filter(dossier__in=own).exists()

    today = timezone.localdate()
    card = service_index(today - dt.timedelta(days=30), today).agency("H82.50.01")
    component = card.component("satisfaction")
    assert component.points == 9  # 1 of 2 satisfied × 18
    assert component.explanation == "1/2 = 50 % × 18 = 9.0"

    outcomes = build_history(timezone.now(), 60, progress=lambda _text: None)
    assert outcomes["rated"] > 10
    year = service_index(today - dt.timedelta(days=366), today).totals
    points = year.component("satisfaction").points
    assert 12 < points < 18, year.component("satisfaction").explanation
