"""Fill a PostgreSQL database with dossiers for the tracking benchmark (``bench/tracking.py``).

The dossiers are clones of the ones ``motcua load-demo --history N`` made through the services
(intake, receipt, the process steps, supplements, pauses, returns, refusals): every clone is a
whole copy of its model — the dossier row with its version, case, agencies, dates, status and
owner, its documents, its process steps (the current step pointing at the clone's own step) and
its events — under a new code of the app's form (``<agency>-<YYMMDD>-<sequence>``: the model's
agency and day, a sequence above any the desk hands out, 100000 + n) and, when the model has one,
a new 8-character tracking PIN from the app's alphabet. The work is set-based SQL, in batches of
one transaction each, with the foreign-key triggers off for the session (``session_replication_role
= replica``, which needs a superuser): every reference is a model's own or the clone's mapped one,
and checking some 20 references per clone at each commit doubled the time.

Not cloned: intake keys (idempotency of submissions), extra-paper demands, notifications; the
reports' rollups are not raised (``motcua rebuild-rollups`` does it, slowly, if the reports
matter on such a database; tracking does not read them)."""

import time
from collections.abc import Callable
from typing import Any

import psycopg

from motcua.dossiers.codes import PIN_ALPHABET, PIN_LENGTH

# Clone numbers start here, so that a clone's code never meets one the desk hands out (its
# sequence per agency and day starts at 1).
FIRST_SEQUENCE = 100000
BATCH = 100_000

# The PIN: PIN_LENGTH characters of PIN_ALPHABET, each from one byte of md5(seed, n).
PIN_SQL = " || ".join(
    f"substr('{PIN_ALPHABET}', 1 + mod(get_byte(h.bytes, {i}), {len(PIN_ALPHABET)}), 1)"
    for i in range(PIN_LENGTH)
)


def columns(cur: psycopg.Cursor[Any], table: str, skip: set[str]) -> list[str]:
    """The table's columns in order, less ``skip``."""
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    return [name for (name,) in cur.fetchall() if name not in skip]


def prepare(cur: psycopg.Cursor[Any]) -> tuple[int, int, tuple[int, int, int, int]]:
    """The models table (the dossiers that are not clones, numbered 0..T-1), the clones
    already present, and the bases: (T, dossier id of clone 0, step id of clone 0, the step
    stride: the largest position + 1). Clone n has dossier id base + n, so a second run goes
    on from the first's last clone."""
    sequence = "substring(code from '[0-9]+$')::bigint"
    cur.execute("DROP TABLE IF EXISTS bench_model")
    numbered = "SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS rn FROM dossiers_dossier"
    cur.execute(f"CREATE TABLE bench_model AS {numbered} WHERE {sequence} < {FIRST_SEQUENCE}")
    cur.execute("CREATE UNIQUE INDEX ON bench_model (rn)")
    cur.execute(
        "SELECT (SELECT count(*) FROM bench_model), "  # noqa: S608 - constants
        f"(SELECT count(*) FROM dossiers_dossier WHERE {sequence} >= {FIRST_SEQUENCE}), "
        "(SELECT coalesce(max(id), 0) + 1 FROM dossiers_dossier), "
        "(SELECT coalesce(max(id), 0) + 1 FROM dossiers_dossierstep), "
        "(SELECT coalesce(max(position), 0) + 1 FROM dossiers_dossierstep)"
    )
    row = cur.fetchone()
    assert row is not None
    models, clones, next_dossier, next_step, stride = row
    bases = (models, next_dossier - clones, next_step - clones * stride, stride)
    return clones, models, bases


def clone_batch(
    cur: psycopg.Cursor[Any], first: int, last: int, bases: tuple[int, int, int, int]
) -> None:
    """Clone numbers ``first..last`` (inclusive): clone n copies model n mod T."""
    models, dossier_base, step_base, stride = bases
    source = (
        "FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g(n) "
        "JOIN bench_model m ON m.rn = g.n %% %(models)s "
    )
    params = {
        "first": first,
        "last": last,
        "models": models,
        "dossier_base": dossier_base,
        "step_base": step_base,
        "stride": stride,
        "first_sequence": FIRST_SEQUENCE,
    }
    copied = columns(cur, "dossiers_dossier", {"id", "code", "tracking_pin", "current_step_id"})
    cur.execute(
        f"INSERT INTO dossiers_dossier (id, code, tracking_pin, current_step_id, "
        f"{', '.join(copied)}) "
        f"SELECT %(dossier_base)s + g.n, "
        f"regexp_replace(d.code, '-[0-9]+$', '') || '-' || (%(first_sequence)s + g.n), "
        f"CASE WHEN d.tracking_pin = '' THEN '' ELSE {PIN_SQL} END, "
        f"CASE WHEN cs.id IS NULL THEN NULL "
        f"ELSE %(step_base)s + g.n::bigint * %(stride)s + cs.position END, "
        f"{', '.join('d.' + c for c in copied)} "
        f"{source}JOIN dossiers_dossier d ON d.id = m.id "
        f"LEFT JOIN dossiers_dossierstep cs ON cs.id = d.current_step_id "
        f"CROSS JOIN LATERAL (SELECT decode(md5('pin-' || g.n), 'hex') AS bytes) h",
        params,
    )
    copied = columns(cur, "dossiers_dossierstep", {"id", "dossier_id"})
    cur.execute(
        f"INSERT INTO dossiers_dossierstep (id, dossier_id, {', '.join(copied)}) "
        f"SELECT %(step_base)s + g.n::bigint * %(stride)s + s.position, %(dossier_base)s + g.n, "
        f"{', '.join('s.' + c for c in copied)} "
        f"{source}JOIN dossiers_dossierstep s ON s.dossier_id = m.id",
        params,
    )
    for table in ("dossiers_dossierdocument", "dossiers_dossierevent"):
        copied = columns(cur, table, {"id", "dossier_id"})
        cur.execute(
            f"INSERT INTO {table} (dossier_id, {', '.join(copied)}) "
            f"SELECT %(dossier_base)s + g.n, {', '.join('x.' + c for c in copied)} "
            f"{source}JOIN {table} x ON x.dossier_id = m.id ORDER BY g.n, x.id",
            params,
        )


def fill(dsn: str, total: int, say: Callable[[str], None] = print) -> int:
    """Clone the dossiers present until the database holds ``total``; returns how many were
    made (0 when it already holds as many)."""
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM dossiers_dossier")
        present = cur.fetchone()
        assert present is not None
        wanted = int(total - present[0])
        if wanted <= 0:
            return 0
        clones, models, bases = prepare(cur)
        if models == 0:
            raise SystemExit("no dossier to clone: run `motcua load-demo --history N` first")
        cur.execute("SET session_replication_role = replica")
        started = time.perf_counter()
        for first in range(clones, clones + wanted, BATCH):
            last = min(first + BATCH, clones + wanted) - 1
            with conn.transaction():
                clone_batch(cur, first, last, bases)
            seconds = time.perf_counter() - started
            say(f"  {last + 1 - clones:,} / {wanted:,} clones, {seconds:.0f} s")
        for table in ("dossiers_dossier", "dossiers_dossierstep"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        cur.execute("SET session_replication_role = DEFAULT")
        cur.execute("DROP TABLE bench_model")
        cur.execute("VACUUM ANALYZE dossiers_dossier")
        cur.execute("ANALYZE dossiers_dossierdocument")
        cur.execute("ANALYZE dossiers_dossierstep")
        cur.execute("ANALYZE dossiers_dossierevent")
        return wanted
