"""Liveness and readiness for the load balancer and the service manager (docs/deployment.md).

``/healthz`` (liveness): 200 when the application and its database respond.
``/readyz`` (readiness): 200 only when the instance should take traffic: the database answers,
every migration the code ships is applied, and the job worker (``motcua worker``) beat less
than ``MOTCUA_WORKER_HEARTBEAT_MAX_AGE`` seconds ago. Its answer also carries the national
outbox's figures (``national_outbox``: queue depth, oldest undelivered message, failures by
reason; docs/integration.md), for monitoring only: a national portal that is down does not make
this instance unfit for traffic, its messages wait.
"""

from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.integration.figures import outbox_figures
from motcua.jobs import heartbeat


@dataclass(frozen=True)
class Check:
    """One readiness check's outcome: ``ok`` False makes the instance not ready."""

    ok: bool
    detail: str


def database() -> Check:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check(False, str(exc))
    return Check(True, "ok")


# Once every migration is applied it stays so for this process (the code, and so its migrations,
# cannot change under a running process): later probes skip loading the migration graph.
_migrated: set[str] = set()


def migrations() -> Check:
    """No migration of the code is unapplied in the database (``motcua migrate`` was run)."""
    if DEFAULT_DB_ALIAS in _migrated:
        return Check(True, "ok")
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Check(False, str(exc))
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
        return Check(False, f"{len(names)} unapplied, first {names[0]}")
    _migrated.add(DEFAULT_DB_ALIAS)
    return Check(True, "ok")


def worker_heartbeat() -> Check:
    """Some ``motcua worker`` beat recently: scheduled work (deadline scan, notifications) runs."""
    try:
        fresh, detail = heartbeat.freshness()
    except DatabaseError as exc:
        return Check(False, str(exc))
    return Check(fresh, detail)


def _checks() -> dict[str, Check]:
    db = database()
    if not db.ok:
        return {"database": db}
    applied = migrations()
    if not applied.ok:  # the heartbeat's table may not be there yet
        return {"database": db, "migrations": applied}
    return {"database": db, "migrations": applied, "worker": worker_heartbeat()}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    db = database()
    if not db.ok:
        return JsonResponse({"status": "error", "database": db.detail}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = _checks()
    ready = all(check.ok for check in checks.values())
    body: dict[str, object] = {"status": "ok" if ready else "error"}
    for name, check in checks.items():
        body[name] = check.detail
    if "worker" in checks:  # migrated: the outbox's table is there
        try:
            body["national_outbox"] = outbox_figures().as_json()
        except DatabaseError as exc:
            body["national_outbox"] = str(exc)
    return JsonResponse(body, status=200 if ready else 503)
