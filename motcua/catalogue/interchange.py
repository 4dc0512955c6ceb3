"""Import and export of the catalogue in the interchange format (docs/catalogue-format.md).

``parse_catalogue`` validates a nested dict (from JSON, or from XLSX/CSV through ``tabular``)
and returns specs or every error found, each located by its row (``_row``) or JSON path.
``import_catalogue`` checks the parsed catalogue against the database and writes it in one
transaction, or writes nothing at all.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.accounts.models import Agency, Role, User
from motcua.catalogue import queries, services
from motcua.catalogue.models import (
    Decision,
    DocumentForm,
    FeeKind,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    TimeUnit,
    VersionStatus,
)
from motcua.catalogue.rules import check_allowances
from motcua.catalogue.specs import CaseSpec, DocumentSpec, FeeSpec, ProcedureSpec, StepSpec

FORMAT = "motcua-catalogue/1"
LEVELS = ("central", "province", "district", "commune")
STEP_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.HEAD_OF_DEPARTMENT, Role.SIGNING_LEADER)


@dataclass(frozen=True)
class ImportIssue:
    """One problem in an import file, located by sheet and row or by JSON path."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class CatalogueImportError(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        super().__init__("\n".join(str(i) for i in issues))
        self.issues = issues


@dataclass
class ParsedCatalogue:
    fields: dict[str, dict[str, str]] = field(default_factory=dict)
    decisions: dict[str, dict[str, Any]] = field(default_factory=dict)
    procedures: list[tuple[str, str, ProcedureSpec]] = field(default_factory=list)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    amended: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    fields_created: int = 0
    decisions_created: int = 0


class _Reader:
    """Collects issues while reading values out of nested dicts."""

    def __init__(self) -> None:
        self.issues: list[ImportIssue] = []

    def where(self, item: dict[str, Any], path: str) -> str:
        row = item.get("_row")
        if isinstance(row, dict):
            return f"{row.get('sheet')}, dòng/row {row.get('row')}"
        return path

    def fail(self, where: str, message: str) -> None:
        self.issues.append(ImportIssue(where, message))

    def items(self, item: Any, key: str, where: str) -> list[tuple[int, dict[str, Any]]]:
        """The objects under ``key`` with their positions (none when absent); anything but a
        list is an issue, and so is an entry that is not an object (it is left out)."""
        raw = item.get(key) if isinstance(item, dict) else None
        if raw is None or raw == "":
            return []
        if not isinstance(raw, list):
            self.fail(where, f"“{key}” phải là danh sách / must be a list")
            return []
        bad = [i for i, entry in enumerate(raw) if not isinstance(entry, dict)]
        if bad:
            self.fail(
                where,
                f"“{key}”: mục {', '.join(str(i) for i in bad[:10])} không phải đối tượng / "
                "entries must be objects",
            )
        return [(i, entry) for i, entry in enumerate(raw) if isinstance(entry, dict)]

    def text(self, item: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        raw = item.get(key, "")
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            self.fail(where, f"“{key}” phải là chuỗi / must be text")
            return ""
        value: str = raw.strip()
        if required and not value:
            self.fail(where, f"thiếu “{key}” / “{key}” is required")
        return value

    def choice(self, item: dict[str, Any], key: str, where: str, allowed: tuple[str, ...]) -> str:
        value = self.text(item, key, where)
        if value and value not in allowed:
            self.fail(
                where,
                f"“{key}” = “{value}” không hợp lệ / is not valid; "
                f"dùng / use: {', '.join(allowed)}",
            )
        return value

    def flag(self, item: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = item.get(key, default)
        if not isinstance(value, bool):
            self.fail(where, f"“{key}” phải là true/false / must be true or false")
            return default
        return value

    def decimal(
        self, item: dict[str, Any], key: str, where: str, *, positive: bool
    ) -> Decimal | None:
        raw = item.get(key)
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            self.fail(where, f"“{key}” phải là số / must be a number, not “{raw}”")
            return None
        if not value.is_finite() or value < 0 or (positive and value == 0):
            self.fail(where, f"“{key}” phải lớn hơn 0 / must be greater than 0")
            return None
        if value != value.quantize(Decimal("0.01")):
            self.fail(where, f"“{key}”: tối đa 2 chữ số thập phân / at most 2 decimal places")
            return None
        return value.normalize()

    def integer(
        self, item: dict[str, Any], key: str, where: str, default: int, minimum: int
    ) -> int:
        value = item.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(
                where, f"“{key}” phải là số nguyên ≥ {minimum} / must be a whole number ≥ {minimum}"
            )
            return default
        return value

    def date(self, item: dict[str, Any], key: str, where: str) -> dt.date | None:
        raw = item.get(key)
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            self.fail(where, f"“{key}” phải là ngày YYYY-MM-DD / must be a date YYYY-MM-DD")
            return None


def _parse_case(r: _Reader, item: dict[str, Any], path: str) -> CaseSpec:
    where = r.where(item, path)
    issues_before = len(r.issues)
    unit = r.choice(item, "time_unit", where, tuple(TimeUnit.values))
    time: Decimal | None = None
    if unit == TimeUnit.NONE:
        if item.get("processing_time") not in (None, ""):
            r.fail(where, "không ghi thời hạn khi “time_unit” là none / no time when unit is none")
    elif unit:
        time = r.decimal(item, "processing_time", where, positive=True)
    documents = []
    for i, doc in r.items(item, "documents", where):
        w = r.where(doc, f"{path}.documents[{i}]")
        documents.append(
            DocumentSpec(
                name=r.text(doc, "name", w),
                form=r.choice(doc, "form", w, tuple(DocumentForm.values)),
                copies=r.integer(doc, "copies", w, 1, 1),
                mandatory=r.flag(doc, "mandatory", w, True),
                eform=r.text(doc, "eform", w, required=False),
            )
        )
    fees = []
    for i, fee in r.items(item, "fees", where):
        w = r.where(fee, f"{path}.fees[{i}]")
        fees.append(
            FeeSpec(
                kind=r.choice(fee, "kind", w, tuple(FeeKind.values)),
                name=r.text(fee, "name", w),
                amount=r.integer(fee, "amount", w, 0, 0),
                note=r.text(fee, "note", w, required=False),
            )
        )
    steps = []
    for i, step in r.items(item, "process", where):
        w = r.where(step, f"{path}.process[{i}]")
        allowance = r.decimal(step, "allowance", w, positive=False)
        steps.append(
            StepSpec(
                name=r.text(step, "name", w),
                role=r.choice(step, "role", w, tuple(str(x) for x in STEP_ROLES)),
                unit=r.text(step, "unit", w),
                allowance=allowance if allowance is not None else Decimal(0),
                agency=r.text(step, "agency", w, required=False),
            )
        )
    # The sum is checked only when this case's own values could all be read.
    if steps and unit and len(r.issues) == issues_before:
        try:
            check_allowances(time, unit, [s.allowance for s in steps])
        except ValidationError as exc:
            r.fail(where, " ".join(exc.messages))
    return CaseSpec(
        code=r.text(item, "code", where),
        name=r.text(item, "name", where),
        processing_time=time,
        time_unit=unit,
        documents=tuple(documents),
        fees=tuple(fees),
        process=tuple(steps),
    )


def parse_catalogue(data: Any) -> ParsedCatalogue:
    """Validate the nested catalogue; raise ``CatalogueImportError`` listing every problem."""
    r = _Reader()
    parsed = ParsedCatalogue()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogueImportError(
            [ImportIssue("format", f"tệp không theo định dạng / file is not in format {FORMAT}")]
        )
    for i, item in r.items(data, "fields", "fields"):
        where = r.where(item, f"fields[{i}]")
        code = r.text(item, "code", where)
        parsed.fields[code] = {
            "name": r.text(item, "name", where),
            "name_en": r.text(item, "name_en", where, required=False),
        }
    for i, item in r.items(data, "decisions", "decisions"):
        where = r.where(item, f"decisions[{i}]")
        number = r.text(item, "number", where)
        signed_on = r.date(item, "signed_on", where)
        effective = r.date(item, "effective_from", where)
        if signed_on and effective and effective < signed_on:
            r.fail(where, "ngày hiệu lực trước ngày ký / takes effect before it was signed")
        if number in parsed.decisions:
            r.fail(where, f"quyết định {number} lặp lại / decision {number} is repeated")
        parsed.decisions[number] = {
            "number": number,
            "signed_on": signed_on,
            "effective_from": effective,
            "issuer": r.text(item, "issuer", where),
            "title": r.text(item, "title", where, required=False),
        }
    seen: set[str] = set()
    for i, item in r.items(data, "procedures", "procedures"):
        path = f"procedures[{i}]"
        where = r.where(item, path)
        code = r.text(item, "code", where)
        if code in seen:
            r.fail(where, f"mã thủ tục {code} lặp lại / procedure code {code} is repeated")
        seen.add(code)
        levels = item.get("levels") or []
        if not isinstance(levels, list) or not levels or any(x not in LEVELS for x in levels):
            r.fail(where, f"“levels” phải gồm / must be some of: {', '.join(LEVELS)}")
            levels = []
        cases = [
            _parse_case(r, case, f"{path}.cases[{j}]") for j, case in r.items(item, "cases", where)
        ]
        if not cases:
            r.fail(where, "cần ít nhất một trường hợp / at least one case is needed")
        case_codes = [c.code for c in cases]
        if len(set(case_codes)) != len(case_codes):
            r.fail(where, "mã trường hợp lặp lại / a case code is repeated")
        spec = ProcedureSpec(
            code=code,
            name=r.text(item, "name", where),
            field=r.text(item, "field", where),
            levels=frozenset(levels),
            competent_authority=r.text(item, "competent_authority", where),
            online_level=r.choice(item, "online_level", where, tuple(OnlineLevel.values)),
            receiving_authority=r.text(item, "receiving_authority", where, required=False),
            legal_basis=r.text(item, "legal_basis", where, required=False),
            inter_agency=r.flag(item, "inter_agency", where, False),
            residence_free=r.flag(item, "residence_free", where, False),
            result_electronic=r.flag(item, "result_electronic", where, False),
            result=r.text(item, "result", where, required=False),
            cases=tuple(cases),
        )
        parsed.procedures.append((where, r.text(item, "decision", where), spec))
    if r.issues:
        raise CatalogueImportError(r.issues)
    return parsed


def _check_against_database(parsed: ParsedCatalogue, amend: bool) -> list[ImportIssue]:
    issues: list[ImportIssue] = []
    known_fields = set(Field.objects.values_list("code", flat=True)) | parsed.fields.keys()
    known_decisions = set(Decision.objects.values_list("number", flat=True))
    agencies = set(Agency.objects.values_list("code", flat=True))
    in_force = {
        v.procedure.code: v
        for v in ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related(
            "procedure"
        )
    }
    existing_codes = set(Procedure.objects.values_list("code", flat=True))
    for where, decision, spec in parsed.procedures:
        if spec.field not in known_fields:
            issues.append(ImportIssue(where, f"lĩnh vực “{spec.field}” chưa có / unknown field"))
        if decision not in parsed.decisions and decision not in known_decisions:
            issues.append(ImportIssue(where, f"quyết định “{decision}” chưa có / unknown decision"))
        for case in spec.cases:
            for step in case.process:
                if step.agency and step.agency not in agencies:
                    issues.append(
                        ImportIssue(where, f"cơ quan “{step.agency}” chưa có / unknown agency")
                    )
        if spec.code in existing_codes and spec.code not in in_force:
            issues.append(
                ImportIssue(
                    where,
                    f"thủ tục {spec.code} đã bãi bỏ hoặc thay thế / has been abolished or replaced",
                )
            )
        elif spec.code in in_force and not amend:
            current = queries.version_with_details(in_force[spec.code].pk)
            if queries.spec_of(current) != spec:
                issues.append(
                    ImportIssue(
                        where,
                        f"thủ tục {spec.code} đã có với nội dung khác; chạy lại với --amend để "
                        "công bố phiên bản mới / already exists with different content; use "
                        "--amend to publish a new version",
                    )
                )
    return issues


def import_catalogue(
    data: Any, *, actor: User | None, amend: bool = False, dry_run: bool = False
) -> ImportReport:
    """Validate ``data`` whole, then write it in one transaction (or nothing on any error).

    Procedures already in force with identical content are left alone, so a re-run is harmless.
    With ``amend`` a procedure whose content differs gets a new version under the file's
    decision."""
    parsed = parse_catalogue(data)
    issues = _check_against_database(parsed, amend)
    if issues:
        raise CatalogueImportError(issues)
    report = ImportReport()
    with transaction.atomic():
        for code, names in parsed.fields.items():
            # A table file carries no English name: keep the one already recorded.
            known = {key: value for key, value in names.items() if value}
            _obj, created = Field.objects.update_or_create(code=code, defaults=known)
            report.fields_created += int(created)
        decisions: dict[str, Decision] = {}
        for number, values in parsed.decisions.items():
            before = Decision.objects.count()
            decisions[number] = services.get_or_create_decision(**values)
            report.decisions_created += Decision.objects.count() - before
        for where, number, spec in parsed.procedures:
            decision = decisions.get(number) or Decision.objects.filter(number=number).first()
            assert decision is not None  # checked above  # noqa: S101
            try:
                current = ProcedureVersion.objects.filter(
                    procedure__code=spec.code, status=VersionStatus.PUBLISHED
                ).first()
                if current is None:
                    services.publish_procedure(spec, decision=decision, actor=actor)
                    report.created.append(spec.code)
                elif queries.spec_of(queries.version_with_details(current.pk)) == spec:
                    report.unchanged.append(spec.code)
                else:
                    services.amend_procedure(
                        current.procedure, spec, decision=decision, actor=actor
                    )
                    report.amended.append(spec.code)
            except ValidationError as exc:
                raise CatalogueImportError([ImportIssue(where, m) for m in exc.messages]) from exc
        if dry_run:
            transaction.set_rollback(True)
    return report


def export_catalogue(on: dt.date | None = None) -> dict[str, Any]:
    """The catalogue in force (today, or on ``on``) as a nested dict in the interchange format."""
    versions = [
        queries.version_with_details(v.pk)
        for v in queries.versions_in_force(on).order_by("procedure__code")
    ]
    fields = {v.field.code: v.field for v in versions}
    decisions = {v.published_by.number: v.published_by for v in versions}
    procedures = []
    for version in versions:
        spec = queries.spec_of(version)
        procedures.append(
            {
                "code": spec.code,
                "name": spec.name,
                "field": spec.field,
                "levels": [level for level in LEVELS if level in spec.levels],
                "competent_authority": spec.competent_authority,
                "receiving_authority": spec.receiving_authority,
                "online_level": spec.online_level,
                "legal_basis": spec.legal_basis,
                "inter_agency": spec.inter_agency,
                "residence_free": spec.residence_free,
                "result_electronic": spec.result_electronic,
                "result": spec.result,
                "decision": version.published_by.number,
                "cases": [_case_dict(case) for case in spec.cases],
            }
        )
    return {
        "format": FORMAT,
        "fields": [
            {"code": f.code, "name": f.name, "name_en": f.name_en}
            for f in sorted(fields.values(), key=lambda f: f.code)
        ],
        "decisions": [
            {
                "number": d.number,
                "signed_on": d.signed_on.isoformat(),
                "issuer": d.issuer,
                "effective_from": d.effective_from.isoformat(),
                "title": d.title,
            }
            for d in sorted(decisions.values(), key=lambda d: d.number)
        ],
        "procedures": procedures,
    }


def _case_dict(case: CaseSpec) -> dict[str, Any]:
    return {
        "code": case.code,
        "name": case.name,
        "processing_time": (
            format(case.processing_time, "f") if case.processing_time is not None else None
        ),
        "time_unit": case.time_unit,
        "documents": [
            {
                "name": d.name,
                "form": d.form,
                "copies": d.copies,
                "mandatory": d.mandatory,
                "eform": d.eform,
            }
            for d in case.documents
        ],
        "fees": [
            {"kind": f.kind, "name": f.name, "amount": f.amount, "note": f.note} for f in case.fees
        ],
        "process": [
            {
                "name": s.name,
                "role": s.role,
                "unit": s.unit,
                "allowance": format(s.allowance, "f"),
                **({"agency": s.agency} if s.agency else {}),
            }
            for s in case.process
        ],
    }
