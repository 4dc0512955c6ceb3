"""Thu trực tuyến và thu tại quầy: fees collected online and at the desk per agency and
procedure for a period, read by report readers of their agencies through
``GET /api/v1/reports/payments-collected``; and the Decision 766 online payment group computed
from the same payments."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from motcua.catalogue.models import AssignmentRole
from motcua.dossiers import intake, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.refunds import record_refund
from motcua.dossiers.tests.factories import assign, at, complete_intake
from motcua.reports.index766 import service_index
from motcua.reports.payments_collected import collected_report
from motcua.reports.tests.factories import cases, receive
from motcua.testing import Cast

API = "/api/v1/reports/payments-collected/"
PERIOD = {"from": "2026-03-01", "to": "2026-03-31"}
START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


def _fee(cast: Cast, d: Dossier, amount: int, method: str, receipt: str, now: str) -> None:
    # ``method="online"`` is what ``payments.services`` records once the gateway's verified
    # notice arrives; the others are the desk's.
    services.collect_fee(
        d, actor=cast.alice, amount=Decimal(amount), receipt=receipt, method=method, now=at(now)
    )


@pytest.fixture
def paid(cast: Cast) -> None:
    """March 2026. H56.22 receives the household business procedure (fee 100 000 ₫) and birth
    registration (no fee): d1 pays 100 000 in cash, d2 100 000 online, d3 40 000 in cash and
    60 000 online; d4 pays in April (outside). H56.23 also receives the household business
    procedure: d5 pays 100 000 online."""
    case = cases(cast)[0]
    d1 = receive(cast, case, at("2026-03-09T09:00"))
    _fee(cast, d1, 100000, "cash", "BL1", "2026-03-09T09:10")
    d2 = receive(cast, case, at("2026-03-10T09:00"), channel="online")
    _fee(cast, d2, 100000, "online", "BL2", "2026-03-10T20:00")
    d3 = receive(cast, case, at("2026-03-11T09:00"))
    _fee(cast, d3, 40000, "cash", "BL3", "2026-03-11T09:10")
    _fee(cast, d3, 60000, "online", "BL4", "2026-03-12T21:00")
    d4 = receive(cast, case, at("2026-03-30T09:00"))
    _fee(cast, d4, 100000, "card", "BL5", "2026-04-01T09:00")
    assign(case, cast.other_agency, AssignmentRole.RECEIVING)
    d5 = intake.receive_new_dossier(
        complete_intake(case), agency=cast.other_agency, actor=cast.ivan, now=at("2026-03-12T09:00")
    )
    services.collect_fee(
        d5, actor=cast.ivan, amount=Decimal(100000), receipt="BL6", method="online",
        now=at("2026-03-12T22:00"),
    )  # fmt: skip


def _figures(r: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("online_count", "online_amount", "desk_count", "desk_amount", "total_amount")
    return (r["agency"], r["procedure"], *(r[k] for k in keys))


def test_collected_online_and_at_the_desk_per_agency_and_procedure(cast: Cast, paid: None) -> None:
    body = collected_report(START, END, agency_ids=None).as_dict()
    assert [_figures(r) for r in body["agencies"]] == [
        ("H56.22", "", 2, 160000, 2, 140000, 300000),
        ("H56.23", "", 1, 100000, 0, 0, 100000),
    ]
    procedure = body["procedures"][0]["procedure"]
    assert [_figures(r) for r in body["procedures"]] == [
        ("H56.22", procedure, 2, 160000, 2, 140000, 300000),
        ("H56.23", procedure, 1, 100000, 0, 0, 100000),
    ]
    assert body["total"] == {
        "online_count": 3, "online_amount": 260000, "desk_count": 2, "desk_amount": 140000,
        "total_amount": 400000,
    }  # fmt: skip
    april = collected_report(dt.date(2026, 4, 1), dt.date(2026, 4, 30), agency_ids=None)
    assert april.total.as_dict()["desk_amount"] == 100000 and april.total.online_count == 0


def test_the_766_online_payment_group_is_computed_from_the_payments(cast: Cast, paid: None) -> None:
    index = service_index(START, END)
    card = index.agency("H56.22")
    procedures = card.component("procedures_paid_online")
    # One fee-bearing procedure in force (birth registration has no fee), paid online.
    assert procedures.explanation == "1/1 = 100 % ≥ 50 % → 2.0"
    dossiers = card.component("dossiers_paid_online")
    assert (dossiers.measure.numerator, dossiers.measure.denominator) == (2, 3)
    assert dossiers.explanation == "2/3 = 66.67 % ≥ 30 % → 6.0"
    portal = card.component("national_portal_payment")
    assert not portal.measure.has_data and "Cổng Dịch vụ công quốc gia" in portal.explanation
    assert card.group("online_payment").points == Decimal(8)
    assert index.totals.component("dossiers_paid_online").explanation == "3/4 = 75 % ≥ 30 % → 6.0"
    april = service_index(dt.date(2026, 4, 1), dt.date(2026, 4, 30)).agency("H56.22")
    assert april.component("procedures_paid_online").explanation == "0/1 = 0 % < 50 % → 1.6"
    assert april.component("dossiers_paid_online").explanation == "0/1 = 0 % < 30 % → 0.0"


def _get(client: Client, user: Any, **params: str) -> Any:
    client.force_login(user)
    return client.get(API, params or PERIOD)


def test_the_reform_officer_reads_every_agency(client: Client, cast: Cast, paid: None) -> None:
    response = _get(client, cast.frank)
    assert response.status_code == 200
    body = response.json()
    assert [r["agency"] for r in body["agencies"]] == ["H56.22", "H56.23"]
    assert body["total"]["total_amount"] == 400000 and body["from"] == "2026-03-01"


def test_a_leader_reads_only_their_agency(client: Client, cast: Cast, paid: None) -> None:
    body = _get(client, cast.dave).json()
    assert [_figures(r) for r in body["agencies"]] == [("H56.22", "", 2, 160000, 2, 140000, 300000)]
    assert {r["agency"] for r in body["procedures"]} == {"H56.22"}
    assert body["total"]["total_amount"] == 300000


@pytest.mark.parametrize("who", ["alice", "bob", "erin", "henry", "oscar"])
def test_others_may_not_read_the_report(client: Client, cast: Cast, who: str) -> None:
    assert _get(client, getattr(cast, who)).status_code == 403


def test_an_anonymous_caller_and_bad_periods_are_refused(client: Client, cast: Cast) -> None:
    assert client.get(API, PERIOD).status_code in (401, 403)
    assert _get(client, cast.frank, **{"from": "2026-03-31", "to": "2026-03-01"}).status_code == 400


def test_an_online_payment_since_refunded_is_not_counted(cast: Cast, paid: None) -> None:
    """d2's 100 000 online (receipt BL2) was refunded in April (the dossier's ``refund``
    event): March counts it neither as collected nor as a dossier paid online."""
    d2 = Dossier.objects.get(events__data__receipt="BL2")
    record_refund(
        d2, actor=cast.dave, amount=Decimal(100000), receipt="BL2", txn_ref="MC2",
        counted=True, reason="hồ sơ đã được rút", now=at("2026-04-02T09:00"),
    )  # fmt: skip
    body = collected_report(START, END, agency_ids=None).as_dict()
    assert _figures(body["agencies"][0]) == ("H56.22", "", 1, 60000, 2, 140000, 200000)
    dossiers = service_index(START, END).agency("H56.22").component("dossiers_paid_online")
    assert dossiers.explanation == "1/2 = 50 % ≥ 30 % → 6.0"
