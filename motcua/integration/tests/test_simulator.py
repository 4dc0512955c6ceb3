"""The national portal simulator, started as ``manage.py national-simulator`` in its own
process and spoken to over HTTP by the real adapter: it keeps what it acknowledges (in its JSON
file too), refuses a wrong token, fails on request, is slow on request and serves a catalogue."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.integration.national import NationalPortal, NationalPortalError
from motcua.integration.simulator import NationalSimulator
from motcua.testing.servers import free_port

ROOT = Path(__file__).resolve().parents[3]
BODY = {"dossier_code": "H56.22-260302-0001", "sequence": 1, "action": "receive"}


@pytest.fixture
def command(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen[str]]]:
    port = free_port()
    store = tmp_path / "received.json"
    process = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "national-simulator",
            "--port",
            str(port),
            "--store",
            str(store),
            "--token",
            "t0ken",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}", store, process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - a local test URL
        return json.loads(answer.read())


def _control(url: str, **behaviour: object) -> None:
    request = urllib.request.Request(  # noqa: S310 - a local test URL
        f"{url}/_control", data=json.dumps(behaviour).encode(), method="POST"
    )
    urllib.request.urlopen(request, timeout=5).close()  # noqa: S310


def test_the_command_keeps_and_acknowledges_what_it_receives(
    command: tuple[str, Path, subprocess.Popen[str]],
) -> None:
    url, store, _process = command
    portal = NationalPortal(url, "t0ken", timeout=5)
    ack = portal.send("sync_dossier", "H56.22-260302-0001:1", BODY)
    assert ack.ack_id == "ACK-000001" and not ack.duplicate
    again = portal.send("sync_dossier", "H56.22-260302-0001:1", BODY)
    assert again.ack_id == "ACK-000001" and again.duplicate
    received = _get(f"{url}/_received")
    assert isinstance(received, list) and len(received) == 1
    assert received[0]["body"] == BODY and received[0]["operation"] == "sync_dossier"
    assert json.loads(store.read_text(encoding="utf-8")) == received
    with pytest.raises(NationalPortalError, match="HTTP 401"):
        NationalPortal(url, "wrong").send("sync_dossier", "k", BODY)
    _control(url, fail=1)
    with pytest.raises(NationalPortalError, match="HTTP 500"):
        portal.send("update_progress", "H56.22-260302-0001:2", BODY | {"sequence": 2})
    assert portal.send("update_progress", "H56.22-260302-0001:2", BODY | {"sequence": 2}).ack_id
    catalogue = portal.fetch_catalogue()  # with the token: without, 401
    assert catalogue["format"] == "motcua-catalogue/1" and catalogue["abolished"] == []
    assert {p["code"] for p in catalogue["procedures"]} >= {"1.001612"}
    with pytest.raises(NationalPortalError, match="HTTP 401"):
        NationalPortal(url, "wrong").fetch_catalogue()


def test_a_slow_portal_is_a_failure_after_the_timeout() -> None:
    simulator = NationalSimulator()
    simulator.behaviour.delay = 1.0
    with simulator.running() as url, pytest.raises(NationalPortalError, match="timed out"):
        NationalPortal(url, timeout=0.2).send("sync_dossier", "k", BODY)
    assert simulator.received == []  # it answered after the client had given up


def test_the_simulator_notes_a_message_out_of_order() -> None:
    simulator = NationalSimulator()
    with simulator.running() as url:
        NationalPortal(url).send("update_progress", "k2", BODY | {"sequence": 2})
    assert simulator.problems == ["H56.22-260302-0001: sequence 2 arrived, 1 expected"]


def test_the_simulator_answers_look_ups_of_the_dossiers_it_was_told_of() -> None:
    """Ours from the messages it kept (national codes as sent); unknown codes are a 404,
    which the adapter reads as ``None``."""
    simulator = NationalSimulator()
    body = BODY | {
        "status": "2",
        "procedure": "2.000720",
        "receiving_agency": "G01",
        "received_at": "2026-03-02T09:00:00+07:00",
        "due_at": "2026-03-09T09:00:00+07:00",
    }
    with simulator.running() as url:
        portal = NationalPortal(url)
        portal.send("sync_dossier", "H56.22-260302-0001:1", body)
        portal.send(
            "update_progress", "H56.22-260302-0001:2", BODY | {"sequence": 2, "status": "3"}
        )
        found = portal.look_up("H56.22-260302-0001")
        assert portal.look_up("H56.22-260302-9999") is None
    assert found is not None
    assert (found.status, found.procedure, found.agency, found.system) == (
        "3",
        "2.000720",
        "G01",
        "MộtCửa",
    )
    assert found.received_at is not None and found.received_at.isoformat() == (
        "2026-03-02T09:00:00+07:00"
    )
