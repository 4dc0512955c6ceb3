"""Plain, validated descriptions of procedures as they are published; services write them and
the interchange formats read and produce them. Equal specs mean identical published content."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    form: str
    copies: int = 1
    mandatory: bool = True
    eform: str = ""


@dataclass(frozen=True)
class FeeSpec:
    kind: str
    name: str
    amount: int
    note: str = ""


@dataclass(frozen=True)
class StepSpec:
    name: str
    role: str
    unit: str
    allowance: Decimal
    agency: str = ""


@dataclass(frozen=True)
class CaseSpec:
    code: str
    name: str
    processing_time: Decimal | None
    time_unit: str
    documents: tuple[DocumentSpec, ...] = ()
    fees: tuple[FeeSpec, ...] = ()
    process: tuple[StepSpec, ...] = ()


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field: str
    levels: frozenset[str]
    competent_authority: str
    online_level: str
    receiving_authority: str = ""
    legal_basis: str = ""
    inter_agency: bool = False
    residence_free: bool = False
    result_electronic: bool = False
    result: str = ""
    cases: tuple[CaseSpec, ...] = ()
