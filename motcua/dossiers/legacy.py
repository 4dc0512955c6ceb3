"""Historic import of dossiers from a legacy one-stop system (``motcua import-dossiers``).

A UTF-8 CSV file (a byte-order mark is accepted) with the header
``code,procedure_code,agency_code,channel,received_at,due_at,finished_at,status`` and, optionally,
``applicant_name,applicant_id_number,returned_at,case_code``. Every row is validated in memory
against the catalogue and the agencies, which are loaded once; valid rows are written in batches
(their dossiers, events and daily counters together), so a dossier is never half-imported. A file
of up to :data:`WHOLE_FILE_MAX_ROWS` rows is written in one transaction, all or nothing: a fatal
error in the middle of it (a broken CSV line) leaves the database as it was. A larger file commits
each batch (one transaction per batch, so the desk is not locked out for minutes); a fatal error
then keeps the batches committed before it, and the error says exactly how many dossiers and up
to which line. Either mode can be chosen (``commit="file"`` or ``"batch"``). Codes already in the
database are skipped, so a re-run adds nothing and completes a stopped batch import.

Line numbers are those of the file: line 1 is the header; a row with a quoted line break is
reported at the line where it starts.
"""

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction

from motcua.accounts.validators import ID_NUMBER_RE, clean_line, clean_number
from motcua.catalogue.text import search_key
from motcua.dossiers import rollup
from motcua.dossiers.codes import new_tracking_pin
from motcua.dossiers.deadlines import classify_finished, iso
from motcua.dossiers.legacy_store import (
    DOSSIER_COLUMNS,
    EVENT_COLUMNS,
    EVENT_DATA,
    Insert,
    Reference,
    Version,
    add_facts,
    advance_counters,
)
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.workflow import Action, Channel, Status

REQUIRED_COLUMNS = (
    "code",
    "procedure_code",
    "agency_code",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "status",
)
OPTIONAL_COLUMNS = ("applicant_name", "applicant_id_number", "returned_at", "case_code")
CHANNELS = {
    "truc_tiep": Channel.IN_PERSON.value,
    "truc_tuyen": Channel.ONLINE.value,
    "bcci": Channel.POST.value,
}
STATUSES = frozenset(Status.values)
# Statuses that end a dossier carry the instant they ended; the others must not.
FINISHED = frozenset({"3", "7", "8", "9", "10"})
# Not received yet (1) or refused at the desk (3): no appointment was ever given.
WITHOUT_DUE = frozenset({"1", "3"})
# Processed (9) and returned (10) are judged early / on time / late like ``services.approve``.
JUDGED = frozenset({"9", "10"})
PAUSED = frozenset({"5", "6"})
UNKNOWN_APPLICANT = "(không rõ)"
BATCH_SIZE = 5000
# Files up to this many rows are imported in one transaction (all or nothing) unless the caller
# asks for batches. At the import's measured pace (bench/RESULTS.md: 2,000–4,000 rows a second)
# that holds the database's write lock for 5–10 s; SQLite lets no other writer in meanwhile (the
# desk waits), so a larger file commits batch by batch. A ward's or a department's year of
# dossiers fits; a province's history does not.
WHOLE_FILE_MAX_ROWS = 20_000
COMMIT_MODES = ("file", "batch")
# ``codes.next_code`` issues ``<agency>-<YYMMDD>-<sequence>``.

CODE_MAX = Dossier._meta.get_field("code").max_length or 64
NAME_MAX = Dossier._meta.get_field("applicant_name").max_length or 255
ID_MAX = Dossier._meta.get_field("applicant_id_number").max_length or 20


class LegacyFileError(Exception):
    """The file cannot be read (not UTF-8, missing or unknown columns) or stops being readable
    (a broken CSV line). ``imported`` dossiers, committed before the error in batch mode only,
    stay in the database: those of the rows up to line ``kept_through``."""

    def __init__(self, message: str, *, imported: int = 0, kept_through: int = 0) -> None:
        super().__init__(message)
        self.imported = imported
        self.kept_through = kept_through


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"dòng / line {self.line}"
        if self.column:
            where += f", cột / column {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    source: str
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False


@dataclass
class _Row:
    """A valid row, mapped to the dossier it becomes."""

    line: int
    code: str
    version: Version
    case_id: int
    agency_id: int
    lead_id: int
    channel: str
    status: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    applicant_name: str
    applicant_id_number: str


def _instant(text: str) -> dt.datetime | None:
    """An ISO 8601 instant with its UTC offset, or None if it is not one."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


_When = dt.datetime | None


def _field_count_error(line: int, found: int, expected: int) -> RowError:
    return RowError(
        line, "", f"có {found} trường, cần {expected} / has {found} fields, expected {expected}"
    )


class _Fields:
    """One row of the file by column name, and the problems found in it (``RowError``s with
    Vietnamese / English messages, appended to ``errors``)."""

    def __init__(
        self, values: list[str], cols: dict[str, int], line: int, errors: list[RowError]
    ) -> None:
        self.values, self.cols, self.line, self.errors = values, cols, line, errors

    def value(self, name: str) -> str:
        i = self.cols.get(name)
        return self.values[i].strip() if i is not None else ""

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def instant(self, column: str) -> dt.datetime | None:
        text = self.value(column)
        if not text:
            return None
        parsed = _instant(text)
        if parsed is None:
            self.error(
                column,
                f"'{text}' không phải thời điểm ISO 8601 có múi giờ / "
                "is not an ISO 8601 instant with an offset (2025-07-14T09:00:00+07:00)",
            )
        return parsed

    def code(self, seen: dict[str, int]) -> str:
        """The dossier code, new in this file (``seen`` maps codes to their lines)."""
        code = self.value("code")
        if not code:
            self.error("code", "thiếu mã hồ sơ / the dossier code is missing")
        elif len(code) > CODE_MAX:
            self.error(
                "code", f"mã dài quá {CODE_MAX} ký tự / code longer than {CODE_MAX} characters"
            )
        elif code in seen:
            self.error("code", f"mã trùng với dòng {seen[code]} / same code as line {seen[code]}")
        else:
            seen[code] = self.line
        return code

    def agency(self, ref: Reference) -> int | None:
        """The id of the agency the row names, or ``None`` when there is no such agency."""
        agency_code = self.value("agency_code")
        agency_id = ref.agencies.get(agency_code)
        if agency_id is None:
            self.error(
                "agency_code", f"không có cơ quan '{agency_code}' / no agency '{agency_code}'"
            )
        return agency_id

    def channel(self) -> str | None:
        channel = CHANNELS.get(self.value("channel"))
        if channel is None:
            self.error(
                "channel",
                f"kênh '{self.value('channel')}' không hợp lệ / channel must be one of "
                + ", ".join(CHANNELS),
            )
        return channel

    def status(self) -> str:
        """The status code, or ``""`` when it is not one of 1 to 10."""
        status = self.value("status")
        if status not in STATUSES:
            self.error("status", f"trạng thái '{status}' không hợp lệ / status must be 1 to 10")
            return ""
        return status

    def instants(self, status: str) -> tuple[_When, _When, _When, _When]:
        """Received, due, finished and returned, each checked against the status and the
        others' order."""
        received_at = self.instant("received_at")
        if not self.value("received_at"):
            self.error("received_at", "thiếu thời điểm tiếp nhận / received_at is missing")
        due_at = self.instant("due_at")
        finished_at = self.instant("finished_at")
        returned_at = self.instant("returned_at")
        if status and not self.value("due_at") and status not in WITHOUT_DUE:
            self.error("due_at", f"thiếu hạn xử lý / due_at is required for status {status}")
        if status in FINISHED and not self.value("finished_at"):
            self.error(
                "finished_at",
                f"trạng thái {status} cần thời điểm kết thúc / status {status} needs finished_at",
            )
        if status and status not in FINISHED and self.value("finished_at"):
            self.error(
                "finished_at",
                f"trạng thái {status} chưa kết thúc, phải để trống / "
                f"status {status} is unfinished: leave finished_at empty",
            )
        if self.value("returned_at") and status and status != Status.RETURNED:
            self.error(
                "returned_at",
                "chỉ dùng cho trạng thái 10 / returned_at is only for status 10",
            )
        if received_at is not None and finished_at is not None and finished_at < received_at:
            self.error(
                "finished_at",
                "kết thúc trước khi tiếp nhận / finished_at is before received_at",
            )
        if returned_at is not None and finished_at is not None and returned_at < finished_at:
            self.error("returned_at", "trả trước khi kết thúc / returned_at is before finished_at")
        return received_at, due_at, finished_at, returned_at

    def applicant(self) -> tuple[str, str]:
        """The applicant's name (a placeholder when unknown) and identity number."""
        # Composed, without invisible characters (accounts.validators, as at intake).
        name = clean_line(self.value("applicant_name")) or UNKNOWN_APPLICANT
        if len(name) > NAME_MAX:
            self.error("applicant_name", f"dài quá {NAME_MAX} ký tự / longer than {NAME_MAX}")
        id_number = clean_number(self.value("applicant_id_number"))
        if len(id_number) > ID_MAX:
            self.error("applicant_id_number", f"dài quá {ID_MAX} ký tự / longer than {ID_MAX}")
        elif id_number and not ID_NUMBER_RE.fullmatch(id_number):
            # Old records may carry a 9-digit identity card number, issued before the CCCD.
            self.error(
                "applicant_id_number",
                f"'{id_number}' không phải số định danh 12 số, CMND 9 số hay mã số thuế / is "
                "not a 12-digit personal ID, a 9-digit identity card number or a tax code",
            )
        return name, id_number


class DossierImport:
    """One import run over one file. Construction checks the file (encoding, header) and counts
    its lines; :meth:`run` validates and writes."""

    def __init__(self, path: Path, *, source: str | None = None, batch_size: int = BATCH_SIZE):
        self.path = path
        self.source = source or path.name
        self.batch_size = batch_size
        self.lines = self._check_encoding()
        self.columns = self._header()
        self.zone = ZoneInfo(settings.TIME_ZONE)

    def _check_encoding(self) -> int:
        """Count the lines, refusing a file that is not UTF-8 before anything is written."""
        lines = 0
        with self.path.open("rb") as raw:
            for lines, chunk in enumerate(raw, start=1):
                try:
                    chunk.decode("utf-8")
                except UnicodeDecodeError:
                    raise LegacyFileError(
                        f"Dòng {lines} không phải UTF-8 / line {lines} is not UTF-8"
                    ) from None
        return lines

    def _header(self) -> dict[str, int]:
        with self.path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f), None)
        if not header:
            raise LegacyFileError("Tệp trống / the file is empty")
        columns = {name.strip().lower(): i for i, name in enumerate(header)}
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        unknown = [c for c in columns if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        problems = []
        if missing:
            problems.append(f"thiếu cột / missing columns: {', '.join(missing)}")
        if unknown:
            problems.append(f"cột không biết / unknown columns: {', '.join(unknown)}")
        if len(columns) != len(header):
            problems.append("cột lặp lại / a column is repeated")
        if problems:
            raise LegacyFileError("Dòng tiêu đề / header (line 1): " + "; ".join(problems))
        return columns

    @property
    def total_rows(self) -> int:
        """Lines after the header (rows, unless quoted fields hold line breaks)."""
        return max(self.lines - 1, 0)

    @property
    def default_commit(self) -> str:
        """``file`` (one transaction, all or nothing) up to :data:`WHOLE_FILE_MAX_ROWS` rows,
        ``batch`` (one transaction per batch) above."""
        return "file" if self.total_rows <= WHOLE_FILE_MAX_ROWS else "batch"

    def run(
        self,
        *,
        strict: bool = False,
        dry_run: bool = False,
        commit: str | None = None,
        progress: Callable[[int], object] | None = None,
    ) -> ImportReport:
        """Validate every row and import the valid ones, in one transaction (``commit="file"``)
        or one per batch (``"batch"``; default :attr:`default_commit`). With ``strict`` the file
        is validated first and nothing is written if any row is invalid; with ``dry_run``
        nothing is written at all (skipped codes are still counted). A :class:`LegacyFileError`
        raised here tells how many dossiers it left imported (none unless batches committed)."""
        commit = commit or self.default_commit
        if commit not in COMMIT_MODES:
            raise ValueError(f"commit must be one of {COMMIT_MODES}, not {commit!r}")
        reference = Reference()
        if strict or dry_run:
            checked = self._check(reference, progress, dry_run=dry_run)
            if dry_run or checked.invalid:
                return checked
        if commit == "file":
            return self._import_in_one_transaction(reference, progress)
        return self._import_batch_by_batch(reference, progress)

    def _check(
        self,
        reference: Reference,
        progress: Callable[[int], object] | None,
        *,
        dry_run: bool,
    ) -> ImportReport:
        """Validate every row and count the dossiers an import would add and skip, writing
        nothing. A strict check that found invalid rows reports that none would be imported."""
        checked = ImportReport(self.source, dry_run=dry_run)
        for batch in self._batches(reference, checked, progress):
            codes = [r.code for r in batch]
            existing = set(Dossier.objects.filter(code__in=codes).values_list("code", flat=True))
            checked.skipped += len(existing)
            checked.imported += len(batch) - len(existing)
        if checked.invalid and not dry_run:
            checked.imported = checked.skipped = 0
        return checked

    def _import_in_one_transaction(
        self, reference: Reference, progress: Callable[[int], object] | None
    ) -> ImportReport:
        report = ImportReport(self.source)
        try:
            with transaction.atomic():
                for batch in self._batches(reference, report, progress):
                    self._write(batch, report)
        except LegacyFileError as error:
            raise LegacyFileError(str(error)) from None  # rolled back: nothing imported
        return report

    def _import_batch_by_batch(
        self, reference: Reference, progress: Callable[[int], object] | None
    ) -> ImportReport:
        report = ImportReport(self.source)
        kept_through = 0
        try:
            for batch in self._batches(reference, report, progress):
                self._write(batch, report)
                kept_through = batch[-1].line
        except LegacyFileError as error:
            raise LegacyFileError(
                str(error), imported=report.imported, kept_through=kept_through
            ) from None
        return report

    def _batches(
        self,
        reference: Reference,
        report: ImportReport,
        progress: Callable[[int], object] | None,
    ) -> Iterator[list[_Row]]:
        seen: dict[str, int] = {}
        batch: list[_Row] = []
        done = 0
        with self.path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            next(reader)
            line = reader.line_num + 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:  # e.g. a field over the csv module's size limit
                    raise LegacyFileError(f"dòng / line {line}: {exc}") from None
                start, line = line, reader.line_num + 1
                done += 1
                if progress is not None and done % 1000 == 0:
                    progress(1000)
                if not values:
                    continue
                report.rows += 1
                errors: list[RowError] = []
                row = self._row(values, start, reference, seen, errors)
                if errors:
                    report.invalid += 1
                    report.errors.extend(errors)
                elif row is not None:
                    batch.append(row)
                    if len(batch) >= self.batch_size:
                        yield batch
                        batch = []
        if progress is not None:
            progress(done % 1000)
        if batch:
            yield batch

    def _row(
        self,
        values: list[str],
        line: int,
        ref: Reference,
        seen: dict[str, int],
        errors: list[RowError],
    ) -> _Row | None:
        """The row as a dossier to import, or ``None`` with its problems added to ``errors``
        (in the order of the columns checked: code, agency, channel, status, instants,
        procedure and case, applicant)."""
        if len(values) != len(self.columns):
            errors.append(_field_count_error(line, len(values), len(self.columns)))
            return None
        row = _Fields(values, self.columns, line, errors)
        code = row.code(seen)
        agency_id = row.agency(ref)
        channel = row.channel()
        status = row.status()
        received_at, due_at, finished_at, returned_at = row.instants(status)
        version, case_id = self._version_and_case(row, ref, received_at)
        name, id_number = row.applicant()
        if (
            errors
            or version is None
            or case_id is None
            or agency_id is None
            or channel is None
            or received_at is None
        ):
            return None
        if status == Status.RETURNED and returned_at is None:
            returned_at = finished_at
        return _Row(
            line=line,
            code=code,
            version=version,
            case_id=case_id,
            agency_id=agency_id,
            lead_id=ref.lead(version.procedure_id, agency_id),
            channel=channel,
            status=status,
            received_at=received_at,
            due_at=due_at,
            finished_at=finished_at,
            returned_at=returned_at,
            applicant_name=name,
            applicant_id_number=id_number,
        )

    def _version_and_case(
        self, row: "_Fields", ref: Reference, received_at: dt.datetime | None
    ) -> tuple[Version | None, int | None]:
        """The procedure version in force on the day received and the case the row names
        (the version's first case when it names none)."""
        procedure_code = row.value("procedure_code")
        if procedure_code not in ref.versions:
            row.error(
                "procedure_code",
                f"không có thủ tục '{procedure_code}' / no procedure '{procedure_code}'",
            )
            return None, None
        if received_at is None:
            return None, None
        day = received_at.astimezone(self.zone).date()
        version = ref.version_on(procedure_code, day)
        if version is None:
            row.error(
                "procedure_code",
                f"thủ tục {procedure_code} không có hiệu lực ngày {day:%d/%m/%Y} / "
                f"procedure {procedure_code} is not in force on {day.isoformat()}",
            )
            return None, None
        case_code = row.value("case_code")
        case_id = version.cases.get(case_code) if case_code else version.first_case
        if case_id is None:
            row.error(
                "case_code" if case_code else "procedure_code",
                f"thủ tục {procedure_code} không có trường hợp '{case_code}' / "
                f"procedure {procedure_code} has no case '{case_code}'",
            )
        return version, case_id

    def _write(self, batch: list[_Row], report: ImportReport) -> None:
        """One batch, all or nothing: its new dossiers, one IMPORTED event each, and the
        daily counters moved past the imported codes."""
        with transaction.atomic():
            existing = set(
                Dossier.objects.filter(code__in=[r.code for r in batch]).values_list(
                    "code", flat=True
                )
            )
            rows = [r for r in batch if r.code not in existing]
            report.skipped += len(existing)
            if not rows:
                return
            dossiers = Insert(Dossier, DOSSIER_COLUMNS)
            dossiers.run([self._dossier(r, dossiers.adapt) for r in rows])
            pks = dict(
                Dossier.objects.filter(code__in=[r.code for r in rows]).values_list("code", "pk")
            )
            events = Insert(DossierEvent, EVENT_COLUMNS)
            events.run([self._event(pks[r.code], r, events.adapt) for r in rows])
            advance_counters([r.code for r in rows])
            add_facts(self._fact(r) for r in rows)
            report.imported += len(rows)

    @staticmethod
    def _fact(row: _Row) -> rollup.Fact | None:
        return rollup.fact_of(agency_id=row.agency_id, version_id=row.version.pk,
                              channel=row.channel, status=row.status,
                              received_at=row.received_at, due_at=row.due_at,
                              finished_at=row.finished_at,
                              returned_at=row.returned_at)  # fmt: skip

    @staticmethod
    def _dossier(row: _Row, adapt: Callable[[dt.datetime | None], Any]) -> tuple[Any, ...]:
        # In the order of DOSSIER_COLUMNS.
        return (
            row.code,
            row.version.pk,
            row.case_id,
            row.channel,
            row.status,
            row.applicant_name,
            search_key(row.applicant_name),
            row.applicant_id_number,
            row.agency_id,
            row.lead_id,
            row.agency_id,
            adapt(row.received_at if row.channel == Channel.ONLINE else None),
            adapt(row.received_at),
            adapt(row.received_at),
            adapt(row.due_at),
            adapt(row.finished_at),
            adapt(row.returned_at),
            # A paused dossier resumes to processing (``services`` restores this status).
            Status.PROCESSING.value if row.status in PAUSED else "",
            True,
            new_tracking_pin(),
        )

    def _event(
        self, dossier_id: int, row: _Row, adapt: Callable[[dt.datetime | None], Any]
    ) -> tuple[Any, ...]:
        data: dict[str, Any] = {
            "source": self.source,
            "line": row.line,
            "due_at": iso(row.due_at) if row.due_at else None,
            "finished_at": iso(row.finished_at) if row.finished_at else None,
            "returned_at": iso(row.returned_at) if row.returned_at else None,
        }
        if row.status in JUDGED and row.finished_at is not None:
            data["timeliness"] = classify_finished(row.finished_at, row.due_at).value
        # In the order of EVENT_COLUMNS.
        return (
            dossier_id,
            Action.IMPORTED.value,
            "",
            row.status,
            row.agency_id,
            adapt(row.received_at),
            EVENT_DATA.get_db_prep_save(data, connection),
        )
