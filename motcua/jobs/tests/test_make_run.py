"""`make run` (scripts/run) starts the job worker next to the development server: once the
demo data is loaded, /readyz on the served port reports the worker's heartbeat, and Ctrl+C
stops the worker too (it removes its heartbeat on a clean stop)."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from motcua.jobs.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    """The test database as a URL, for the script's processes."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{user}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _readyz(port: int) -> tuple[int, str]:
    url = f"http://127.0.0.1:{port}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


@pytest.mark.django_db(transaction=True)
def test_make_run_serves_with_the_worker_beside_it_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "VENV": str(Path(sys.executable).parent.parent),
        "PYTHONPATH": str(ROOT),  # this checkout's code, whichever the virtual environment holds
        "PORT": str(port),
        "HISTORY": "0",
        "DATABASE_URL": _database_url(),
        "MOTCUA_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "run.log"
    script = subprocess.Popen(  # noqa: S603 - the repository's own script
        ["/bin/sh", str(ROOT / "scripts" / "run")],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 420
        status, body = _readyz(port)
        while status != 200 and time.monotonic() < deadline:
            assert script.poll() is None, log.read_text()
            time.sleep(0.5)
            status, body = _readyz(port)
        assert status == 200, body + log.read_text()
        assert '"worker": "ok"' in body
        assert WorkerHeartbeat.objects.count() == 1
    finally:
        os.killpg(script.pid, signal.SIGINT)  # Ctrl+C reaches the terminal's process group
        try:
            script.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
    assert "motcua worker" in log.read_text()
    assert WorkerHeartbeat.objects.count() == 0, log.read_text()
