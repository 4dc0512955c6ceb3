"""Bring the rollups of existing dossiers to the rules of 0011 (issue 11 item 4), without
rebuilding them: a withdrawn dossier (status 7) moves from ``finished_<outcome>`` to
``withdrawn`` on the day it was withdrawn, and a dossier waiting for a supplement or a payment
(status 5 or 6) with a due date loses its ``overdue_from`` key (its clock is stopped), on the
daily rows and on the year, month and day rows of its agency.

Frozen models only; the date-level rules are copied here as they stood when this was written
(``deadlines.classify_finished``, ``rollup.Fact.keys``)."""

import datetime as dt
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models import F

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = dt.timedelta(days=1)


def _day(instant: dt.datetime) -> dt.date:
    return instant.astimezone(VIETNAM).date()


def _outcome(finished: dt.datetime, due: dt.datetime | None) -> str:
    if due is None:
        return "on_time"
    done, by = _day(finished), _day(due)
    return "early" if done < by else "on_time" if done == by else "late"


def _deltas(apps: Any) -> Counter[tuple[int, int, str, dt.date, str]]:
    """+1/−1 per (agency, version, channel, day, counter) to move to the new rules."""
    dossier = apps.get_model("dossiers", "Dossier")
    deltas: Counter[tuple[int, int, str, dt.date, str]] = Counter()
    columns = ("receiving_agency_id", "version_id", "channel", "status", "received_at")
    withdrawn = dossier.objects.filter(
        status="7", received_at__isnull=False, finished_at__isnull=False
    ).values_list(*columns, "due_at", "finished_at")
    for agency, version, channel, _status, _received, due, finished in withdrawn.iterator():
        day = _day(finished)
        deltas[(agency, version, channel, day, f"finished_{_outcome(finished, due)}")] -= 1
        deltas[(agency, version, channel, day, "withdrawn")] += 1
    stopped = dossier.objects.filter(
        status__in=["5", "6"], received_at__isnull=False, due_at__isnull=False
    ).values_list(*columns, "due_at")
    for agency, version, channel, _status, received, due in stopped.iterator():
        day = max(_day(due) + ONE_DAY, _day(received))
        deltas[(agency, version, channel, day, "overdue_from")] -= 1
    return deltas


def _apply(apps: Any, sign: int) -> None:
    daily = apps.get_model("dossiers", "DailyRollup")
    agency_rollup = apps.get_model("dossiers", "AgencyRollup")
    per_agency: Counter[tuple[int, str, dt.date, str]] = Counter()
    for (agency, version, channel, day, counter), delta in sorted(_deltas(apps).items()):
        if not delta:
            continue
        daily.objects.filter(agency_id=agency, version_id=version, channel=channel, day=day).update(
            **{counter: F(counter) + sign * delta}
        )
        for grain, start in (
            ("year", day.replace(month=1, day=1)),
            ("month", day.replace(day=1)),
            ("day", day),
        ):
            per_agency[(agency, grain, start, counter)] += delta
    for (agency, grain, start, counter), delta in sorted(per_agency.items()):
        if delta:
            agency_rollup.objects.filter(agency_id=agency, grain=grain, start=start).update(
                **{counter: F(counter) + sign * delta}
            )


def forward(apps: Any, schema_editor: Any) -> None:
    _apply(apps, 1)


def backward(apps: Any, schema_editor: Any) -> None:
    _apply(apps, -1)


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0014_rollup_withdrawn")]

    operations = [migrations.RunPython(forward, backward)]
