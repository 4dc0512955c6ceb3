"""Two application servers on one PostgreSQL (issue #17 item 4, docs/deployment.md): `motcua
serve` twice, on two ports, in production mode (DEBUG off, so the cache is the database's, the
sessions too), with the report replica configured as the same database. Concurrent intakes and
actions go through both servers, each dossier's steps alternating between them; afterwards the
codes are unique and gap-free per agency and day, the receipt numbers per year, every rollup row
equals a recount of the dossiers, and the report read through either server equals a direct
count. The public tracking rate is one count for every worker of both servers, and the report
reads were made on the replica's connections.

PostgreSQL only: SQLite is one file on one machine, so there is nothing to scale out."""

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import User
from motcua.catalogue.models import Case
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.rollup_check import compare_rollups
from motcua.dossiers.tests.factories import household_business_case
from motcua.testing import Cast
from motcua.tests.test_scale_config import empty_cache_table
from motcua.tests.test_serving import _database_url, _free_port

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
THREADS = 4
PER_THREAD = 4  # dossiers per thread, desk intakes and online submissions in turn
TRACK_RATE = 10  # public lookups per minute per address, for every worker of both servers
CSRF = secrets.token_hex(16)  # 32 characters: a valid CSRF secret for cookie and header


class Server:
    """`motcua serve` in production mode on a free port, logging each request's worker."""

    def __init__(self, env: dict[str, str], log: Path, workers: int) -> None:
        self.port = _free_port()
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603 - this Python, our command
            [
                sys.executable,
                "-m",
                "motcua",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if call(self, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("gunicorn did not answer in 90 s:\n" + self.log.read_text())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def workers_of(self, path_prefix: str) -> list[str]:
        """The worker (process id) that answered each request whose path starts so."""
        found = re.findall(r"^<(\d+)> GET (\S+) ", self.log.read_text(), re.MULTILINE)
        return [pid for pid, path in found if path.startswith(path_prefix)]


def call(
    server: Server,
    method: str,
    path: str,
    *,
    session: str = "",
    body: Any = None,
    files: dict[str, tuple[str, bytes]] | None = None,
) -> tuple[int, Any]:
    """One request (JSON ``body`` or multipart ``files``); the status and the decoded JSON, or
    the text, or the bytes of a file."""
    headers = {"Accept": "application/json"}
    if session:
        headers["Cookie"] = f"sessionid={session}; csrftoken={CSRF}"
        headers["X-CSRFToken"] = CSRF
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if files:
        boundary = secrets.token_hex(12)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
            for field, (name, content) in files.items()
        ]
        data = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    if response.getheader("Content-Type", "").startswith("application/json"):
        return response.status, json.loads(raw)
    return response.status, raw


def session_of(user: User) -> str:
    """A session in the shared database, as a sign-in on any machine would leave."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    if connection.vendor != "postgresql":
        pytest.skip(
            "PostgreSQL only (several machines share one PostgreSQL): runs in the PostgreSQL "
            "leg of make test, DATABASE_URL=postgres://…"
        )
    url = _database_url()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,  # one key for every machine (the sessions' hash)
        "SECURE_SSL_REDIRECT": "false",  # no TLS proxy in front of this test
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": url,  # configuration only: the replica is the same database
        "DB_CONN_MAX_AGE": "60",
        "MOTCUA_DATA_DIR": str(tmp_path),
        # Uploads on a path both "machines" mount (a shared filesystem in production).
        "MOTCUA_STORAGE_URL": f"file://{tmp_path / 'shared-media'}",
        "MOTCUA_TRACK_RATE": f"{TRACK_RATE}/minute",
        "MOTCUA_API_USER_RATE": "100000/minute",
        "GUNICORN_CMD_ARGS": "--access-logformat '%(p)s %(m)s %(U)s %(s)s'",
    }
    env.pop("CACHE_URL", None)  # production's default: the database cache
    # The report pages are HTML with production's hashed static names: collect them once.
    env["STATIC_ROOT"] = str(tmp_path / "static")
    subprocess.run(
        [sys.executable, "-m", "motcua", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    empty_cache_table()
    first = Server(env, tmp_path / "a.log", workers=2)
    second = Server(env, tmp_path / "b.log", workers=3)
    try:
        first.wait()
        second.wait()
        yield first, second
    finally:
        first.stop()
        second.stop()


def _intake(case: Case, agency: str, channel: str) -> dict[str, Any]:
    return {
        "agency": agency,
        "procedure": case.version.procedure.code,
        "channel": channel,
        "applicant": {"name": "Nguyễn Văn Bình", "id_number": "087090001234"},
        "checklist": [{"required_id": d.pk} for d in case.documents.filter(mandatory=True)],
    }


def _in_threads(count: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_two_servers_on_one_postgresql_keep_codes_gap_free_and_rollups_exact(
    servers: tuple[Server, Server], tmp_path: Path
) -> None:
    cast = Cast()
    case = household_business_case(cast.agency)
    sessions = {u.username: session_of(u) for u in [cast.alice, cast.bob, cast.carol, cast.dave]}
    sessions["henry"] = session_of(cast.henry)
    desk = _intake(case, cast.agency.code, "in_person")
    online = _intake(case, cast.agency.code, "online")

    def post(server: Server, user: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, answer = call(server, "POST", path, session=sessions[user], body=body)
        assert status in {200, 201}, (server.port, user, path, status, answer)
        return dict(answer)

    def act(server: Server, user: str, code: str, name: str, body: dict[str, Any]) -> None:
        post(server, user, f"/api/v1/dossiers/{code}/actions/{name}/", body)

    def work(i: int) -> list[str]:
        codes = []
        for j in range(PER_THREAD):

            def on(k: int, i: int = i, j: int = j) -> Server:
                """Each request of a dossier on the other server than the one before."""
                return servers[(i + j + k) % 2]

            if (i + j) % 2 == 0:  # at the desk, then through the whole process
                code = post(on(0), "alice", "/api/v1/dossiers/receive/", desk)["code"]
                act(on(1), "alice", code, "forward", {})
                act(on(2), "bob", code, "forward", {})
                act(on(3), "carol", code, "forward", {})
                act(on(4), "dave", code, "approve", {"result": "Giấy chứng nhận"})
            else:  # online, received at the desk and handed on
                code = post(on(0), "henry", "/api/v1/dossiers/submit/", online)["code"]
                act(on(1), "alice", code, "receive", {})
                act(on(2), "alice", code, "forward", {})
            codes.append(code)
        return codes

    started = time.monotonic()
    codes = [code for batch in _in_threads(THREADS, work) for code in batch]
    drive_seconds = time.monotonic() - started
    total = THREADS * PER_THREAD

    # Codes: unique, and per agency and day 1..n without a gap; receipt numbers likewise.
    assert len(set(codes)) == total == Dossier.objects.count()
    series: dict[str, list[int]] = {}
    for code in Dossier.objects.values_list("code", flat=True):
        prefix, _, number = code.rpartition("-")
        series.setdefault(prefix, []).append(int(number))
    for prefix, numbers in series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), prefix
    receipts = sorted(n or 0 for n in Dossier.objects.values_list("receipt_number", flat=True))
    assert receipts == list(range(1, total + 1))
    actions = Counter(DossierEvent.objects.values_list("action", flat=True))
    assert actions["approve"] == total // 2 and actions["receive"] == total

    # Every rollup row equals a recount of the dossiers.
    comparison = compare_rollups()
    assert comparison.ok, [d.as_json() for d in comparison.sample]
    assert comparison.dossiers == total

    # The report through either server equals a direct count, read on the replica.
    today = timezone.localdate().isoformat()
    received = Dossier.objects.filter(received_at__isnull=False).count()
    resolved = Dossier.objects.filter(finished_at__isnull=False).count()
    for server in servers:
        status, report = call(
            server,
            "GET",
            f"/api/v1/reports/processing/?from={today}&to={today}&group_by=agency",
            session=sessions["carol"],
        )
        assert status == 200, report
        assert report["totals"]["received_total"] == received == total
        assert report["totals"]["resolved_total"] == resolved == total // 2
        # The dashboard and the list of the dossiers behind its "received" number.
        status, page = call(
            server, "GET", f"/workspace/reports/?from={today}&to={today}", session=sessions["carol"]
        )
        assert status == 200, page
        status, page = call(
            server,
            "GET",
            f"/workspace/reports/dossiers/?metric=received&from={today}&to={today}",
            session=sessions["carol"],
        )
        assert status == 200, page
        assert all(code.encode() in page for code in codes)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = 'motcua-reports'"
        )
        replica_queries = [row[0] for row in cursor.fetchall()]
    assert replica_queries, "no connection of the replica alias: the router sent nothing there"
    assert all(q.lstrip().upper().startswith("SELECT") for q in replica_queries), replica_queries

    # Public tracking: one rate for every worker of both servers (the database cache).
    statuses = [
        call(servers[n % 2], "GET", f"/api/v1/public/track/{codes[0]}")[0]
        for n in range(TRACK_RATE + 4)
    ]
    assert statuses == [200] * TRACK_RATE + [429] * 4, statuses
    workers = [set(s.workers_of("/api/v1/public/track/")) for s in servers]
    # The lookups were spread over several worker processes (gunicorn hands each request to
    # whichever is free), and still the count was one.
    assert all(workers) and sum(len(w) for w in workers) >= 3, workers
    # A scan uploaded through one server is read through the other, from the shared storage.
    scan = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
    status, document = call(
        servers[1],
        "POST",
        f"/api/v1/dossiers/{codes[1]}/documents/",
        session=sessions["bob"],  # the specialist who holds it now
        files={"file": ("giay-to.pdf", scan)},
    )
    assert status == 201, document
    status, content = call(
        servers[0],
        "GET",
        f"/api/v1/dossiers/{codes[1]}/documents/{document['id']}/file/",
        session=sessions["bob"],
    )
    assert (status, content) == (200, scan)
    stored = [p for p in (tmp_path / "shared-media").rglob("*") if p.is_file()]
    assert [p.read_bytes() for p in stored] == [scan]
    assert not (tmp_path / "media").exists()  # nothing in a machine's own MEDIA_ROOT

    print(  # the measurement, shown with -s
        f"\n{total} dossiers, {THREADS} threads, {drive_seconds:.1f} s; "
        f"tracking answered by {[len(w) for w in workers]} workers of each server"
    )
