"""Dumping and loading the database, per vendor.

- **SQLite**: the online backup API (``sqlite3.Connection.backup``) copies a consistent
  snapshot page by page while the server keeps running; loading copies the dump over the target
  the same way.
- **PostgreSQL**: ``pg_dump --format=custom`` and ``pg_restore --single-transaction``, the
  connection settings of ``DATABASES["default"]`` passed through libpq's environment variables
  (``PGHOST``, ``PGPORT``, ``PGUSER``, ``PGPASSWORD``, ``PGDATABASE``), never on the command line,
  where ``ps`` would show a password. The dump runs in a snapshot exported from a
  ``REPEATABLE READ`` transaction (``pg_export_snapshot``), in which the rows of every table are
  counted too: the manifest's counts are those of the dump, even while the server is running.
"""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from motcua.ops.archive import BackupError, Vendor

DUMP_NAMES: dict[Vendor, str] = {"sqlite": "db.sqlite3", "postgresql": "db.pgdump"}
# libpq's environment variables for the OPTIONS that dj-database-url passes through.
PG_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
# Relations a PostgreSQL database "holds" for the empty check and --replace (kind → DROP).
PG_RELATIONS = {
    "r": "TABLE",
    "p": "TABLE",
    "f": "FOREIGN TABLE",
    "v": "VIEW",
    "m": "MATERIALIZED VIEW",
}
PG_USER_RELATIONS_SQL = """
    SELECT c.relkind, n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%%' AND n.nspname NOT LIKE 'pg\\_temp\\_%%'
    ORDER BY c.relkind, n.nspname, c.relname
"""


@dataclass(frozen=True)
class Snapshot:
    """What the dump holds, read in the dump's own snapshot."""

    server_version: str
    tool: str
    migrations: dict[str, list[str]]
    tables: dict[str, int]


def vendor() -> Vendor:
    if connection.vendor == "sqlite":
        return "sqlite"
    if connection.vendor == "postgresql":
        return "postgresql"
    raise BackupError(
        "unsupported_database",
        "Chỉ sao lưu được SQLite và PostgreSQL / only SQLite and PostgreSQL can be backed up, "
        f"not {connection.vendor}",
    )


def _settings_dict() -> Mapping[str, Any]:
    params: Mapping[str, Any] = connections.settings[DEFAULT_DB_ALIAS]
    return params


def _migrations(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def dump(directory: Path) -> tuple[Path, Snapshot]:
    """Write a consistent dump of the default database into ``directory``."""
    kind = vendor()
    target = directory / DUMP_NAMES[kind]
    if kind == "sqlite":
        return target, _sqlite_dump(target)
    return target, _pg_dump(target)


def is_empty() -> bool:
    """Whether the default database holds no table (a new SQLite file counts as empty)."""
    if vendor() == "sqlite":
        path = Path(str(_settings_dict()["NAME"]))
        if not path.exists() or path.stat().st_size == 0:
            return True
        with closing(sqlite3.connect(path, timeout=30)) as db:
            return not _sqlite_tables(db)
    with connection.cursor() as cursor:
        cursor.execute(PG_USER_RELATIONS_SQL)
        return not cursor.fetchall()


def clear() -> None:
    """Drop every table, view and sequence of the default database (``restore --replace``).
    SQLite needs nothing: loading overwrites the whole file."""
    if vendor() == "sqlite":
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(PG_USER_RELATIONS_SQL)
        relations = cursor.fetchall()
        # Tables first, with CASCADE: their views and owned sequences go with them.
        for drop_kinds in (("r", "p", "f"), ("v", "m"), ("S",)):
            for kind, schema, name in relations:
                if kind in drop_kinds:
                    what = PG_RELATIONS.get(kind, "SEQUENCE")
                    cursor.execute(f"DROP {what} IF EXISTS {quote(schema)}.{quote(name)} CASCADE")


def load(dump_path: Path) -> None:
    """Load a dump written by ``dump`` into the default database (which must be empty or
    cleared): all of it or, on an error, nothing."""
    if vendor() == "sqlite":
        _sqlite_load(dump_path)
    else:
        _pg_load(dump_path)


def current_state() -> tuple[dict[str, int], dict[str, list[str]]]:
    """Rows per table and applied migrations of the default database now."""
    connection.close()
    with connection.cursor() as cursor:
        names = [
            name
            for name in connection.introspection.table_names(cursor)
            if not (connection.vendor == "sqlite" and name.startswith("sqlite_"))
        ]
        tables = _count(cursor, names, connection.ops.quote_name)
        cursor.execute("SELECT app, name FROM django_migrations")
        return tables, _migrations(cursor.fetchall())


def _count(cursor: Any, names: Iterable[str], quote: Any) -> dict[str, int]:
    tables: dict[str, int] = {}
    for name in sorted(names):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")  # noqa: S608 - quoted table names
        tables[name] = int(cursor.fetchone()[0])
    return tables


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' "
        "ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _sqlite_dump(target: Path) -> Snapshot:
    source_name = str(_settings_dict()["NAME"])
    if not Path(source_name).is_file():
        raise BackupError(
            "database_missing",
            f"Không có cơ sở dữ liệu / no database file at {source_name}",
        )
    with (
        closing(sqlite3.connect(source_name, timeout=30)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        # One read transaction for the whole copy: pages written meanwhile are not mixed in.
        source.backup(copy)
        # A self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        quote = connection.ops.quote_name
        tables = _count(copy.cursor(), _sqlite_tables(copy), quote)
        migrations = _migrations(copy.execute("SELECT app, name FROM django_migrations"))
    return Snapshot(
        server_version=sqlite3.sqlite_version,
        tool=f"sqlite3 backup API (SQLite {sqlite3.sqlite_version})",
        migrations=migrations,
        tables=tables,
    )


def _sqlite_load(dump_path: Path) -> None:
    target = Path(str(_settings_dict()["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    connection.close()
    with (
        closing(sqlite3.connect(dump_path)) as source,
        closing(sqlite3.connect(target, timeout=30)) as db,
    ):
        # Replaces every page of the target in one write transaction.
        source.backup(db)


# --- PostgreSQL ---------------------------------------------------------------------------


def pg_environment() -> dict[str, str]:
    """The process environment plus libpq's variables for ``DATABASES["default"]``."""
    env = dict(os.environ)
    params = _settings_dict()
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    for option, value in (params.get("OPTIONS") or {}).items():
        if option in PG_OPTION_VARIABLES and value is not None:
            env[PG_OPTION_VARIABLES[option]] = str(value)
    return env


def _pg_tool(name: str) -> str:
    bindir = str(getattr(settings, "MOTCUA_PG_BINDIR", "") or "")
    found = shutil.which(name, path=bindir or None)
    if found is None:
        raise BackupError(
            "tool_missing",
            f"Không tìm thấy {name} / {name} not found: install the PostgreSQL client of the "
            "server's major version or set MOTCUA_PG_BINDIR",
        )
    return found


def _run(tool: str, arguments: list[str], code: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [tool, *arguments], env=pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            code,
            f"{Path(tool).name} thất bại / {Path(tool).name} failed "
            f"(exit {result.returncode}): {result.stderr.strip()}",
        )
    return result.stdout


def _pg_dump(target: Path) -> Snapshot:
    pg_dump = _pg_tool("pg_dump")
    tool = _run(pg_dump, ["--version"], "dump_failed").strip()
    snapshot_connection: BaseDatabaseWrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with snapshot_connection.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot_id, server_version = cursor.fetchone()
            _run(
                pg_dump,
                ["--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
                "dump_failed",
            )
            names = snapshot_connection.introspection.table_names(cursor)
            tables = _count(cursor, names, snapshot_connection.ops.quote_name)
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = _migrations(cursor.fetchall())
            cursor.execute("COMMIT")
    finally:
        snapshot_connection.close()
    return Snapshot(
        server_version=str(server_version), tool=tool, migrations=migrations, tables=tables
    )


def _pg_load(dump_path: Path) -> None:
    name = str(_settings_dict()["NAME"])
    _run(
        _pg_tool("pg_restore"),
        [
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={name}",
            str(dump_path),
        ],
        "restore_failed",
    )
    connection.close()
    with connection.cursor() as cursor:
        # pg_restore does not gather planner statistics; the reports' queries need them.
        cursor.execute("ANALYZE")
