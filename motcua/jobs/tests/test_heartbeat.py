"""The worker's heartbeat in the readiness check: ready while the latest beat of any worker is
younger than MOTCUA_WORKER_HEARTBEAT_MAX_AGE, not ready once it is older or when none beat."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from motcua.jobs import heartbeat
from motcua.jobs.models import WorkerHeartbeat
from motcua.jobs.worker import Loop


@pytest.fixture(autouse=True)
def max_age(settings: SettingsWrapper) -> None:
    settings.MOTCUA_WORKER_HEARTBEAT_MAX_AGE = 120


def test_a_fresh_heartbeat_makes_the_instance_ready(client: Client, db: None) -> None:
    now = timezone.now()
    heartbeat.beat(
        "w1", started_at=now - dt.timedelta(hours=1), now=now - dt.timedelta(seconds=100)
    )
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["worker"] == "ok"


def test_a_stale_heartbeat_makes_it_not_ready(client: Client, db: None) -> None:
    now = timezone.now()
    heartbeat.beat(
        "w1", started_at=now - dt.timedelta(hours=1), now=now - dt.timedelta(seconds=130)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["worker"].startswith("last heartbeat 1")
    assert response.json()["worker"].endswith("s ago, more than 120 s")


def test_the_latest_of_several_workers_counts(db: None) -> None:
    now = timezone.now()
    heartbeat.beat("old", started_at=now, now=now - dt.timedelta(minutes=10))
    assert heartbeat.freshness(now)[0] is False
    heartbeat.beat("new", started_at=now, now=now - dt.timedelta(seconds=5))
    assert heartbeat.freshness(now) == (True, "ok")


def test_the_worker_beats_every_housekeeping_period_and_a_clean_stop_removes_the_beat(
    db: None,
) -> None:
    loop = Loop(housekeeping=3600)
    loop.turn()
    first = WorkerHeartbeat.objects.get(worker_id=loop.worker_id)
    loop.turn()  # within the period: no write
    assert WorkerHeartbeat.objects.get(worker_id=loop.worker_id).beat_at == first.beat_at
    loop.housekeeping = 0
    loop.turn()
    second = WorkerHeartbeat.objects.get(worker_id=loop.worker_id)
    assert second.beat_at > first.beat_at and second.started_at == loop.started_at
    heartbeat.stop(loop.worker_id)
    assert heartbeat.freshness() == (False, "no heartbeat: start `motcua worker`")
