"""The simulated visitors of the tracking benchmark (``bench/tracking.py``): plain asyncio HTTP/1.1
clients, one connection per request as gunicorn's synchronous workers answer (``Connection:
close``), so that the load generator costs little of the two cores it shares with the server.

Each client is a person at a browser or a program: it picks one of ``MIX``'s lookups, makes it,
then thinks for a random time (exponential, mean ``think`` seconds; 0 makes the client
closed-loop: its next request leaves as soon as the answer is read) and starts again. Every
request comes from an address of its own (``X-Forwarded-For``, which the production server
trusts behind the proxy), so the per-address rate is counted for every lookup, as it would be for
the public, without the benchmark tripping over it; ``X-Forwarded-Proto: https`` stands for the
TLS proxy."""

import asyncio
import random
import re
import time
import urllib.parse
from dataclasses import dataclass, field

from motcua.dossiers.codes import PIN_ALPHABET, PIN_LENGTH

HOST = "127.0.0.1"
# name: (weight, what the answer's status must be)
MIX: dict[str, tuple[int, int]] = {
    "page": (30, 200),  # /tra-cuu/<code>, a code that exists
    "page_unknown": (10, 404),  # /tra-cuu/<code>, no such code
    "page_pin": (10, 200),  # then the form posted with the code and its PIN
    "page_wrong_pin": (5, 404),  # the form posted with a wrong PIN
    "api": (25, 200),  # /api/v1/public/track/<code>
    "api_unknown": (5, 404),
    "api_pin": (10, 200),  # ?pin=<its PIN>
    "api_wrong_pin": (5, 404),
}
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Tally:
    """Latencies (seconds) by request kind, and the answers with an unexpected status."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    wrong: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    recording: bool = False
    # Every request answered, warm-up included (for the CPU per request).
    served: int = 0
    # Answers recorded before the end of the run (for the rate; later ones are the requests
    # still in flight at the end, whose latencies count).
    until: float = float("inf")
    in_time: int = 0

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        self.served += 1
        if not self.recording:
            return
        self.latencies.setdefault(kind, []).append(seconds)
        self.in_time += time.perf_counter() <= self.until
        if not ok:
            self.wrong[kind] = self.wrong.get(kind, 0) + 1


async def request(
    port: int, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> Answer:
    """One request on a fresh connection, read to the end."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        raw = await reader.read(-1)
    finally:
        writer.close()
    head, _, content = raw.partition(b"\r\n\r\n")
    first, *rest = head.decode("latin-1").split("\r\n")
    found: dict[str, str] = {}
    for line in rest:
        name, _, value = line.partition(":")
        found.setdefault(name.strip().lower(), value.strip())
    return Answer(int(first.split()[1]), found, content)


def address(rng: random.Random) -> str:
    return f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def wrong_pin(rng: random.Random) -> str:
    return "".join(rng.choice(PIN_ALPHABET) for _ in range(PIN_LENGTH))


@dataclass
class Visitor:
    port: int
    known: list[tuple[str, str]]  # (code, PIN)
    unknown: list[str]
    tally: Tally
    rng: random.Random

    def headers(self) -> dict[str, str]:
        return {"X-Forwarded-For": address(self.rng), "X-Forwarded-Proto": "https"}

    async def timed(
        self, kind: str, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> Answer | None:
        started = time.perf_counter()
        try:
            answer = await request(self.port, method, path, headers, body)
        except OSError:
            self.tally.failed += 1 if self.tally.recording else 0
            return None
        self.tally.add(kind, time.perf_counter() - started, answer.status == MIX[kind][1])
        return answer

    async def page_post(self, kind: str, code: str, pin: str) -> None:
        """The page for ``code``, then its form posted with ``pin`` (both timed, apart)."""
        headers = self.headers()
        page = await self.timed("page", "GET", f"/tra-cuu/{urllib.parse.quote(code)}", headers)
        token = TOKEN.search(page.body) if page else None
        cookie = page.headers.get("set-cookie", "").split(";")[0] if page else ""
        if token is None or not cookie:
            self.tally.wrong[kind] = self.tally.wrong.get(kind, 0) + 1
            return
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "code": code, "pin": pin}
        ).encode()
        headers |= {
            "Cookie": cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/tra-cuu/{urllib.parse.quote(code)}",
        }
        await self.timed(kind, "POST", "/tra-cuu/", headers, body)

    async def one(self, kind: str) -> None:
        code, pin = self.rng.choice(self.known)
        if kind.endswith("unknown"):
            code = self.rng.choice(self.unknown)
        if kind.endswith("wrong_pin"):
            pin = wrong_pin(self.rng)
        if kind.startswith("page_") and kind != "page_unknown":
            await self.page_post(kind, code, pin)
            return
        if kind.startswith("page"):
            await self.timed(kind, "GET", f"/tra-cuu/{urllib.parse.quote(code)}", self.headers())
            return
        query = f"?pin={pin}" if kind.endswith("pin") else ""
        path = f"/api/v1/public/track/{urllib.parse.quote(code)}{query}"
        await self.timed(kind, "GET", path, self.headers() | {"Accept": "application/json"})

    async def run(self, until: float, think: float) -> None:
        kinds = list(MIX)
        weights = [MIX[k][0] for k in kinds]
        if think:
            await asyncio.sleep(self.rng.uniform(0, think))  # arrivals spread, not in step
        while time.perf_counter() < until:
            await self.one(self.rng.choices(kinds, weights)[0])
            if think:  # no thinking past the end: the run ends with the last answers
                pause = self.rng.expovariate(1 / think)
                await asyncio.sleep(max(0.0, min(pause, until - time.perf_counter())))


async def drive(
    port: int,
    known: list[tuple[str, str]],
    unknown: list[str],
    *,
    clients: int,
    think: float,
    warmup: float,
    seconds: float,
    seed: int,
) -> tuple[Tally, float]:
    """Run ``clients`` visitors for ``warmup`` + ``seconds``; only the last ``seconds`` are
    recorded. Returns the tally and the recorded time up to the end of the run (``seconds``,
    give or take the scheduler); the answers still in flight then are recorded but not in
    ``in_time``."""
    tally = Tally()
    start = time.perf_counter()
    until = tally.until = start + warmup + seconds
    # Each visitor's own seeded draw (a benchmark's, not a secret).
    rngs = [random.Random(seed * 1000 + i) for i in range(clients)]  # noqa: S311
    visitors = [Visitor(port, known, unknown, tally, rng) for rng in rngs]
    tasks = [asyncio.create_task(v.run(until, think)) for v in visitors]
    await asyncio.sleep(warmup)
    tally.recording = True
    recorded_from = time.perf_counter()
    await asyncio.gather(*tasks)
    return tally, until - recorded_from


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of an ordered list."""
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[int(rank) - 1]
