"""``load-demo --history N``: a year of dossiers made through the services, deterministic and
idempotent, with every kind of outcome, counted by the reports (issue #10, item 16)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from motcua.demo.history import build_history
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import Action, Status
from motcua.reports.processing import processing_report

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
