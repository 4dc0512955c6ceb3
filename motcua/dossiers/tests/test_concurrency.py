"""Under concurrency: intake from 8 parallel workers gets unique, gap-free codes and receipt
numbers; two officers acting on one dossier at once: one wins, the other gets a clear conflict,
nothing is corrupt.
Runs on whichever database the suite runs on (SQLite and PostgreSQL legs)."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connections
from django.utils import translation

from motcua.dossiers import intake, services
from motcua.dossiers.errors import ActionRefused, DossierConflict
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import at, complete_intake, household_business_case
from motcua.testing import Cast

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 8
PER_WORKER = 5


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; each closes its connection."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        barrier.wait()
        try:
            with translation.override("en"):  # threads do not inherit the test's language
                return work(i)
        except Exception as exc:  # returned to the test to inspect
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_parallel_intake_gets_unique_gap_free_codes(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    now = at("2026-03-02T09:00")

    def receive_five(_: int) -> list[str]:
        return [
            intake.receive_new_dossier(
                complete_intake(case), agency=cast.agency, actor=cast.alice, now=now
            ).code
            for _ in range(PER_WORKER)
        ]

    results = _in_threads(WORKERS, receive_five)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    codes = sorted(code for batch in results for code in batch)
    expected = [f"H56.22-260302-{n:04d}" for n in range(1, WORKERS * PER_WORKER + 1)]
    assert codes == expected
    assert Dossier.objects.count() == WORKERS * PER_WORKER
    assert DossierEvent.objects.filter(action="receive").count() == WORKERS * PER_WORKER
    # The yearly receipt numbers (Form 01) are locked the same way: unique and gap-free.
    receipts = sorted(n or 0 for n in Dossier.objects.values_list("receipt_number", flat=True))
    assert receipts == list(range(1, WORKERS * PER_WORKER + 1))


def test_two_officers_acting_at_once_one_wins_and_one_gets_a_conflict(cast: Cast) -> None:
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    services.forward(dossier, actor=cast.alice)
    seen = dossier.revision

    def act(i: int) -> str:
        target = Dossier.objects.get(pk=dossier.pk)
        if i == 0:
            services.request_supplement(
                target, actor=cast.bob, items=["Bản sao CCCD"], expected_revision=seen
            )
        else:
            services.forward(target, actor=cast.bob, expected_revision=seen)
        return "ok"

    results = _in_threads(2, act)
    assert results.count("ok") == 1
    [failure] = [r for r in results if r != "ok"]
    assert isinstance(failure, DossierConflict | ActionRefused)
    assert "changed by someone else" in str(failure) or "may not" in str(failure)
    dossier.refresh_from_db()
    assert dossier.revision == seen + 1
    assert dossier.events.count() == 3  # receive, forward, and exactly one of the two
    assert dossier.steps.filter(status="active").count() <= 1
