"""Scale-out by configuration (issue #17 item 4, docs/deployment.md): the cache, the storage of
uploads and the read-replica router come from the environment; production's default cache is a
table of the database, created by `motcua migrate`."""

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction

from motcua.catalogue.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.rollup_models import DailyRollup
from motcua.env import (
    CACHE_MAX_ENTRIES,
    DEFAULT_CACHE_TABLE,
    ConfigurationError,
    cache_from_url,
    env_cache,
    storage_from_url,
)
from motcua.replica import ReportsReplicaRouter, reading_reports
from motcua.tests.test_serving import _database_url, _free_port, _get

ROOT = Path(__file__).resolve().parents[2]


def test_the_cache_is_this_process_on_a_laptop_and_the_database_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CACHE_URL", raising=False)
    assert env_cache("CACHE_URL", debug=True)["BACKEND"].endswith("LocMemCache")
    production = env_cache("CACHE_URL", debug=False)
    assert production == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "motcua_cache",
        "OPTIONS": {"MAX_ENTRIES": CACHE_MAX_ENTRIES},
    }
    monkeypatch.setenv("CACHE_URL", "redis://cache.internal:6379/2")
    assert env_cache("CACHE_URL", debug=False) == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/2",
    }


def test_cache_urls_name_a_django_cache_or_fail_at_start_up() -> None:
    assert cache_from_url("C", "locmem://")["OPTIONS"] == {"MAX_ENTRIES": 10000}
    assert cache_from_url("C", "db://rates")["LOCATION"] == "rates"
    assert cache_from_url("C", "rediss://h:6380/0")["LOCATION"] == "rediss://h:6380/0"
    for wrong in ["memcached://h:11211", "db://", "db://x;drop table y", "redis"]:
        with pytest.raises(ConfigurationError, match="C"):
            cache_from_url("C", wrong)


def test_storage_urls_name_a_shared_path_or_an_s3_bucket() -> None:
    assert storage_from_url("S", "file:///srv/motcua/media") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/srv/motcua/media"},
    }
    s3 = storage_from_url(
        "S", "s3://motcua-h56/media?endpoint_url=https://s3.example.vn&addressing_style=path"
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"] | {"access_key": None, "secret_key": None} == {
        "bucket_name": "motcua-h56",
        "location": "media",
        "endpoint_url": "https://s3.example.vn",
        "addressing_style": "path",
        "default_acl": "private",
        "file_overwrite": False,
        "querystring_auth": True,
        "access_key": None,
        "secret_key": None,
    }
    for wrong in ["file://relative/path", "s3:///media", "s3://b?acl=public-read", "ftp://x/y"]:
        with pytest.raises(ConfigurationError, match="S"):
            storage_from_url("S", wrong)


@pytest.mark.django_db(transaction=True)
def test_the_router_sends_report_reads_to_the_replica_and_the_rest_to_the_primary() -> None:
    router = ReportsReplicaRouter()
    assert router.db_for_read(Dossier) == "default"  # a service's read: the primary
    with reading_reports():
        assert router.db_for_read(Dossier) == "replica"
        assert router.db_for_read(DailyRollup) == "replica"
        assert router.db_for_read(Procedure) == "replica"
        assert router.db_for_read(Session) == "default"  # shared state stays on the primary
        assert router.db_for_write(Dossier) == "default"
        with transaction.atomic():  # a report that writes reads its own writes
            assert router.db_for_read(DailyRollup) == "default"
    assert router.db_for_read(DailyRollup) == "default"
    assert router.allow_migrate("default", "dossiers") is True
    assert router.allow_migrate("replica", "dossiers") is False


def test_migrate_creates_the_production_cache_table(tmp_path: Path) -> None:
    """With DEBUG off and no CACHE_URL, `motcua migrate` leaves the cache's table ready."""
    database = tmp_path / "db.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    result = subprocess.run(
        [sys.executable, "-m", "motcua", "migrate", "-v0"],
        cwd=ROOT,
        env={
            **env,
            "DEBUG": "false",
            "SECRET_KEY": "s" * 50,
            "DATABASE_URL": f"sqlite:///{database}",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "motcua_cache" in tables


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A Redis server of this test's own, on a free port (skipped where none is installed)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - the installed server, fixed arguments
        [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "no redis"
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


RATE = 6


def empty_cache_table() -> None:
    """Empty the database cache's table of the test database, if a server made it: the test
    database's flush leaves it (it is no model's), and the counts of an earlier test's server
    would carry over into this one's."""
    if DEFAULT_CACHE_TABLE in connection.introspection.table_names():
        DatabaseCache(DEFAULT_CACHE_TABLE, {}).clear()


def _workers(log: Path) -> list[str]:
    """The worker pid of each public tracking look-up in the server's access log."""
    return re.findall(r"^<(\d+)> GET /api/v1/public/track/", log.read_text(), re.MULTILINE)


@pytest.mark.parametrize("cache", ["db", "redis"])
@pytest.mark.django_db(transaction=True)
def test_a_request_rate_is_one_count_for_every_worker(
    cache: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """`motcua serve` with 3 workers in production mode: the public tracking rate trips after
    RATE lookups in all, not RATE per worker, with the default database cache and with Redis."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "CACHE_URL"}},
        "DEBUG": "false",
        "SECRET_KEY": "s" * 50,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": _database_url(),
        "MOTCUA_DATA_DIR": str(tmp_path),
        "MOTCUA_TRACK_RATE": f"{RATE}/minute",
        "GUNICORN_CMD_ARGS": "--access-logformat '%(p)s %(m)s %(U)s %(s)s'",
    }
    if cache == "redis":
        env["CACHE_URL"] = request.getfixturevalue("redis_url")
    empty_cache_table()
    port = _free_port()
    log = tmp_path / "serve.log"
    server = subprocess.Popen(  # noqa: S603 - this Python, our command
        [sys.executable, "-m", "motcua", "serve", "--port", str(port), "--workers", "3"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(base + "/healthz")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        track = f"{base}/api/v1/public/track/H56.22-260302-0001"
        statuses = [_get(track)[0] for _ in range(9)]
        # The kernel may hand every one of those connections to the same worker: go on (each
        # answer must stay 429) until the log shows a second worker has answered, so that the
        # test proves one count across workers instead of passing or failing by chance.
        later: list[int] = []
        deadline = time.monotonic() + 60
        while len(set(_workers(log))) < 2 and time.monotonic() < deadline:
            later += [_get(track)[0] for _ in range(5)]
            time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert statuses == [404] * RATE + [429] * 3, (statuses, log.read_text())
    assert set(later) <= {429}, (later, log.read_text())
    workers = _workers(log)
    assert len(set(workers)) >= 2, workers  # several workers answered, and one count held
    print(f"\n{cache}: lookups answered by workers {Counter(workers)}")  # shown with -s
