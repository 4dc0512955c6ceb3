"""The production server's command line: gunicorn serving ``motcua.wsgi`` (docs/deployment.md).

``motcua serve`` builds it from the settings (each from an environment variable, see
``.env.example``) and the command's options, then replaces itself with gunicorn, so that a service
manager's signals reach gunicorn's master process directly.
"""

import os
import sys
from dataclasses import dataclass

# Gunicorn's advice is 2 × cores + 1 synchronous workers; each holds a database connection, so a
# large machine stops at this many (a province outgrowing it adds machines, not workers).
MAX_WORKERS = 12


def cores() -> int:
    """The cores this process may run on (its CPU affinity, as a container or a cgroup sets it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def default_workers(core_count: int) -> int:
    return max(1, min(2 * core_count + 1, MAX_WORKERS))


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    workers: int  # 0: from the cores
    timeout: int
    forwarded_allow_ips: str
    access_log: bool = True


def gunicorn_argv(options: ServeOptions, *, core_count: int | None = None) -> list[str]:
    """The gunicorn command, run with this Python (``python -m gunicorn``)."""
    workers = options.workers or default_workers(cores() if core_count is None else core_count)
    host = f"[{options.host}]" if ":" in options.host else options.host
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "motcua.wsgi:application",
        "--bind",
        f"{host}:{options.port}",
        "--workers",
        str(workers),
        "--timeout",
        str(options.timeout),
        "--graceful-timeout",
        "30",
        # A worker is replaced after this many requests, so a slow leak cannot grow for ever.
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        # Whose X-Forwarded-* headers gunicorn believes: the TLS proxy's address(es).
        "--forwarded-allow-ips",
        options.forwarded_allow_ips,
        "--error-logfile",
        "-",
    ]
    if options.access_log:
        argv += ["--access-logfile", "-"]
    return argv
