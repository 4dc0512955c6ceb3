"""`motcua serve` (gunicorn) and the readiness check ``/readyz`` (issue #17 item 1,
docs/deployment.md): the command really starts gunicorn, which answers the sign-in page and
``/readyz``, ready once `motcua worker` runs beside it and not ready again when the worker
stops; an instance whose database lacks migrations is alive but not ready."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from motcua.jobs import heartbeat
from motcua.ops.serving import MAX_WORKERS, ServeOptions, default_workers, gunicorn_argv

ROOT = Path(__file__).resolve().parents[2]


def test_workers_are_two_per_core_plus_one_and_capped() -> None:
    assert [default_workers(n) for n in (1, 2, 4, 5, 64)] == [3, 5, 9, 11, MAX_WORKERS]
    argv = gunicorn_argv(
        ServeOptions(host="::", port=8001, workers=0, timeout=60, forwarded_allow_ips="10.0.0.2"),
        core_count=2,
    )
    assert argv[1:4] == ["-m", "gunicorn", "motcua.wsgi:application"]
    joined = " ".join(argv)
    assert "--bind [::]:8001 --workers 5 " in joined
    assert "--forwarded-allow-ips 10.0.0.2" in joined


# The national outbox's figures ride along for monitoring; they never decide readiness
# (integration/tests/test_figures.py).
EMPTY_OUTBOX: dict[str, object] = {
    "depth": 0,
    "pending": 0,
    "blocked": 0,
    "dead": 0,
    "oldest_undelivered_at": None,
    "oldest_age_seconds": None,
    "failures": {},
}


def test_readyz_is_503_on_a_migrated_database_until_a_worker_beats(
    client: Client, db: None
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "migrations": "ok",
        "worker": "no heartbeat: start `motcua worker`",
        "national_outbox": EMPTY_OUTBOX,
    }
    assert "no-cache" in response["Cache-Control"]
    heartbeat.beat("w1", started_at=timezone.now())
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "migrations": "ok",
        "worker": "ok",
        "national_outbox": EMPTY_OUTBOX,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _database_url() -> str:
    """The test database as a URL, for a server in another process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _motcua(database_url: str, data_dir: Path, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
    """``motcua ARGS`` in another process on this database; its log file."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MOTCUA_DATA_DIR": str(data_dir),
        "DEBUG": "true",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = data_dir / f"{args[0]}.log"
    process = subprocess.Popen(  # noqa: S603 - this Python, our command
        [sys.executable, "-m", "motcua", *args],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return process, log


class Server:
    def __init__(self, database_url: str, data_dir: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = ("serve", "--port", str(self.port), "--workers", "1")
        self.process, self.log = _motcua(database_url, data_dir, *args)

    def wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                _get(self.base + "/healthz")
                return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer in 60 s:\n" + self.log.read_text())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[[str], Server]]:
    started: list[Server] = []

    def start(database_url: str) -> Server:
        server = Server(database_url, tmp_path)
        started.append(server)
        server.wait()
        return server

    yield start
    for server in started:
        server.stop()


def _ready_within(base: str, want: int, seconds: float = 60) -> dict[str, str]:
    deadline = time.monotonic() + seconds
    while True:
        status, body = _get(base + "/readyz")
        if status == want or time.monotonic() > deadline:
            assert status == want, body
            return dict(json.loads(body))
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_motcua_serve_runs_gunicorn_which_serves_the_sign_in_page_and_is_ready_with_a_worker(
    serve: Callable[[str], Server], tmp_path: Path
) -> None:
    server = serve(_database_url())
    assert "gunicorn" in server.log.read_text().lower()
    status, html = _get(server.base + "/workspace/login/")
    assert status == 200 and 'name="password"' in html
    assert _ready_within(server.base, 503)["worker"] == "no heartbeat: start `motcua worker`"
    worker, log = _motcua(_database_url(), tmp_path, "worker", "--interval", "0.2")
    try:
        assert _ready_within(server.base, 200)["worker"] == "ok", log.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0, log.read_text()
    # A worker that stops cleanly takes its heartbeat with it.
    assert _ready_within(server.base, 503, seconds=5)["worker"].startswith("no heartbeat")
    server.stop()
    assert server.process.returncode == 0, server.log.read_text()


def test_a_database_without_migrations_is_alive_but_not_ready(
    serve: Callable[[str], Server], tmp_path: Path
) -> None:
    server = serve(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert _get(server.base + "/healthz")[0] == 200
    status, body = _get(server.base + "/readyz")
    assert status == 503
    checks = json.loads(body)
    assert checks["status"] == "error" and checks["database"] == "ok"
    assert checks["migrations"].split()[1:2] == ["unapplied,"], checks
