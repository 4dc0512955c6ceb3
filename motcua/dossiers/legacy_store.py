"""Where imported rows go: the reference data rows are mapped against (loaded once), and the
prepared INSERTs that write dossiers and their events in batches (``legacy.py`` validates).

On PostgreSQL every write of a batch goes through ``COPY``: dossiers and events straight into
their tables, the daily counters and the rollup deltas into temporary tables that one
``INSERT … SELECT … ON CONFLICT`` then merges. Row by row (``executemany``, which Django's
client-side binding sends as one statement per row) a million dossiers took over 8 minutes
there, most of it in statements for the rollups; on SQLite, in-process, ``executemany`` is as
fast and is kept."""

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, Field, Model
from django.utils import timezone

from motcua.accounts.models import Agency
from motcua.catalogue.models import AssignmentRole, Case, ProcedureAssignment, ProcedureVersion
from motcua.dossiers import rollup
from motcua.dossiers.models import DossierCounter, DossierEvent
from motcua.dossiers.rollup_models import (
    AgencyGroupRollup,
    AgencyRollup,
    DailyRollup,
    GroupRollup,
)

CODE_PATTERN = re.compile(r"^(?P<agency>[A-Z0-9.]+)-(?P<day>\d{6})-(?P<seq>\d{4,})$")


@dataclass(frozen=True)
class Version:
    pk: int
    effective_from: dt.date
    effective_to: dt.date | None
    procedure_id: int
    first_case: int | None
    cases: dict[str, int]


class Reference:
    """The catalogue and the agencies, loaded once: rows are mapped without queries."""

    def __init__(self) -> None:
        self.agencies: dict[str, int] = {}
        self.parents: dict[int, int | None] = {}
        for pk, code, parent in Agency.objects.values_list("pk", "code", "parent_id"):
            self.agencies[code] = pk
            self.parents[pk] = parent
        cases: dict[int, dict[str, int]] = {}
        ordered = Case.objects.order_by("version", "code")
        for version_id, pk, code in ordered.values_list("version_id", "pk", "code"):
            cases.setdefault(version_id, {})[code] = pk
        self.versions: dict[str, list[Version]] = {}
        rows = ProcedureVersion.objects.order_by("-effective_from", "-number").values_list(
            "pk", "procedure_id", "procedure__code", "effective_from", "effective_to"
        )
        for pk, procedure_id, procedure_code, start, end in rows:
            by_code = cases.get(pk, {})
            self.versions.setdefault(procedure_code, []).append(
                Version(pk, start, end, procedure_id, next(iter(by_code.values()), None), by_code)
            )
        self.competent: dict[int, list[int]] = {}
        assignments = (
            ProcedureAssignment.objects.filter(role=AssignmentRole.COMPETENT)
            .order_by("agency__code")
            .values_list("procedure_id", "agency_id")
        )
        for procedure_id, agency_id in assignments:
            self.competent.setdefault(procedure_id, []).append(agency_id)
        self._leads: dict[tuple[int, int], int] = {}

    def version_on(self, procedure_code: str, day: dt.date) -> Version | None:
        """As ``catalogue.queries.versions_in_force(on=day)``: effective_from ≤ day ≤
        effective_to (open-ended when empty); the latest such version if they overlap."""
        for version in self.versions.get(procedure_code, ()):
            if version.effective_from <= day and (
                version.effective_to is None or day <= version.effective_to
            ):
                return version
        return None

    def lead(self, procedure_id: int, receiving: int) -> int:
        """``intake.lead_agency_for`` on the preloaded assignments: the receiving agency if
        competent, else the competent agency closest above it, else one just below a link of
        that chain, else the first competent agency, else the receiving agency."""
        key = (procedure_id, receiving)
        if key not in self._leads:
            competent = self.competent.get(procedure_id, [])
            lead = receiving
            if competent:
                chain: list[int] = []
                node: int | None = receiving
                while node is not None and node not in chain:
                    chain.append(node)
                    node = self.parents.get(node)
                lead = next(
                    (a for a in chain if a in competent),
                    next((a for a in competent if self.parents.get(a) in chain), competent[0]),
                )
            self._leads[key] = lead
        return self._leads[key]


DOSSIER_COLUMNS = (
    "code",
    "version",
    "case",
    "channel",
    "status",
    "applicant_name",
    "applicant_name_search",
    "applicant_id_number",
    "receiving_agency",
    "lead_agency",
    "current_agency",
    "submitted_at",
    "received_at",
    "clock_started_at",
    "due_at",
    "finished_at",
    "returned_at",
    "status_before_pause",
    "imported",
    "tracking_pin",
)
EVENT_COLUMNS = ("dossier", "action", "old_status", "new_status", "agency", "at", "data")
EVENT_DATA = DossierEvent._meta.get_field("data")


class Insert:
    """A multi-row INSERT of one model through ``executemany``, every other column taking its
    default (``auto_now`` columns: the batch's time).

    Why not ``bulk_create``: measured on the benchmark, it spends about 0.4 ms per dossier
    compiling SQL value by value, which made a million rows take over ten minutes. Here the
    statement and the constant columns are prepared once per batch and each row is a tuple of
    driver-ready values (``adapt`` turns an aware instant into what the backend stores)."""

    def __init__(self, model: type[Model], columns: tuple[str, ...]) -> None:
        now = timezone.now()
        varying = [f for name in columns if isinstance(f := model._meta.get_field(name), Field)]
        constant = [
            f for f in model._meta.concrete_fields if not f.primary_key and f.name not in columns
        ]
        constants = []
        for f in constant:
            auto = isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add)
            # ``to_python`` turns a default given as text into the field's type.
            value = now if auto else f.to_python(f.get_default())
            constants.append(f.get_db_prep_save(value, connection))
        self.constants = tuple(constants)
        quote = connection.ops.quote_name
        names = ", ".join(quote(str(f.column)) for f in [*varying, *constant])
        marks = ", ".join(["%s"] * (len(varying) + len(constant)))
        table = quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model
        self.copy_sql = f"COPY {table} ({names}) FROM STDIN"
        self.adapt = _instant_adapter()

    def run(self, rows: list[tuple[Any, ...]]) -> None:
        if connection.vendor == "postgresql":
            _copy(self.copy_sql, (row + self.constants for row in rows))
            return
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, [row + self.constants for row in rows])


def _copy(sql: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """``COPY … FROM STDIN`` on the connection's psycopg cursor, in the current transaction."""
    with connection.cursor() as cursor:
        raw = cursor.cursor  # Django's wrapper → the psycopg cursor
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _merge(
    table: str, columns: list[str], rows: list[tuple[Any, ...]], conflict: str, action: str
) -> None:
    """PostgreSQL: COPY ``rows`` into a temporary copy of ``columns`` of ``table``, then merge
    them with one ``INSERT … SELECT … ORDER BY`` (rows in key order: concurrent transactions
    lock shared rows in one order) ``ON CONFLICT (conflict) DO UPDATE SET action``."""
    names = ", ".join(columns)
    # Names come from the models, values go through COPY.
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE legacy_merge ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {names} FROM {table} WITH NO DATA"
        )
    _copy(f"COPY legacy_merge ({names}) FROM STDIN", rows)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM legacy_merge "  # noqa: S608
            f"ORDER BY {conflict} ON CONFLICT ({conflict}) DO UPDATE SET {action}"
        )
        cursor.execute("DROP TABLE legacy_merge")


def _instant_adapter() -> Callable[[dt.datetime | None], Any]:
    """What the backend stores for an aware instant. SQLite's adapter (``make_naive`` in the
    connection's zone, then text) is written out here for speed: it is half the write time."""
    if connection.vendor != "sqlite":
        adapt = connection.ops.adapt_datetimefield_value
        return lambda instant: None if instant is None else adapt(instant)
    zone = connection.timezone

    def naive_text(instant: dt.datetime | None) -> str | None:
        return None if instant is None else str(instant.astimezone(zone).replace(tzinfo=None))

    return naive_text


def _highest_sequences(codes: list[str]) -> dict[tuple[str, dt.date], int]:
    """The highest sequence among ``codes`` for each (agency code, day) they name; codes of
    another form or of an impossible day are left out."""
    highest: dict[tuple[str, dt.date], int] = {}
    for code in codes:
        match = CODE_PATTERN.match(code)
        if match is None:
            continue
        digits = match["day"]
        try:
            day = dt.date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
        except ValueError:
            continue
        key = (match["agency"], day)
        highest[key] = max(highest.get(key, 0), int(match["seq"]))
    return highest


def advance_counters(codes: list[str]) -> None:
    """Move each agency's daily counter to at least the highest sequence among ``codes`` of the
    form ``<agency>-<YYMMDD>-<sequence>``, so that ``codes.next_code`` never issues an imported
    code again. Codes of another form, of unknown agencies or impossible days are ignored.

    A missing counter is created at the sequence; an existing one is raised by a guarded
    UPDATE (``last < sequence``), which never moves it back and holds the row until the batch
    commits, as ``codes.next_code``'s lock does."""
    highest = _highest_sequences(codes)
    if not highest:
        return
    agencies = dict(
        Agency.objects.filter(code__in={a for a, _ in highest}).values_list("code", "pk")
    )
    wanted = sorted((agencies[a], day, seq) for (a, day), seq in highest.items() if a in agencies)
    if not wanted:
        return
    quote, meta = connection.ops.quote_name, DossierCounter._meta
    table, last, agency, day_ = (
        quote(name)
        for name in (
            meta.db_table,
            str(meta.get_field("last").column),
            str(meta.get_field("agency").column),
            str(meta.get_field("day").column),
        )
    )
    # Both supported backends (PostgreSQL, SQLite ≥ 3.24) know ON CONFLICT DO NOTHING.
    # Names come from the model, values are parameters.
    create = (
        f"INSERT INTO {table} ({agency}, {day_}, {last}) VALUES (%s, %s, %s) "  # noqa: S608
        "ON CONFLICT DO NOTHING"
    )
    raise_ = (
        f"UPDATE {table} SET {last} = %s "  # noqa: S608
        f"WHERE {agency} = %s AND {day_} = %s AND {last} < %s"
    )
    if connection.vendor == "postgresql":
        _merge(
            table,
            [agency, day_, last],
            wanted,
            conflict=f"{agency}, {day_}",
            action=f"{last} = excluded.{last} WHERE {table}.{last} < excluded.{last}",
        )
        return
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.executemany(create, [(a, adapt(day), seq) for a, day, seq in wanted])
        cursor.executemany(raise_, [(seq, a, adapt(day), seq) for a, day, seq in wanted])


def add_facts(facts: Iterable[rollup.Fact | None]) -> None:
    """Add the report facts of newly imported dossiers to the rollups: on PostgreSQL the
    deltas of the batch, summed per row in memory (``rollup.Fact.keys``, ``rollup.agency_rows``,
    ``rollup.group_rows``, ``rollup.agency_group_rows``) and merged in one statement per table;
    elsewhere ``rollup.apply_many``."""
    if connection.vendor != "postgresql":
        rollup.apply_many((None, f) for f in facts)
        return
    index = {name: i for i, name in enumerate(rollup.COUNTERS)}
    deltas: Counter[rollup.Key] = Counter()
    for fact in facts:
        if fact is not None:
            deltas.update(fact.keys())
    rows: dict[rollup.DailyKey, list[int]] = {}
    for (agency, version, channel, day, counter), delta in deltas.items():
        row = rows.setdefault((agency, version, channel, day), [0] * len(index))
        row[index[counter]] += delta
    if not rows:
        return
    _merge_counters(
        DailyRollup, ("agency", "version", "channel", "day"), rollup.COUNTERS, list(rows.items())
    )
    _merge_counters(
        AgencyRollup,
        ("agency", "grain", "start"),
        rollup.AGENCY_COUNTERS,
        list(rollup.agency_rows(rows).items()),
    )
    _merge_counters(
        GroupRollup,
        rollup.GROUP_KEY,
        rollup.AGENCY_COUNTERS,
        list(rollup.group_rows(rows).items()),
    )
    _merge_counters(
        AgencyGroupRollup,
        rollup.AGENCY_GROUP_KEY,
        rollup.AGENCY_COUNTERS,
        list(rollup.agency_group_rows(rows).items()),
    )


def _merge_counters(
    model: type[Model],
    key_names: tuple[str, ...],
    counter_names: tuple[str, ...],
    rows: Sequence[tuple[tuple[Any, ...], list[int]]],
) -> None:
    """Add counter deltas to ``model``'s rows (created at the deltas when missing)."""
    if not rows:
        return
    quote, meta = connection.ops.quote_name, model._meta

    def column(name: str) -> str:
        field = meta.get_field(name)
        assert isinstance(field, Field)  # noqa: S101 - concrete columns of the model
        return quote(str(field.column))

    table = quote(meta.db_table)
    keys = [column(n) for n in key_names]
    counters = [column(n) for n in counter_names]
    _merge(
        table,
        keys + counters,
        [(*key, *values) for key, values in rows],
        conflict=", ".join(keys),
        action=", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counters),
    )
