"""Thu trực tuyến và thu tại quầy / Fees collected online and at the desk: per receiving agency
and procedure, the payments recorded on dossiers in a period (local dates), split by how they
were paid.

Read from the engine's payment events (``collect_fee`` for the procedure's fees and
``confirm_payment`` for a financial obligation; ``dossiers.services.PAYMENT_ACTIONS``): each
holds the amount and the method, ``online`` when the gateway's verified notice recorded it
(``motcua.payments``), cash, transfer or card at the desk otherwise. An online payment since
refunded (the dossier's ``refund`` event naming its receipt, written by ``payments.refunds``
once the gateway gave the money back) is not counted, whenever the refund was made: the money
was not kept. Payment events are few beside dossiers: one query (the period's payments and
every refund), summed in Python (the amount is a string in the event's JSON)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from motcua.dossiers.models import DossierEvent, PaymentMethod
from motcua.dossiers.workflow import Action
from motcua.reports.behind import Period

# The engine's payment events (``dossiers.services.PAYMENT_ACTIONS``; reports do not import the
# engine's writers).
PAYMENT_ACTIONS = (Action.COLLECT_FEE.value, Action.CONFIRM_PAYMENT.value)


@dataclass
class Collected:
    """Payments (count and VND) online and at the desk."""

    online_count: int = 0
    online_amount: Decimal = Decimal(0)
    desk_count: int = 0
    desk_amount: Decimal = Decimal(0)

    def add(self, amount: Decimal, online: bool) -> None:
        if online:
            self.online_count += 1
            self.online_amount += amount
        else:
            self.desk_count += 1
            self.desk_amount += amount

    def as_dict(self) -> dict[str, Any]:
        return {
            "online_count": self.online_count,
            "online_amount": int(self.online_amount),
            "desk_count": self.desk_count,
            "desk_amount": int(self.desk_amount),
            "total_amount": int(self.online_amount + self.desk_amount),
        }


@dataclass
class CollectedRow:
    """One receiving agency, and one procedure of it (``procedure`` empty: the agency's
    total)."""

    agency: str
    agency_name: str
    procedure: str
    procedure_name: str
    collected: Collected = field(default_factory=Collected)

    def as_dict(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "agency_name": self.agency_name,
            "procedure": self.procedure,
            "procedure_name": self.procedure_name,
            **self.collected.as_dict(),
        }


@dataclass
class CollectedReport:
    start: dt.date
    end: dt.date
    agencies: list[CollectedRow]
    procedures: list[CollectedRow]
    total: Collected

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.start,
            "to": self.end,
            "agencies": [r.as_dict() for r in self.agencies],
            "procedures": [r.as_dict() for r in self.procedures],
            "total": self.total.as_dict(),
        }


@dataclass(frozen=True)
class PaymentRecord:
    """One payment recorded on a dossier."""

    dossier_id: int
    agency_id: int
    agency: str
    agency_name: str
    procedure_id: int
    procedure: str
    procedure_name: str
    amount: Decimal
    online: bool
    receipt: str = ""


def payments_in(start: dt.date, end: dt.date, agency_ids: set[int] | None) -> list[PaymentRecord]:
    """The payments recorded in [start, end] on dossiers received at ``agency_ids`` (all when
    ``None``), amounts above zero only."""
    period = Period(start, end)
    events = DossierEvent.objects.filter(
        Q(action__in=PAYMENT_ACTIONS, at__gte=period.low, at__lt=period.high)
        | Q(action=Action.REFUND.value, data__counted=True)
    )
    if agency_ids is not None:
        events = events.filter(dossier__receiving_agency_id__in=sorted(agency_ids))
    records = []
    refunded: set[tuple[int, str]] = set()
    for row in events.values_list(
        "dossier_id",
        "dossier__receiving_agency_id",
        "dossier__receiving_agency__code",
        "dossier__receiving_agency__name",
        "dossier__version__procedure_id",
        "dossier__version__procedure__code",
        "dossier__version__name",
        "data",
        "action",
    ).order_by("at", "pk"):
        data = row[7] or {}
        if row[8] == Action.REFUND.value:
            refunded.add((row[0], str(data.get("receipt") or "")))
            continue
        amount = Decimal(str(data.get("amount") or 0))
        if amount <= 0:
            continue
        online = data.get("method") == PaymentMethod.ONLINE.value
        records.append(
            PaymentRecord(*row[:7], amount=amount, online=online, receipt=data.get("receipt", ""))
        )
    return [r for r in records if not (r.online and (r.dossier_id, r.receipt) in refunded)]


def collected_report(
    start: dt.date, end: dt.date, *, agency_ids: set[int] | None
) -> CollectedReport:
    """Fees and obligations collected online and at the desk in [start, end], per receiving
    agency and per agency × procedure, over ``agency_ids`` (``None``: all)."""
    agencies: dict[str, CollectedRow] = {}
    procedures: dict[tuple[str, str], CollectedRow] = {}
    total = Collected()
    for p in payments_in(start, end, agency_ids):
        a = agencies.setdefault(p.agency, CollectedRow(p.agency, p.agency_name, "", ""))
        a.collected.add(p.amount, p.online)
        key = (p.agency, p.procedure)
        r = procedures.setdefault(
            key, CollectedRow(p.agency, p.agency_name, p.procedure, p.procedure_name)
        )
        r.collected.add(p.amount, p.online)
        total.add(p.amount, p.online)
    return CollectedReport(
        start,
        end,
        [agencies[k] for k in sorted(agencies)],
        [procedures[k] for k in sorted(procedures)],
        total,
    )


def paid_by_agency(
    start: dt.date, end: dt.date, agency_ids: set[int] | None
) -> dict[int, tuple[set[int], set[int], set[int]]]:
    """Per receiving agency: (dossiers with a payment in the period, those of them paid online
    at least once, procedures with an online payment). What the Decision 766 index's online
    payment group measures."""
    out: defaultdict[int, tuple[set[int], set[int], set[int]]] = defaultdict(
        lambda: (set(), set(), set())
    )
    for p in payments_in(start, end, agency_ids):
        paid, online, procedures = out[p.agency_id]
        paid.add(p.dossier_id)
        if p.online:
            online.add(p.dossier_id)
            procedures.add(p.procedure_id)
    return dict(out)
