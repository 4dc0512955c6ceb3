"""`make run` (scripts/run) starts the job worker next to the development server: once the
demo data is loaded, /readyz on the served port reports the worker's heartbeat, and Ctrl+C
stops the worker too (it removes its heartbeat on a clean stop)."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _heartbeats(database: Path) -> int:
    """The worker heartbeats in the script's own database."""
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT COUNT(*) FROM jobs_workerheartbeat").fetchone()[0])


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


def test_make_run_serves_with_the_worker_beside_it_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    port = _free_port()
    database = tmp_path / "run.sqlite3"
    env = {
        **os.environ,
        "VENV": str(Path(sys.executable).parent.parent),
        "PYTHONPATH": str(ROOT),  # this checkout's code, whichever the virtual environment holds
        "PORT": str(port),
        "HISTORY": "0",
        # `make run` is the SQLite default: a database of its own, as on a fresh machine (the
        # test database's migration data may have been flushed by an earlier test).
        "DATABASE_URL": f"sqlite:///{database}",
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
        assert _heartbeats(database) == 1
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGINT)  # Ctrl+C reaches the terminal's process group
        try:
            script.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(script.pid, signal.SIGKILL)
            script.wait()
    assert "motcua worker" in log.read_text()
    assert _heartbeats(database) == 0, log.read_text()
