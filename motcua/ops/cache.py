"""The database cache's table (``CACHE_URL=db://<table>``, the default with ``DEBUG`` off):
created after every ``motcua migrate`` and when ``motcua serve`` starts, so that a deployment
never has to remember ``createcachetable`` (docs/deployment.md)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections


def ensure_cache_tables(database: str = DEFAULT_DB_ALIAS) -> None:
    """Create the table of every database cache that lacks it (nothing for other caches).

    Several machines starting at once may race to create it: the loser's ``CREATE TABLE``
    fails, and the table is then there, which is all that is wanted."""
    try:
        call_command("createcachetable", database=database, verbosity=0)
    except CommandError:
        connections[database].close()
        call_command("createcachetable", database=database, verbosity=0)


def create_cache_tables_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """``post_migrate`` receiver (``OpsConfig.ready``), called once per ``migrate``."""
    ensure_cache_tables(using)
