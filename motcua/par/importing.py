"""Importing the year's PAR criteria from the province's XLSX file (layout in docs/par.md):
the first sheet, a title in A1, a header row, then one row per area ("1"), criterion ("1.1")
and sub-criterion ("1.1.1") with its maximum points, scoring guidance, the figure the system
measures it by (if any) and the target at which that figure earns full points.

Every row is checked and every problem reported with its row number; the set is written only
when there is none, in one transaction, so nothing is half-imported. A year's set is replaced
only while no agency has opened its self-assessment."""

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from motcua.accounts.models import User
from motcua.errors import Refusal
from motcua.par import history
from motcua.par.models import Area, CriteriaSet, Criterion, Measure, SubCriterion
from motcua.par.permissions import require_reform_office
from motcua.par.workflow import Action

CODE_RE = re.compile(r"^[0-9]{1,2}(\.[0-9]{1,2}){0,2}$")
FIRST_ROW = 3  # A1 holds the title, row 2 the headers
MAX_ROWS = 2000
MEASURES = {m.value for m in Measure if m.value}


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row of the file (row 0: the file as a whole)."""

    row: int
    code: str
    message: str


class ImportRefused(Refusal):
    """The file has problems: none of it was imported; ``problems`` lists them by row."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(
            _("The file has %(n)s problems; nothing was imported.") % {"n": len(problems)},
            code="par_import_invalid",
        )
        self.problems = problems


@dataclass
class Line:
    """One row of the file, read and checked."""

    row: int
    code: str
    name: str
    points: Decimal
    guidance: str = ""
    measure: str = ""
    target: Decimal | None = None
    children: list["Line"] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> Decimal | None:
    if isinstance(value, int | float):
        return Decimal(str(value))
    try:
        return Decimal(_text(value).replace(",", "."))
    except InvalidOperation:
        return None


class _Reader:
    """Reads the rows into a tree, collecting every problem."""

    def __init__(self) -> None:
        self.problems: list[RowProblem] = []
        self.lines: dict[str, Line] = {}
        self.areas: list[Line] = []

    def fail(self, row: int, code: str, message: str) -> None:
        self.problems.append(RowProblem(row, code, message))

    def read(self, row: int, cells: tuple[Any, ...]) -> None:
        code, name, points, guidance, measure, target = (tuple(cells) + (None,) * 6)[:6]
        code, name = _text(code), _text(name)
        if not code and not name and points is None:
            return
        if not CODE_RE.match(code):
            self.fail(
                row,
                "par_row_code",
                _("The code %(code)r is not like 1, 1.2 or 1.2.3.") % {"code": code},
            )
            return
        if code in self.lines:
            self.fail(
                row, "par_row_duplicate", _("The code %(code)s is used twice.") % {"code": code}
            )
            return
        if not name:
            self.fail(row, "par_row_name", _("The row has no content."))
        value = _number(points)
        if value is None or value < 0 or value > 1000:
            self.fail(row, "par_row_points", _("The maximum points are not a number ≥ 0."))
            value = Decimal(0)
        line = Line(row, code, name[:1000], value.quantize(Decimal("0.01")), _text(guidance))
        self._measure(line, _text(measure), target)
        self._place(line)

    def _measure(self, line: Line, measure: str, target: Any) -> None:
        if not measure:
            return
        if measure not in MEASURES or line.depth != 3:
            self.fail(
                line.row,
                "par_row_measure",
                _("Only a sub-criterion is measured, by one of: %(names)s.")
                % {"names": ", ".join(sorted(MEASURES))},
            )
            return
        line.measure = measure
        if target is None or _text(target) == "":
            return
        value = _number(target)
        if value is None or not 0 < value <= 100:
            self.fail(line.row, "par_row_target", _("The target is a percentage above 0."))
            return
        line.target = value

    def _place(self, line: Line) -> None:
        self.lines[line.code] = line
        if line.depth == 1:
            self.areas.append(line)
            return
        parent = self.lines.get(line.code.rpartition(".")[0])
        if parent is None:
            self.fail(
                line.row,
                "par_row_parent",
                _("No row above it is its %(what)s.")
                % {"what": _("area") if line.depth == 2 else _("criterion")},
            )
            return
        parent.children.append(line)

    def check_sums(self) -> None:
        for line in self.lines.values():
            if line.depth == 3:
                continue
            if not line.children:
                self.fail(
                    line.row,
                    "par_row_empty",
                    _("%(code)s has nothing under it.") % {"code": line.code},
                )
                continue
            total = sum((child.points for child in line.children), Decimal(0))
            if total != line.points:
                self.fail(
                    line.row,
                    "par_row_sum",
                    _(
                        "%(code)s is worth %(points)s points but what is under it adds up "
                        "to %(total)s."
                    )
                    % {"code": line.code, "points": line.points, "total": total},
                )


def read_workbook(content: bytes) -> list[Line]:
    """The areas read from the file, with their criteria and sub-criteria; ``ImportRefused``
    listing every problem by row when there is one."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as unreadable:  # openpyxl raises many kinds for a file that is no XLSX
        raise Refusal(
            _("The file is not an Excel workbook (.xlsx)."),
            code="par_file_unreadable",
            field="file",
        ) from unreadable
    sheet = book.worksheets[0]
    reader = _Reader()
    for row, cells in enumerate(sheet.iter_rows(min_row=FIRST_ROW, values_only=True), FIRST_ROW):
        if row >= FIRST_ROW + MAX_ROWS:
            reader.fail(row, "par_file_too_long", _("The file has too many rows."))
            break
        reader.read(row, cells)
    book.close()
    if not reader.areas and not reader.problems:
        reader.fail(0, "par_file_empty", _("The file has no criteria."))
    reader.check_sums()
    if reader.problems:
        raise ImportRefused(sorted(reader.problems, key=lambda p: p.row))
    return reader.areas


def import_criteria(
    upload: IO[bytes], *, year: int, name: str, actor: User | None, now: dt.datetime | None = None
) -> CriteriaSet:
    """Import ``year``'s criteria from the province's XLSX ``upload`` (named ``name``); the
    reform office only (or the operator, ``actor=None``)."""
    now = now or timezone.now()
    require_reform_office(actor)
    content = upload.read()
    areas = read_workbook(content)
    title = _("PAR index criteria %(year)s") % {"year": year}
    with transaction.atomic():
        found = CriteriaSet.objects.select_for_update().filter(year=year).first()
        if found is not None and found.assessments.exists():
            raise Refusal(
                _(
                    "Agencies have started their self-assessment of %(year)s: its "
                    "criteria can no longer be replaced."
                )
                % {"year": year},
                code="par_set_in_use",
            )
        if found is not None:
            found.areas.all().delete()
        criteria_set = found or CriteriaSet(year=year)
        criteria_set.title, criteria_set.source_name = title, name[:255]
        criteria_set.sha256 = hashlib.sha256(content).hexdigest()
        criteria_set.imported_at, criteria_set.imported_by = now, actor
        criteria_set.save()
        counts = _write(criteria_set, areas)
        history.record(
            Action.IMPORT,
            actor=actor,
            now=now,
            criteria_set=criteria_set,
            data={
                "file": name[:255],
                "sha256": criteria_set.sha256,
                "replaced": found is not None,
                **counts,
            },
        )
    return criteria_set


def _write(criteria_set: CriteriaSet, areas: list[Line]) -> dict[str, int]:
    criteria: list[Criterion] = []
    subs: list[SubCriterion] = []
    for a, area_line in enumerate(areas, 1):
        area = Area.objects.create(
            criteria_set=criteria_set,
            code=area_line.code,
            name=area_line.name,
            max_points=area_line.points,
            position=a,
        )
        for c, line in enumerate(area_line.children, 1):
            criterion = Criterion.objects.create(
                area=area, code=line.code, name=line.name, max_points=line.points, position=c
            )
            criteria.append(criterion)
            subs.extend(
                SubCriterion(
                    criterion=criterion,
                    code=s.code,
                    name=s.name,
                    max_points=s.points,
                    guidance=s.guidance,
                    measure=s.measure,
                    target=s.target,
                    position=p,
                )
                for p, s in enumerate(line.children, 1)
            )
    SubCriterion.objects.bulk_create(subs)
    return {"areas": len(areas), "criteria": len(criteria), "sub_criteria": len(subs)}
