"""Benchmark of public tracking by code (issue #13, "Speed and safety"): ``/tra-cuu/<code>`` and
``/api/v1/public/track/<code>`` behind the production server, over a million dossiers on
PostgreSQL. ``.venv/bin/python bench/tracking.py --database-url postgres://…/motcua_bench_track``.

1. Unless ``--reuse-db``: migrates, loads the demo with ``--history`` dossiers made through the
   services, then clones them set-wise up to ``--dossiers`` (``bench/tracking_fill.py``).
2. Starts ``motcua serve`` (gunicorn, ``--workers``, 0 = the command's default from the cores)
   with DEBUG off, ``BEHIND_PROXY=true``, ``DB_CONN_MAX_AGE=60`` and the default tracking rate,
   after ``motcua collectstatic`` into a temporary directory.
3. Drives ``--clients`` simulated visitors (``bench/tracking_load.py``: the mix of lookups,
   the think time) for ``--warmup`` + ``--seconds``, once per ``--think`` value given, and prints
   p50 / p95 / p99 / max per request kind and overall, the throughput and the load average.

Not part of ``make test``; ``make bench-tracking`` runs it with the defaults."""

import argparse
import asyncio
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import django  # noqa: E402
import psycopg  # noqa: E402

# The helpers read the PIN's alphabet from the app (motcua.dossiers.codes, which loads models).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
django.setup()

import tracking_fill  # noqa: E402
import tracking_load  # noqa: E402


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "motcua", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - this Python


def server_env(url: str, static: str) -> dict[str, str]:
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "DB_CONN_MAX_AGE": "60",
        "BEHIND_PROXY": "true",
        "ALLOWED_HOSTS": tracking_load.HOST,
        "STATIC_ROOT": static,
        "PYTHONPATH": str(ROOT),
    }


def build(url: str, history: int, dossiers: int) -> None:
    env = os.environ | {"DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load-demo", "--history", str(history))
    print(f"demo with {history} dossiers of history: {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    made = tracking_fill.fill(libpq(url), dossiers)
    print(f"cloned {made:,} dossiers: {time.perf_counter() - started:.0f} s")


def libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def sample(url: str, size: int, seed: int) -> tuple[list[tuple[str, str]], list[str], int]:
    """``size`` random existing (code, PIN) pairs, as many unknown codes of the same form (an
    existing agency and day, a sequence nobody has), and the number of dossiers."""
    with psycopg.connect(libpq(url)) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM dossiers_dossier")
        total = cur.fetchone()[0]  # type: ignore[index]
        cur.execute("SELECT setseed(%s)", [seed / 1000])
        cur.execute(
            "SELECT code, tracking_pin FROM dossiers_dossier WHERE tracking_pin <> '' "
            "ORDER BY random() LIMIT %s",
            [size],
        )
        known = [(code, pin) for code, pin in cur.fetchall()]
    rng = random.Random(seed)  # noqa: S311 - a benchmark's draw, not a secret
    unknown = [f"{code.rsplit('-', 1)[0]}-{rng.randrange(10**8, 10**9)}" for code, _ in known]
    return known, unknown, total


def serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    manage(env, "collectstatic", "--noinput", "-v0")
    command = [sys.executable, "-m", "motcua", "serve", "--port", str(port), "--no-access-log"]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - this Python
    for _ in range(120):
        time.sleep(0.5)
        try:
            probe = urllib.request.Request(
                f"http://{tracking_load.HOST}:{port}/readyz",
                headers={"X-Forwarded-Proto": "https"},
            )
            with urllib.request.urlopen(probe, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return server
        except OSError:
            continue
    server.terminate()
    raise SystemExit("the server did not become ready")


TICK = os.sysconf("SC_CLK_TCK")


def cpu_of(pid: int, *, reaped: bool = False) -> float:
    """CPU seconds (user + system) of ``pid``, and of its reaped children with ``reaped``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if reaped:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICK


def server_cpu(master: int) -> float:
    """The server's CPU seconds so far: its master, the workers alive and the workers it has
    reaped (restarted after --max-requests)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return cpu_of(master, reaped=True) + sum(cpu_of(int(pid)) for pid in children)


def database_cpu(url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the database (the workers'
    connections; a backend that ends between two readings is not counted)."""
    with psycopg.connect(libpq(url)) as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return {pid: cpu_of(pid) for (pid,) in cur.fetchall()}


def report(tally: tracking_load.Tally, wall: float, clients: int, think: float) -> None:
    every = sorted(x for values in tally.latencies.values() for x in values)
    loop = "closed loop" if not think else "exponential think time"
    print(f"{clients} clients, mean think {think} s ({loop}), ", end="")
    print(f"{tally.in_time:,} answers in {wall:.1f} s = {tally.in_time / wall:.1f} req/s ", end="")
    print(f"(+ {len(every) - tally.in_time} in flight at the end), ", end="")
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    print("| kind | requests | p50 ms | p95 ms | p99 ms | max ms | wrong status |")
    print("|---|---|---|---|---|---|---|")
    rows = [*sorted(tally.latencies.items()), ("**all**", every)]
    for kind, values in rows:
        ordered = sorted(values)
        p = [tracking_load.percentile(ordered, q) * 1000 for q in (50, 95, 99, 100)]
        wrong = tally.wrong.get(kind, 0) if kind != "**all**" else sum(tally.wrong.values())
        print(f"| {kind} | {len(ordered):,} | " + " | ".join(f"{x:.1f}" for x in p), end="")
        print(f" | {wrong} |")
    if tally.failed:
        print(f"connections failed: {tally.failed}")


def costs(
    tally: tracking_load.Tally,
    before: tuple[float, dict[int, float], float],
    master: int,
    url: str,
) -> None:
    """CPU per request of the server, the database and the simulated clients over the run
    (warm-up included: the requests of the warm-up are counted too), which the load of other
    programs on the machine does not change as it changes the latencies."""
    served = tally.served
    python = server_cpu(master) - before[0]
    after = database_cpu(url)
    database = sum(cpu - before[1].get(pid, 0.0) for pid, cpu in after.items())
    clients = time.process_time() - before[2]
    each = [x / served * 1000 for x in (python, database, clients)]
    print(f"CPU per request over {served:,} requests (warm-up included): ", end="")
    print(f"server (gunicorn) {each[0]:.2f} ms, PostgreSQL {each[1]:.2f} ms, ", end="")
    print(f"clients {each[2]:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--reuse-db", action="store_true", help="already filled: skip step 1")
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--history", type=int, default=400)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--think", type=float, nargs="+", default=[2.0])
    parser.add_argument("--warmup", type=float, default=15)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    print(f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    if not args.reuse_db:
        build(args.database_url, args.history, args.dossiers)
    known, unknown, total = sample(args.database_url, 20_000, args.seed)
    print(f"{total:,} dossiers; {len(known):,} codes sampled")
    with tempfile.TemporaryDirectory() as static:
        server = serve(server_env(args.database_url, static), args.port, args.workers)
        try:
            for think in args.think:
                began = time.strftime("%H:%M:%S", time.gmtime())
                load = os.getloadavg()[0]
                print(f"\n{began} UTC, load average {load:.2f} at the start")
                cpu = (server_cpu(server.pid), database_cpu(args.database_url), time.process_time())
                tally, wall = asyncio.run(
                    tracking_load.drive(
                        args.port,
                        known,
                        unknown,
                        clients=args.clients,
                        think=think,
                        warmup=args.warmup,
                        seconds=args.seconds,
                        seed=args.seed,
                    )
                )
                report(tally, wall, args.clients, think)
                costs(tally, cpu, server.pid, args.database_url)
        finally:
            server.terminate()
            server.wait(30)


if __name__ == "__main__":
    main()
