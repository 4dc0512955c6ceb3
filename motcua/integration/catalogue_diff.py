"""A pulled catalogue change field by field, for the catalogue officer: each published field of
the procedure and of each case (by its code), ours beside the national one, the changed ones
marked. Internal processes are the province's own and not compared (``catalogue_sync``)."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalogue.models import (
    DocumentForm,
    FeeKind,
    OnlineLevel,
    ProcedureVersion,
    TimeUnit,
)
from motcua.catalogue.specs import CaseSpec, ProcedureSpec

LEVELS = ("central", "province", "district", "commune")


@dataclass(frozen=True)
class Row:
    label: str
    ours: str
    national: str

    @property
    def changed(self) -> bool:
        return self.ours != self.national


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def field(name: str) -> Any:
    """A ``ProcedureVersion`` field (its ``verbose_name`` is the label, translated)."""
    return ProcedureVersion._meta.get_field(name)


def _procedure_lines(spec: ProcedureSpec) -> dict[str, str]:
    return {
        str(field("name").verbose_name): spec.name,
        str(field("field").verbose_name): spec.field,
        _("levels"): ", ".join(
            str(field(f"at_{level}").verbose_name) for level in LEVELS if level in spec.levels
        ),
        str(field("competent_authority").verbose_name): spec.competent_authority,
        str(field("receiving_authority").verbose_name): spec.receiving_authority,
        str(field("online_level").verbose_name): str(OnlineLevel(spec.online_level).label),
        str(field("legal_basis").verbose_name): spec.legal_basis,
        str(field("inter_agency").verbose_name): _yes(spec.inter_agency),
        str(field("residence_free").verbose_name): _yes(spec.residence_free),
        str(field("result").verbose_name): spec.result,
    }


def _case_lines(case: CaseSpec) -> dict[str, str]:
    time = (
        f"{case.processing_time.normalize():f} " if case.processing_time is not None else ""
    ) + str(TimeUnit(case.time_unit).label)
    documents = "\n".join(
        f"{d.name} ({DocumentForm(d.form).label}, {d.copies}"
        + ("" if d.mandatory else f", {_('if applicable')}")
        + ")"
        for d in case.documents
    )
    fees = "\n".join(
        f"{FeeKind(f.kind).label}: {f.name} — {f.amount:,} đ".replace(",", ".")
        + (f" ({f.note})" if f.note else "")
        for f in case.fees
    )
    return {
        _("name"): case.name,
        _("processing time"): time,
        _("required documents"): documents,
        _("fees and charges"): fees,
    }


def diff(ours: ProcedureSpec | None, national: ProcedureSpec | None) -> list[Row]:
    """Every published field, ours and the national one (empty where a side has none: a new
    procedure has no ours, an abolished one no national)."""
    left = _procedure_lines(ours) if ours else {}
    right = _procedure_lines(national) if national else {}
    rows = [Row(label, left.get(label, ""), right.get(label, "")) for label in left | right]
    our_cases = {c.code: c for c in ours.cases} if ours else {}
    their_cases = {c.code: c for c in national.cases} if national else {}
    for code in sorted(our_cases.keys() | their_cases.keys()):
        a = _case_lines(our_cases[code]) if code in our_cases else {}
        b = _case_lines(their_cases[code]) if code in their_cases else {}
        prefix = _("Case %(code)s") % {"code": code}
        rows += [Row(f"{prefix}: {label}", a.get(label, ""), b.get(label, "")) for label in a | b]
    return rows
