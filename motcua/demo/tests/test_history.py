"""``load-demo --history N``: a year of dossiers made through the services, deterministic and
idempotent, with every kind of outcome, counted by the reports (issue #10, item 16)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from motcua.demo.history import apology_date, build_history
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import Action, Status
from motcua.reports.processing import processing_report
from motcua.workdays.clock import CalendarSpec

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


def made(base: set[int]) -> list[tuple[str, str, str, str]]:
    return list(
        Dossier.objects.exclude(pk__in=base)
        .order_by("pk")
        .values_list("code", "applicant_name", "status", "channel")
    )


@pytest.mark.django_db(transaction=False)
def test_the_history_is_made_through_the_services_deterministic_and_idempotent() -> None:
    call_command("load-demo", stdout=StringIO())
    base = set(Dossier.objects.values_list("pk", flat=True))
    runs = []
    for _ in range(2):
        with transaction.atomic():
            outcomes = build_history(NOW, 80, progress=lambda _text: None)
            runs.append((outcomes, made(base)))
            transaction.set_rollback(True)
    assert runs[0] == runs[1]  # same seed, same dossiers

    outcomes = build_history(NOW, 80, progress=lambda _text: None)
    assert outcomes == runs[0][0]
    assert sum(outcomes[k] for k in ("early", "on_time", "late", "refused", "withdrawn")) == 80
    assert {"early", "on_time", "late", "refused", "withdrawn", "supplement", "transferred"} <= set(
        outcomes
    )
    history = Dossier.objects.exclude(pk__in=base)
    assert history.count() == 80
    assert history.values("receiving_agency").distinct().count() == 3
    assert {"in_person", "online", "post"} <= set(history.values_list("channel", flat=True))
    assert history.filter(status=Status.RETURNED).exists()
    # Through the services: every dossier has its events (received, forwarded, …).
    assert not history.exclude(pk__in=DossierEvent.objects.values("dossier")).exists()
    assert DossierEvent.objects.filter(action=Action.EXTEND, dossier__in=history).exists()
    assert DossierEvent.objects.filter(action=Action.TRANSFER, dossier__in=history).exists()

    assert build_history(NOW, 80, progress=lambda _text: None) == {}  # idempotent
    assert history.count() == 80

    report = processing_report(start=NOW.date() - dt.timedelta(days=366), end=NOW.date(),
                               group_by="agency")  # fmt: skip
    totals = report.totals
    assert totals.resolved_early > totals.resolved_late > 0


VN = CalendarSpec()


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant in November 2026, Vietnam time (the 13th is a Friday)."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=VN.tz)


@pytest.mark.parametrize(
    ("finish", "due_at", "now", "expected"),
    [
        # A supplement pause moved the due date past the planned finish: one working day after
        # the due date (the old ``finish + 1 day`` fell before it and the engine refused).
        (at(10, 10), at(11, 15, 12), at(9, 9), at(12, 15, 12)),
        # Finishing after the due date: one working day after the finish, over the weekend.
        (at(13, 14), at(12, 9), at(11, 8), at(16, 14)),
        # The apology is written last, after the due date and the planned finish.
        (at(10, 16), at(10, 9), at(10, 16, 30), at(11, 16, 30)),
        # From outside working hours the working day is counted from the next opening.
        (at(13, 18), at(12, 9), at(11, 8), at(16, 17)),
    ],
)
def test_the_apology_date_is_one_working_day_after_the_latest_of_finish_due_date_and_now(
    finish: dt.datetime, due_at: dt.datetime, now: dt.datetime, expected: dt.datetime
) -> None:
    got = apology_date(finish=finish, due_at=due_at, now=now, spec=VN)
    assert got == expected
    assert got > max(finish, due_at, now)  # what ``services.extend`` requires
