"""Reports on a read replica: a database router, active when ``DATABASE_REPLICA_URL`` configures
the ``replica`` alias (``settings.py``, docs/deployment.md).

The report views run their work inside :func:`reading_reports`; while it is on, reads of the
report tables (dossiers and their rollups, the catalogue, agencies, calendars) go to the replica.
Everything else reads the primary: the sessions, the cache table, the lock-out, the task queue,
and any read inside a transaction on the primary (a report that writes, e.g. the access log of
an export, reads its own writes). Every write goes to the primary; the replica is never migrated.

A model cannot say whether it is read for a report or by a service about to change it (the same
``Dossier`` table serves both), so the choice is the view's, not the model's: a service read on
the replica could act on a lagging copy. Outside the report views nothing changes."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# The apps whose tables the reports read; "accounts" holds the agencies and the roles that
# scope a report.
REPORT_APPS = frozenset({"dossiers", "reports", "catalogue", "accounts", "workdays"})

_reading_reports: ContextVar[bool] = ContextVar("motcua_reading_reports", default=False)


@contextmanager
def reading_reports() -> Iterator[None]:
    """Reads of the report tables inside this block go to the replica, when one is configured."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportsReplicaRouter:
    """Report reads to ``replica``, the rest to the primary (``DATABASE_ROUTERS``)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        if (
            _reading_reports.get()
            and model._meta.app_label in REPORT_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # The replica is a copy of the primary: rows from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def reads_reports[**P, R](view: Callable[P, R]) -> Callable[P, R]:
    """Run a report view inside :func:`reading_reports`. Put it nearest the function, below
    ``login_required``, so that the signed-in user is read from the primary first."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with reading_reports():
            return view(*args, **kwargs)

    return wrapped
