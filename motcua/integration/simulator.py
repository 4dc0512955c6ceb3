"""A stand-in for the National Public Service Portal (``motcua national-simulator``): a small
HTTP server on localhost for tests and the demo, speaking the format ``national.py`` assumes.

It keeps every message it accepts (in memory, and in a JSON file when given one) and answers
``{"ack_id": ...}``; a message whose ``Idempotency-Key`` it has already accepted is answered
with the same ack and ``"duplicate": true`` and not kept twice. It notes any message that
arrives out of order for its dossier (``problems``). Its behaviour can be changed while it
runs, through ``POST /_control`` with JSON or the ``Behaviour`` object in-process: ``fail``
answers the next N requests with ``status`` (500), ``down`` answers every one with it, ``delay``
waits that many seconds before answering, ``duplicate_acks`` answers every message with the
previous ack id. ``GET /_received`` lists what it kept; ``GET /catalogue`` serves the national
catalogue to pull, which ``POST /_catalogue`` (a whole new catalogue) changes; ``GET
/dossiers/<code>`` answers a look-up of a dossier it knows: one another system received
(``POST /_dossiers``) or one of ours, from the messages it kept.
"""

import copy
import itertools
import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

OPERATIONS = {
    "/dossiers/sync": "sync_dossier",
    "/dossiers/progress": "update_progress",
    "/ratings/sync": "sync_ratings",
    "/questions/sync": "sync_questions",
}


def _case(name: str, days: str, documents: list[str], fee: int) -> dict[str, Any]:
    return {
        "code": "1",
        "name": name,
        "processing_time": days,
        "time_unit": "working_days",
        "documents": [{"name": d, "form": "original", "copies": 1} for d in documents],
        "fees": [{"kind": "charge", "name": "Lệ phí", "amount": fee}] if fee else [],
    }


# The national catalogue it serves unless told otherwise (``--catalogue``, ``POST /_catalogue``):
# the format ``NationalPortal.fetch_catalogue`` assumes, our interchange format with an
# ``abolished`` list.
SAMPLE_CATALOGUE: dict[str, Any] = {
    "format": "motcua-catalogue/1",
    "fields": [
        {"code": "HKD", "name": "Thành lập và hoạt động của hộ kinh doanh"},
        {"code": "HT", "name": "Hộ tịch"},
    ],
    "decisions": [
        {
            "number": "1123/QĐ-BKHĐT",
            "signed_on": "2025-06-20",
            "issuer": "Bộ Kế hoạch và Đầu tư",
            "effective_from": "2025-07-01",
        },
        {
            "number": "1872/QĐ-BTP",
            "signed_on": "2025-06-25",
            "issuer": "Bộ Tư pháp",
            "effective_from": "2025-07-01",
        },
    ],
    "procedures": [
        {
            "code": "1.001612",
            "name": "Đăng ký thành lập hộ kinh doanh",
            "field": "HKD",
            "levels": ["commune"],
            "competent_authority": "Ủy ban nhân dân cấp xã",
            "online_level": "full",
            "decision": "1123/QĐ-BKHĐT",
            "cases": [
                _case(
                    "Đăng ký thành lập hộ kinh doanh",
                    "3",
                    ["Giấy đề nghị đăng ký hộ kinh doanh"],
                    100000,
                )
            ],
        },
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "field": "HT",
            "levels": ["commune"],
            "competent_authority": "Ủy ban nhân dân cấp xã",
            "online_level": "full",
            "decision": "1872/QĐ-BTP",
            "cases": [_case("Đăng ký khai sinh đúng hạn", "1", ["Tờ khai đăng ký khai sinh"], 0)],
        },
    ],
    "abolished": [],
}


def _stream(body: dict[str, Any]) -> str:
    """What a message's sequence counts in: its dossier (events, rating) or its feedback."""
    if body.get("feedback_code"):
        return f"feedback:{body['feedback_code']}"
    return str(body.get("dossier_code"))


@dataclass
class Behaviour:
    fail: int = 0  # answer the next N requests with ``status``
    down: bool = False  # answer every request with ``status``
    status: int = 500
    delay: float = 0.0  # seconds before each answer
    duplicate_acks: bool = False  # answer each message with the previous ack id


@dataclass
class Received:
    key: str
    operation: str
    body: dict[str, Any]
    ack_id: str
    received_at: float


@dataclass
class NationalSimulator:
    """The server's state: what it received and how it behaves; ``serve`` runs it."""

    token: str = ""
    store: Path | None = None
    catalogue: dict[str, Any] = field(default_factory=lambda: copy.deepcopy(SAMPLE_CATALOGUE))
    behaviour: Behaviour = field(default_factory=Behaviour)
    received: list[Received] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Dossiers it can be asked about (``GET /dossiers/<code>``): those received by other
    # systems (``POST /_dossiers``) and ours, as the messages it kept describe them.
    dossiers: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: int = 0
    _acks: dict[str, str] = field(default_factory=dict)
    _counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def accept(self, operation: str, key: str, body: dict[str, Any]) -> tuple[str, bool]:
        """Keep a message (once per key); its ack id and whether it was a duplicate."""
        with self._lock:
            if key in self._acks:
                return self._acks[key], True
            if self.behaviour.duplicate_acks and self.received:
                ack_id = self.received[-1].ack_id
            else:
                ack_id = f"ACK-{next(self._counter):06d}"
            code = _stream(body)
            kept = [r.body.get("sequence") for r in self.received if _stream(r.body) == code]
            expected = (kept[-1] if kept else 0) + 1  # type: ignore[operator]
            if body.get("sequence") != expected:
                self.problems.append(
                    f"{code}: sequence {body.get('sequence')} arrived, {expected} expected"
                )
            self._acks[key] = ack_id
            self.received.append(Received(key, operation, body, ack_id, time.time()))
            self._note_dossier(body)
            self._save()
            return ack_id, False

    def _note_dossier(self, body: dict[str, Any]) -> None:
        """Keep what a dossier's message says of it, for look-ups (national codes, as sent)."""
        code = body.get("dossier_code")
        if not code or "status" not in body:
            return
        dossier = self.dossiers.setdefault(code, {"dossier_code": code, "system": "MộtCửa"})
        dossier["status_name"] = body["status"]
        for ours, theirs in (("procedure", "procedure_name"), ("receiving_agency", "agency_name")):
            if body.get(ours):
                dossier[theirs] = body[ours]
        for name in ("received_at", "due_at"):
            if body.get(name):
                dossier[name] = body[name]

    def _save(self) -> None:
        if self.store is None:
            return
        temporary = self.store.with_suffix(".tmp")
        temporary.write_text(
            json.dumps([asdict(r) for r in self.received], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        temporary.replace(self.store)

    def failing_now(self) -> bool:
        with self._lock:
            self.requests += 1
            if self.behaviour.down:
                return True
            if self.behaviour.fail > 0:
                self.behaviour.fail -= 1
                return True
            return False

    def server(self, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
        simulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet in tests
                pass

            def _answer(self, status: int, body: object) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> Any:
                length = int(self.headers.get("Content-Length") or 0)
                return json.loads(self.rfile.read(length) or b"{}")

            def _authorised(self) -> bool:
                if simulator.token and self.headers.get("Authorization") != (
                    f"Bearer {simulator.token}"
                ):
                    self._answer(401, {"error": "bad token"})
                    return False
                return True

            def do_GET(self) -> None:
                if self.path == "/_received":
                    self._answer(200, [asdict(r) for r in simulator.received])
                    return
                if self.path != "/catalogue" and not self.path.startswith("/dossiers/"):
                    self._answer(404, {"error": "not found"})
                    return
                if not self._authorised():
                    return
                if simulator.behaviour.delay:
                    time.sleep(simulator.behaviour.delay)
                if simulator.failing_now():
                    self._answer(simulator.behaviour.status, {"error": "simulated failure"})
                    return
                with simulator._lock:
                    if self.path == "/catalogue":
                        self._answer(200, simulator.catalogue)
                        return
                    code = urllib.parse.unquote(self.path.removeprefix("/dossiers/"))
                    dossier = simulator.dossiers.get(code)
                if dossier is None:
                    self._answer(404, {"error": "no such dossier"})
                else:
                    self._answer(200, dossier)

            def do_POST(self) -> None:
                if self.path == "/_control":
                    for name, value in self._body().items():
                        if hasattr(simulator.behaviour, name):
                            setattr(simulator.behaviour, name, value)
                    self._answer(200, asdict(simulator.behaviour))
                    return
                if self.path == "/_dossiers":  # a dossier received by another system
                    dossier = self._body()
                    with simulator._lock:
                        simulator.dossiers[str(dossier["dossier_code"])] = dossier
                    self._answer(200, {"dossiers": len(simulator.dossiers)})
                    return
                if self.path == "/_catalogue":  # the national catalogue changes
                    catalogue = self._body()
                    with simulator._lock:
                        simulator.catalogue = catalogue
                    self._answer(200, {"procedures": len(catalogue.get("procedures", []))})
                    return
                operation = OPERATIONS.get(self.path)
                if operation is None:
                    self._answer(404, {"error": "no such operation"})
                    return
                if not self._authorised():
                    return
                body = self._body()
                if simulator.behaviour.delay:
                    time.sleep(simulator.behaviour.delay)
                if simulator.failing_now():
                    self._answer(simulator.behaviour.status, {"error": "simulated failure"})
                    return
                key = self.headers.get("Idempotency-Key") or ""
                if not key:
                    self._answer(400, {"error": "Idempotency-Key required"})
                    return
                ack_id, duplicate = simulator.accept(operation, key, body)
                self._answer(200, {"ack_id": ack_id, "duplicate": duplicate})

        return ThreadingHTTPServer((host, port), Handler)

    @contextmanager
    def running(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve in a thread for the block; yields the base URL."""
        server = self.server(host, port)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{host}:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
